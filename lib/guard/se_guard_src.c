/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-worker source table: a fixed array of 64-byte slots, a chained
 * hash index over them (twice as many heads as slots, so chains stay short)
 * and a doubly linked LRU list through them, most recently seen first. A
 * new source takes a free slot, or the least recently seen one (the tail)
 * once all are taken: memory never grows, and a flooder that keeps sending
 * keeps its slot (and its ban) at the head.
 *
 * The telemetry thread reads slots while the worker writes them: the fields
 * it reads (key, drops, ban deadline, bans, used) are written with relaxed
 * atomic stores, which are plain moves on x86, and read the same way.
 */
#include "se_guard.h"
#include "guard_priv.h"

#define NONE UINT32_MAX

struct slot {
	uint64_t k[2];       /* the source */
	uint64_t tat;        /* GCRA theoretical arrival time; 0: a full bucket */
	uint64_t ban_until;  /* end of the ban; 0: not banned */
	uint64_t drops;      /* datagrams dropped because of this source */
	uint32_t bans;       /* times banned */
	uint32_t hnext;      /* next slot of the hash chain */
	uint32_t prev;       /* LRU neighbour seen more recently */
	uint32_t next;       /* LRU neighbour seen less recently */
	uint32_t pad[2];
};

_Static_assert(sizeof(struct slot) == 64, "a slot is one cache line");

struct se_guard_src {
	uint32_t slots;      /* capacity */
	uint32_t used;       /* slots in use: [0, used) */
	uint32_t hmask;      /* hash heads - 1 */
	uint32_t head;       /* most recently seen */
	uint32_t tail;       /* least recently seen */
	bool bucket;         /* a rate is set */
	uint64_t interval;   /* ticks per token */
	uint64_t depth;      /* interval x burst */
	uint64_t ban_ticks;  /* ban of a source over its bucket */
	uint64_t seed;
	uint32_t *heads;     /* hash heads */
	struct slot *s;      /* the slots */
};

#define ST(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)
#define LD(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

static size_t
heads_for(uint32_t slots)
{
	size_t h = 1;

	while (h < 2 * (size_t)slots)
		h <<= 1;
	return h;
}

size_t
se_guard_src_memsize(uint32_t slots)
{
	if (slots == 0 || slots > SE_GUARD_MAX_SOURCES)
		return 0;
	return GUARD_ALIGN(sizeof(struct se_guard_src)) + (size_t)slots * sizeof(struct slot) +
	       heads_for(slots) * sizeof(uint32_t);
}

struct se_guard_src *
se_guard_src_init(void *mem, const struct se_guard_src_params *p)
{
	struct se_guard_src *t = mem;
	struct se_guard_bucket b;
	size_t nh;

	if (mem == NULL || p == NULL || se_guard_src_memsize(p->slots) == 0 || p->hz == 0)
		return NULL;
	nh = heads_for(p->slots);
	memset(t, 0, sizeof(*t));
	t->slots = p->slots;
	t->hmask = (uint32_t)(nh - 1);
	t->head = NONE;
	t->tail = NONE;
	t->bucket = p->rate != 0;
	se_guard_bucket_init(&b, p->hz, p->rate, p->burst != 0 ? p->burst : p->rate);
	t->interval = b.interval;
	t->depth = b.depth;
	t->ban_ticks = p->ban_ticks;
	t->seed = p->seed;
	t->s = (struct slot *)((uint8_t *)mem + GUARD_ALIGN(sizeof(*t)));
	t->heads = (uint32_t *)(t->s + p->slots);
	memset(t->heads, 0xff, nh * sizeof(uint32_t));
	return t;
}

/*
 * The key words mixed with the seed (a bijection for a fixed first word, so
 * IPv4 sources never share a 64-bit hash), then murmur3's finaliser.
 */
static inline uint32_t
hash(const struct se_guard_src *t, struct se_guard_key k)
{
	uint64_t h = (k.w[0] * 0x9e3779b97f4a7c15ull) ^ k.w[1] ^ t->seed;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h & t->hmask;
}

static inline uint32_t
find(const struct se_guard_src *t, struct se_guard_key k, uint32_t h)
{
	for (uint32_t i = t->heads[h]; i != NONE; i = t->s[i].hnext)
		if (t->s[i].k[0] == k.w[0] && t->s[i].k[1] == k.w[1])
			return i;
	return NONE;
}

static inline void
lru_unlink(struct se_guard_src *t, uint32_t i)
{
	uint32_t p = t->s[i].prev, n = t->s[i].next;

	if (p != NONE)
		t->s[p].next = n;
	else
		t->head = n;
	if (n != NONE)
		t->s[n].prev = p;
	else
		t->tail = p;
}

static inline void
lru_push(struct se_guard_src *t, uint32_t i)
{
	t->s[i].prev = NONE;
	t->s[i].next = t->head;
	if (t->head != NONE)
		t->s[t->head].prev = i;
	else
		t->tail = i;
	t->head = i;
}

static inline void
touch(struct se_guard_src *t, uint32_t i)
{
	if (t->head == i)
		return;
	lru_unlink(t, i);
	lru_push(t, i);
}

