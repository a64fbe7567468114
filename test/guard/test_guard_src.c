/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/guard: the token bucket and the per-source table (buckets, bans,
 * exact LRU eviction), driven by a clock the tests set (1 tick = 1 ns).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "se_guard.h"

#define HZ 1000000000ull
#define SEC HZ
#define MS (HZ / 1000)
/* a clock that does not start at 0, as a TSC does not */
#define T0 (1000 * SEC)

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1));
	return a.s_addr;
}

static struct se_guard_key
key(const char *s)
{
	return se_guard_key_v4(ip(s));
}

/* The n-th of many distinct sources: 10.x.y.z */
static struct se_guard_key
nth(uint32_t n)
{
	return se_guard_key_v4(htonl(0x0a000000u + n));
}

static struct se_guard_src *
table(uint32_t slots, uint32_t rate, uint32_t burst, uint64_t ban_ticks)
{
	struct se_guard_src_params p = { .slots = slots, .hz = HZ, .rate = rate, .burst = burst,
					 .ban_ticks = ban_ticks, .seed = 0x1234 };
	size_t sz = se_guard_src_memsize(slots);
	void *mem;

	cr_assert(gt(sz, sz, 0));
	mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	cr_assert(ne(ptr, mem, NULL));
	cr_assert(eq(ptr, se_guard_src_init(mem, &p), mem));
	return mem;
}

/* How many of n datagrams sent at one instant pass. */
static unsigned int
passes_at(struct se_guard_src *t, struct se_guard_key k, uint64_t now, unsigned int n)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++)
		ok += se_guard_src_check(t, k, now, NULL) == SE_GUARD_SRC_PASS;
	return ok;
}

/* --- the bucket ---------------------------------------------------------- */

Test(guard_bucket, a_full_bucket_gives_its_burst_at_once)
{
	struct se_guard_bucket b;
	unsigned int ok = 0;

	se_guard_bucket_init(&b, HZ, 10, 25);
	for (int i = 0; i < 100; i++)
		ok += se_guard_bucket_take(&b, T0);
	cr_assert(eq(u32, ok, 25));
}

Test(guard_bucket, refills_at_its_rate)
{
	struct se_guard_bucket b;
	unsigned int ok = 0;

	se_guard_bucket_init(&b, HZ, 100, 1);
	/* 100 per second, one every 10 ms: asking every ms for 10 s gives 1000 */
	for (uint64_t t = 0; t < 10 * SEC; t += MS)
		ok += se_guard_bucket_take(&b, T0 + t);
	cr_assert(eq(u32, ok, 1000));
}

Test(guard_bucket, an_idle_bucket_holds_no_more_than_its_burst)
{
	struct se_guard_bucket b;
	unsigned int ok = 0;

	se_guard_bucket_init(&b, HZ, 50, 5);
	for (int i = 0; i < 5; i++)
		cr_assert(se_guard_bucket_take(&b, T0));
	cr_assert(not(se_guard_bucket_take(&b, T0)));
	/* an hour idle refills 5, not 180000 */
	for (int i = 0; i < 100; i++)
		ok += se_guard_bucket_take(&b, T0 + 3600 * SEC);
	cr_assert(eq(u32, ok, 5));
}

Test(guard_bucket, a_partial_refill_gives_whole_tokens_only)
{
	struct se_guard_bucket b;

	se_guard_bucket_init(&b, HZ, 10, 3);
	for (int i = 0; i < 3; i++)
		cr_assert(se_guard_bucket_take(&b, T0));
	/* 250 ms at 10/s: two tokens and a half */
	cr_assert(se_guard_bucket_take(&b, T0 + 250 * MS));
	cr_assert(se_guard_bucket_take(&b, T0 + 250 * MS));
	cr_assert(not(se_guard_bucket_take(&b, T0 + 250 * MS)));
	/* the half becomes a whole one 50 ms later */
	cr_assert(not(se_guard_bucket_take(&b, T0 + 299 * MS)));
	cr_assert(se_guard_bucket_take(&b, T0 + 300 * MS));
}

Test(guard_bucket, rate_zero_gives_nothing)
{
	struct se_guard_bucket b;

	se_guard_bucket_init(&b, HZ, 0, 10);
	cr_assert(not(se_guard_bucket_take(&b, T0)));
	cr_assert(not(se_guard_bucket_take(&b, T0 + 100 * SEC)));
}