/* Take the slot of source k (not in the table; h its hash): a free one or the LRU tail. */
static uint32_t
add(struct se_guard_src *t, struct se_guard_key k, uint32_t h, bool *evicted)
{
	struct slot *s;
	uint32_t i;

	if (t->used < t->slots) {
		i = t->used;
		ST(t->used, i + 1);
	} else {
		struct se_guard_key old;
		uint32_t *link;

		i = t->tail;
		lru_unlink(t, i);
		old.w[0] = t->s[i].k[0];
		old.w[1] = t->s[i].k[1];
		for (link = &t->heads[hash(t, old)]; *link != i; link = &t->s[*link].hnext)
			;
		*link = t->s[i].hnext;
		if (evicted != NULL)
			*evicted = true;
	}
	s = &t->s[i];
	ST(s->drops, 0);
	ST(s->bans, 0);
	ST(s->ban_until, 0);
	s->tat = 0;
	ST(s->k[0], k.w[0]);
	ST(s->k[1], k.w[1]);
	s->hnext = t->heads[h];
	t->heads[h] = i;
	lru_push(t, i);
	return i;
}

static inline void
count_drop(struct slot *s)
{
	ST(s->drops, s->drops + 1);
}

enum se_guard_src_verdict
se_guard_src_check(struct se_guard_src *t, struct se_guard_key k, uint64_t now, bool *evicted)
{
	uint32_t h = hash(t, k), i = find(t, k, h);
	struct slot *s;
	uint64_t tat;

	if (i == NONE) {
		if (!t->bucket)
			return SE_GUARD_SRC_PASS;
		i = add(t, k, h, evicted);
	} else {
		touch(t, i);
	}
	s = &t->s[i];
	if (s->ban_until != 0) {
		if (now < s->ban_until) {
			count_drop(s);
			return SE_GUARD_SRC_BANNED;
		}
		/* the ban is over: a fresh start, with a full bucket */
		ST(s->ban_until, 0);
		s->tat = 0;
	}
	if (!t->bucket)
		return SE_GUARD_SRC_PASS;
	tat = (s->tat > now ? s->tat : now) + t->interval;
	if (tat - now <= t->depth) {
		s->tat = tat;
		return SE_GUARD_SRC_PASS;
	}
	count_drop(s);
	if (t->ban_ticks == 0)
		return SE_GUARD_SRC_OVER;
	ST(s->ban_until, now + t->ban_ticks);
	ST(s->bans, s->bans + 1);
	return SE_GUARD_SRC_BAN;
}

bool
se_guard_src_offence(struct se_guard_src *t, struct se_guard_key k, uint64_t now,
		     uint64_t ban_ticks, bool *evicted)
{
	uint32_t h = hash(t, k), i = find(t, k, h);
	struct slot *s;

	if (i == NONE)
		i = add(t, k, h, evicted);
	else
		touch(t, i);
	s = &t->s[i];
	count_drop(s);
	if (ban_ticks == 0 || (s->ban_until != 0 && now < s->ban_until))
		return false;
	ST(s->ban_until, now + ban_ticks);
	ST(s->bans, s->bans + 1);
	return true;
}

bool
se_guard_src_banned(const struct se_guard_src *t, struct se_guard_key k, uint64_t now,
		    uint64_t *ban_left)
{
	uint32_t i = find(t, k, hash(t, k));

	if (i == NONE || t->s[i].ban_until <= now)
		return false;
	if (ban_left != NULL)
		*ban_left = t->s[i].ban_until - now;
	return true;
}

void
se_guard_src_prefetch(const struct se_guard_src *t, struct se_guard_key k, bool slot)
{
	const uint32_t *head = &t->heads[hash(t, k)];
	uint32_t i;

	if (!slot) {
		__builtin_prefetch(head);
		return;
	}
	i = *head;
	if (i != NONE)
		__builtin_prefetch(&t->s[i]);
}

uint32_t
se_guard_src_used(const struct se_guard_src *t)
{
	return LD(t->used);
}

uint32_t
se_guard_src_slots(const struct se_guard_src *t)
{
	return t->slots;
}

/* Does a rank before b: more drops, then a longer ban. */
static bool
ranks_before(const struct se_guard_src_info *a, const struct se_guard_src_info *b)
{
	return a->drops != b->drops ? a->drops > b->drops : a->ban_left > b->ban_left;
}

unsigned int
se_guard_src_top(const struct se_guard_src *t, uint64_t now, struct se_guard_src_info *out,
		 unsigned int n)
{
	uint32_t used = LD(t->used);
	unsigned int got = 0;

	for (uint32_t i = 0; i < used && n != 0; i++) {
		const struct slot *s = &t->s[i];
		struct se_guard_src_info e;
		uint64_t until;
		unsigned int j;

		e.drops = LD(s->drops);
		if (e.drops == 0)
			continue;
		e.key.w[0] = LD(s->k[0]);
		e.key.w[1] = LD(s->k[1]);
		e.bans = LD(s->bans);
		until = LD(s->ban_until);
		e.ban_left = until > now ? until - now : 0;
		if (got == n && !ranks_before(&e, &out[n - 1]))
			continue;
		/* insertion into the sorted list of the best n so far */
		j = got < n ? got++ : n - 1;
		while (j > 0 && ranks_before(&e, &out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = e;
	}
	return got;
}