/* --- buckets and bans per source ----------------------------------------- */

Test(guard_src, a_source_at_its_rate_is_never_stopped)
{
	struct se_guard_src *t = table(64, 100, 10, 60 * SEC);

	for (uint64_t i = 0; i < 2000; i++)
		cr_assert(eq(int, se_guard_src_check(t, key("192.0.2.1"), T0 + i * 10 * MS, NULL),
			     SE_GUARD_SRC_PASS), "datagram %llu", (unsigned long long)i);
	free(t);
}

Test(guard_src, the_excess_over_the_burst_is_dropped_without_a_ban)
{
	struct se_guard_src *t = table(64, 10, 20, 0);

	cr_assert(eq(u32, passes_at(t, key("192.0.2.1"), T0, 50), 20));
	cr_assert(eq(int, se_guard_src_check(t, key("192.0.2.1"), T0, NULL), SE_GUARD_SRC_OVER));
	/* no ban: one second later ten more pass */
	cr_assert(eq(u32, passes_at(t, key("192.0.2.1"), T0 + SEC, 50), 10));
	free(t);
}

Test(guard_src, going_over_the_bucket_bans_until_the_ban_expires)
{
	struct se_guard_src *t = table(64, 10, 5, 30 * SEC);
	struct se_guard_key k = key("198.51.100.7");
	uint64_t left = 0;

	cr_assert(eq(u32, passes_at(t, k, T0, 5), 5));
	cr_assert(eq(int, se_guard_src_check(t, k, T0, NULL), SE_GUARD_SRC_BAN));
	cr_assert(eq(int, se_guard_src_check(t, k, T0 + 1, NULL), SE_GUARD_SRC_BANNED));
	/* the bucket refilled long ago, the ban still holds */
	cr_assert(eq(int, se_guard_src_check(t, k, T0 + 29 * SEC, NULL), SE_GUARD_SRC_BANNED));
	cr_assert(se_guard_src_banned(t, k, T0 + 29 * SEC, &left));
	cr_assert(eq(u64, left, SEC));
	cr_assert(eq(int, se_guard_src_check(t, k, T0 + 30 * SEC - 1, NULL), SE_GUARD_SRC_BANNED));
	cr_assert(not(se_guard_src_banned(t, k, T0 + 30 * SEC, NULL)));
	/* over: a full bucket again */
	cr_assert(eq(u32, passes_at(t, k, T0 + 30 * SEC, 20), 5));
	free(t);
}

Test(guard_src, a_ban_counts_every_dropped_datagram)
{
	struct se_guard_src *t = table(64, 10, 5, 30 * SEC);
	struct se_guard_src_info top[4];

	passes_at(t, key("198.51.100.7"), T0, 105);
	cr_assert(eq(u32, se_guard_src_top(t, T0 + 10 * SEC, top, 4), 1));
	cr_assert(eq(u64, top[0].drops, 100));
	cr_assert(eq(u32, top[0].bans, 1));
	cr_assert(eq(u64, top[0].ban_left, 20 * SEC));
	free(t);
}

Test(guard_src, sources_have_buckets_of_their_own)
{
	struct se_guard_src *t = table(64, 10, 5, 30 * SEC);

	cr_assert(eq(u32, passes_at(t, key("192.0.2.1"), T0, 10), 5));
	cr_assert(eq(u32, passes_at(t, key("192.0.2.2"), T0, 3), 3));
	cr_assert(se_guard_src_banned(t, key("192.0.2.1"), T0, NULL));
	cr_assert(not(se_guard_src_banned(t, key("192.0.2.2"), T0, NULL)));
	free(t);
}

Test(guard_src, ipv4_and_ipv6_sources_are_apart)
{
	struct se_guard_src *t = table(64, 10, 1, 30 * SEC);
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
	struct se_guard_key k6, k4;
	char s[64];

	cr_assert(eq(u32, passes_at(t, se_guard_key_v6(v6), T0, 2), 1));
	cr_assert(eq(u32, passes_at(t, key("192.0.2.1"), T0, 1), 1));
	/* ::ffff:192.0.2.1 is 192.0.2.1 */
	cr_assert(eq(u32, passes_at(t, se_guard_key_v6(mapped), T0, 1), 0));
	cr_assert(eq(u32, se_guard_src_used(t), 2));
	k6 = se_guard_key_v6(v6);
	k4 = key("192.0.2.1");
	cr_assert(eq(int, se_guard_key_format(&k6, s, sizeof(s)), 11));
	cr_assert(eq(str, s, "2001:db8::1"));
	cr_assert(eq(int, se_guard_key_format(&k4, s, sizeof(s)), 9));
	cr_assert(eq(str, s, "192.0.2.1"));
	cr_assert(eq(int, se_guard_key_format(&k4, s, 9), -ENOSPC));
	free(t);
}

/* --- bounded memory: LRU eviction ---------------------------------------- */

Test(guard_src, more_sources_than_slots_evicts_the_least_recently_seen)
{
	struct se_guard_src *t = table(4, 10, 2, 30 * SEC);
	bool ev = false;

	/* sources 1..4 fill the table; 1 is banned */
	passes_at(t, nth(1), T0, 3);
	for (uint32_t n = 2; n <= 4; n++)
		cr_assert(eq(int, se_guard_src_check(t, nth(n), T0 + n, &ev), SE_GUARD_SRC_PASS));
	cr_assert(not(ev));
	cr_assert(eq(u32, se_guard_src_used(t), 4));
	/* 2, 3, 4 seen again after 1: 1 is the least recently seen */
	for (uint32_t n = 2; n <= 4; n++)
		se_guard_src_check(t, nth(n), T0 + 10 + n, NULL);
	cr_assert(eq(int, se_guard_src_check(t, nth(5), T0 + 20, &ev), SE_GUARD_SRC_PASS));
	cr_assert(ev);
	cr_assert(eq(u32, se_guard_src_used(t), 4));
	/* 1 and its ban are forgotten: it comes back with a full bucket */
	cr_assert(not(se_guard_src_banned(t, nth(1), T0 + 21, NULL)));
	ev = false;
	cr_assert(eq(int, se_guard_src_check(t, nth(1), T0 + 21, &ev), SE_GUARD_SRC_PASS));
	/* and took the slot of 2, now the oldest */
	cr_assert(ev);
	cr_assert(eq(u32, passes_at(t, nth(2), T0 + 22, 3), 2));
	free(t);
}

Test(guard_src, a_flooder_that_keeps_sending_keeps_its_ban)
{
	struct se_guard_src *t = table(8, 10, 2, 300 * SEC);
	uint32_t n = 100;

	passes_at(t, nth(1), T0, 3);
	/* 10000 new sources pass through an 8-slot table; the banned one sends between them */
	for (uint64_t i = 0; i < 10000; i++) {
		se_guard_src_check(t, nth(n++), T0 + i * MS, NULL);
		if (i % 4 == 0)
			cr_assert(eq(int, se_guard_src_check(t, nth(1), T0 + i * MS, NULL),
				     SE_GUARD_SRC_BANNED));
	}
	free(t);
}

/*
 * A model of the table (an array ordered most recent first) against the
 * table itself: 200000 random operations over 40 sources and 16 slots, every
 * verdict and every membership compared.
 */
struct model {
	uint32_t n;
	uint32_t src[16];
	uint64_t tat[16];
	uint64_t ban[16];
};

static int
model_find(const struct model *m, uint32_t s)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (m->src[i] == s)
			return (int)i;
	return -1;
}

static enum se_guard_src_verdict
model_check(struct model *m, uint32_t s, uint64_t now, uint64_t interval, uint64_t depth,
	    uint64_t ban)
{
	int i = model_find(m, s);
	uint32_t src;
	uint64_t tat, b, t;

	if (i < 0) {
		if (m->n < 16)
			m->n++;
		src = s;
		tat = 0;
		b = 0;
		i = (int)m->n - 1;
	} else {
		src = m->src[i];
		tat = m->tat[i];
		b = m->ban[i];
	}
	/* move to the front */
	memmove(&m->src[1], &m->src[0], (size_t)i * sizeof(m->src[0]));
	memmove(&m->tat[1], &m->tat[0], (size_t)i * sizeof(m->tat[0]));
	memmove(&m->ban[1], &m->ban[0], (size_t)i * sizeof(m->ban[0]));
	m->src[0] = src;
	if (b != 0 && now < b) {
		m->tat[0] = tat;
		m->ban[0] = b;
		return SE_GUARD_SRC_BANNED;
	}
	if (b != 0)
		tat = 0;
	m->ban[0] = 0;
	t = (tat > now ? tat : now) + interval;
	if (t - now <= depth) {
		m->tat[0] = t;
		return SE_GUARD_SRC_PASS;
	}
	m->tat[0] = tat;
	m->ban[0] = now + ban;
	return SE_GUARD_SRC_BAN;
}

Test(guard_src, random_traffic_matches_a_model_of_exact_lru)
{
	struct se_guard_src *t = table(16, 1000, 4, 50 * MS);
	struct model m = { 0 };
	uint64_t now = T0, seed = 42;

	for (int op = 0; op < 200000; op++) {
		uint32_t s;
		enum se_guard_src_verdict want, got;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		s = (uint32_t)(seed >> 33) % 40;
		now += (seed >> 20) % (2 * MS);
		want = model_check(&m, s, now, HZ / 1000, 4 * (HZ / 1000), 50 * MS);
		got = se_guard_src_check(t, nth(s), now, NULL);
		cr_assert(eq(int, got, want), "op %d source %u", op, s);
		for (uint32_t q = 0; op % 1000 == 0 && q < 40; q++) {
			int i = model_find(&m, q);

			cr_assert(eq(int, se_guard_src_banned(t, nth(q), now, NULL),
				     i >= 0 && m.ban[i] > now), "op %d source %u", op, q);
		}
	}
	cr_assert(eq(u32, se_guard_src_used(t), 16));
	free(t);
}

/* --- without a bucket: bans only ----------------------------------------- */

Test(guard_src, without_a_rate_only_offenders_take_slots)
{
	struct se_guard_src *t = table(16, 0, 0, 0);
	bool ev = false;

	for (uint32_t n = 0; n < 1000; n++)
		cr_assert(eq(int, se_guard_src_check(t, nth(n), T0, &ev), SE_GUARD_SRC_PASS));
	cr_assert(eq(u32, se_guard_src_used(t), 0));
	cr_assert(se_guard_src_offence(t, nth(7), T0, 10 * SEC, &ev));
	cr_assert(not(se_guard_src_offence(t, nth(7), T0 + 1, 10 * SEC, &ev)), "already banned");
	cr_assert(eq(int, se_guard_src_check(t, nth(7), T0 + SEC, NULL), SE_GUARD_SRC_BANNED));
	cr_assert(eq(int, se_guard_src_check(t, nth(7), T0 + 10 * SEC, NULL), SE_GUARD_SRC_PASS));
	cr_assert(eq(u32, se_guard_src_used(t), 1));
	cr_assert(not(ev));
	free(t);
}

Test(guard_src, top_lists_the_most_dropped_sources_first)
{
	struct se_guard_src *t = table(64, 10, 1, 0);
	struct se_guard_src_info top[3];

	for (uint32_t n = 1; n <= 10; n++)
		passes_at(t, nth(n), T0, 1 + n * 3); /* source n: 3n drops */
	passes_at(t, nth(50), T0, 1);               /* no drop: not listed */
	cr_assert(eq(u32, se_guard_src_top(t, T0, top, 3), 3));
	cr_assert(eq(u64, top[0].drops, 30));
	cr_assert(eq(u64, top[1].drops, 27));
	cr_assert(eq(u64, top[2].drops, 24));
	cr_assert(eq(u64, top[0].key.w[1], nth(10).w[1]));
	cr_assert(eq(u32, se_guard_src_top(t, T0, top, 0), 0));
	free(t);
}

Test(guard_src, sizes_out_of_range_are_refused)
{
	struct se_guard_src_params p = { .slots = 0, .hz = HZ };
	uint8_t mem[4096];

	cr_assert(eq(sz, se_guard_src_memsize(0), 0));
	cr_assert(eq(sz, se_guard_src_memsize(SE_GUARD_MAX_SOURCES + 1), 0));
	cr_assert(eq(ptr, se_guard_src_init(mem, &p), NULL));
	p.slots = 4;
	p.hz = 0;
	cr_assert(eq(ptr, se_guard_src_init(mem, &p), NULL));
}
