/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Table snapshots: built from a configuration by the control core, read by
 * workers, replaced whole behind one RCU-protected pointer.
 */

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_rcu_qsbr.h>

#include "dispatch_priv.h"

/* The allocation behind a table: the public part first. */
struct dispatch_table_mem {
	struct se_dispatch_table pub;
	size_t memsize;
};

/* A set while the table is being laid out. */
struct set_plan {
	uint32_t set_id;
	uint32_t size; /* slots of its lookup array */
	uint32_t first;
	uint32_t count;
	uint32_t n_active;
	int32_t priority;
	uint8_t key;
};

#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

static int
backend_cmp(const void *pa, const void *pb)
{
	const struct se_dispatch_backend *a = pa, *b = pb;
	int c;

	if (a->set_id != b->set_id)
		return a->set_id < b->set_id ? -1 : 1;
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	c = memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes));
	if (c != 0)
		return c;
	if (a->addr.port != b->addr.port)
		return a->addr.port < b->addr.port ? -1 : 1;
	return 0;
}

static int
u32_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

static bool
is_active(const struct se_dispatch_backend *b)
{
	return b->state == SE_DISPATCH_UP && b->weight > 0;
}

/* Lay out the sets: ids in ascending order, each with its range and group. */
static unsigned
plan_sets(const struct se_dispatch_config *cfg, const struct se_dispatch_backend *sorted,
	  unsigned n, struct set_plan *plan)
{
	uint32_t ids[SE_DISPATCH_MAX_SETS * 2];
	unsigned k = 0, np = 0;

	for (unsigned i = 0; i < n; i++)
		if (i == 0 || sorted[i].set_id != sorted[i - 1].set_id)
			ids[k++] = sorted[i].set_id;
	for (unsigned i = 0; i < cfg->n_sets; i++)
		ids[k++] = cfg->sets[i].set_id;
	qsort(ids, k, sizeof(ids[0]), u32_cmp);

	for (unsigned i = 0, b = 0; i < k; i++) {
		const struct dispatch_set_opts *o;
		struct set_plan *p;

		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		p = &plan[np++];
		memset(p, 0, sizeof(*p));
		p->set_id = ids[i];
		while (b < n && sorted[b].set_id < p->set_id)
			b++;
		p->first = b;
		while (b < n && sorted[b].set_id == p->set_id)
			b++;
		p->count = b - p->first;
		o = dispatch_config_set_opts(cfg, p->set_id);
		p->key = o != NULL ? o->key : SE_DISPATCH_KEY_CALL_ID;
		for (uint32_t j = p->first; j < p->first + p->count; j++) {
			if (!is_active(&sorted[j]))
				continue;
			if (p->n_active == 0 || sorted[j].priority < p->priority) {
				p->priority = sorted[j].priority;
				p->n_active = 0;
			}
			if (sorted[j].priority == p->priority)
				p->n_active++;
		}
		p->size = p->n_active > 0 ? dispatch_set_size(o != NULL ? o->size : 0, p->count)
					  : 1;
	}
	return np;
}

static int
populate_set(uint16_t *lookup, const struct set_plan *p, const struct se_dispatch_backend *b)
{
	struct maglev_member *m;
	unsigned nm = 0;
	int rc;

	if (p->n_active == 0) {
		lookup[0] = SE_DISPATCH_NONE;
		return 0;
	}
	m = malloc(p->n_active * sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	for (uint32_t j = 0; j < p->count; j++) {
		const struct se_dispatch_backend *x = &b[p->first + j];

		if (!is_active(x) || x->priority != p->priority)
			continue;
		dispatch_maglev_permutation(&x->addr, p->size, &m[nm].offset, &m[nm].skip);
		m[nm].weight = x->weight;
		m[nm].id = (uint16_t)j;
		nm++;
	}
	rc = dispatch_maglev_populate(lookup, p->size, m, nm);
	free(m);
	return rc;
}

struct se_dispatch_table *
se_dispatch_table_build(const struct se_dispatch_config *cfg)
{
	struct set_plan plan[SE_DISPATCH_MAX_SETS];
	struct se_dispatch_backend *sorted = NULL, *backends;
	struct dispatch_table_mem *mem;
	struct se_dispatch_table *t;
	struct se_dispatch_set *sets;
	uint16_t *index, *lookup;
	size_t off_backends, off_sets, off_index, off_lookup, total;
	uint32_t index_slots = 2;
	unsigned n = cfg->n, k;

	if (se_dispatch_config_check(cfg, NULL, 0) != 0 || n > SE_DISPATCH_MAX_BACKENDS) {
		errno = EINVAL;
		return NULL;
	}
	if (n > 0) {
		sorted = malloc(n * sizeof(*sorted));
		if (sorted == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		memcpy(sorted, cfg->b, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), backend_cmp);
	}
	k = plan_sets(cfg, sorted, n, plan);
	while (index_slots < 2 * n)
		index_slots *= 2;

	off_backends = ALIGN64(sizeof(*mem));
	off_sets = ALIGN64(off_backends + n * sizeof(struct se_dispatch_backend));
	off_index = ALIGN64(off_sets + k * sizeof(struct se_dispatch_set));
	off_lookup = ALIGN64(off_index + index_slots * sizeof(uint16_t));
	total = off_lookup;
	for (unsigned s = 0; s < k; s++)
		total = ALIGN64(total + plan[s].size * sizeof(uint16_t));

	mem = aligned_alloc(64, total);
	if (mem == NULL) {
		free(sorted);
		errno = ENOMEM;
		return NULL;
	}
	memset(mem, 0, off_lookup);
	mem->memsize = total;
	t = &mem->pub;
	backends = (struct se_dispatch_backend *)((char *)mem + off_backends);
	sets = (struct se_dispatch_set *)((char *)mem + off_sets);
	index = (uint16_t *)((char *)mem + off_index);
	if (n > 0)
		memcpy(backends, sorted, n * sizeof(*backends));
	free(sorted);

	lookup = (uint16_t *)((char *)mem + off_lookup);
	for (unsigned s = 0; s < k; s++) {
		const struct set_plan *p = &plan[s];
		struct se_dispatch_set *set = &sets[s];

		set->lookup = lookup;
		set->size = p->size;
		set->set_id = p->set_id;
		set->first = (uint16_t)p->first;
		set->count = (uint16_t)p->count;
		set->n_active = (uint16_t)p->n_active;
		set->key = p->key;
		set->priority = p->n_active > 0 ? p->priority : 0;
		if (populate_set(lookup, p, backends) != 0) {
			free(mem);
			errno = ENOMEM;
			return NULL;
		}
		lookup = (uint16_t *)((char *)lookup +
				      ALIGN64(p->size * sizeof(uint16_t)));
	}

	/* Address index: the first (lowest set id) of equal addresses wins. */
	for (uint32_t i = 0; i < index_slots; i++)
		index[i] = SE_DISPATCH_NONE;
	for (unsigned b = 0; b < n; b++) {
		for (uint32_t i = (uint32_t)se_dispatch_addr_hash(&backends[b].addr);; i++) {
			uint16_t *slot = &index[i & (index_slots - 1)];

			if (*slot == SE_DISPATCH_NONE) {
				*slot = (uint16_t)b;
				break;
			}
			if (memcmp(&backends[*slot].addr, &backends[b].addr,
				   sizeof(backends[b].addr)) == 0)
				break;
		}
	}

	t->backends = backends;
	t->sets = sets;
	t->addr_index = index;
	t->addr_mask = index_slots - 1;
	t->n_backends = (uint16_t)n;
	t->n_sets = (uint16_t)k;
	t->version = 0;
	t->magic = SE_DISPATCH_TABLE_MAGIC;
	return t;
}

void
se_dispatch_table_free(struct se_dispatch_table *t)
{
	struct dispatch_table_mem *mem = (struct dispatch_table_mem *)t;

	if (t == NULL)
		return;
	/* Poison, so a reader that outlived its grace period sees garbage, not data. */
	memset(mem, 0xdb, mem->memsize);
	free(mem);
}

int
se_dispatch_key(const struct se_dispatch_table *t, unsigned set_idx, const uint8_t *buf,
		const struct se_sip_msg *msg, const struct se_sip_uri *ruri, uint32_t src_ip_be,
		struct se_dispatch_key *key)
{
	if (set_idx >= t->n_sets)
		return -ENOENT;
	return se_dispatch_key_extract((enum se_dispatch_key_kind)t->sets[set_idx].key, buf, msg,
				       ruri, src_ip_be, key);
}

/* ---------------------------------------------------------------------------
 * Publication
 */

void
se_dispatch_pub_init(struct se_dispatch_pub *pub, struct rte_rcu_qsbr *qs)
{
	atomic_init(&pub->cur, NULL);
	pub->qs = qs;
	atomic_init(&pub->seq, 0);
	atomic_init(&pub->publishing, false);
}

void
se_dispatch_publish(struct se_dispatch_pub *pub, struct se_dispatch_table *t)
{
	struct se_dispatch_table *old;

	/*
	 * One publisher at a time. Besides ordering the versions, this keeps
	 * DPDK 22.11's rte_rcu_qsbr_check() single-writer: it reads
	 * acked_token, which another checker stores relaxed, as a plain load,
	 * and a writer that returns through that shortcut is not ordered after
	 * the readers' quiescent states (ThreadSanitizer reports both).
	 */
	while (atomic_exchange_explicit(&pub->publishing, true, memory_order_acquire))
		sched_yield();
	/* Not yet visible to anyone: the last write before publication. */
	if (t != NULL)
		t->version = atomic_fetch_add_explicit(&pub->seq, 1, memory_order_relaxed) + 1;
	old = atomic_exchange_explicit(&pub->cur, t, memory_order_acq_rel);
	if (old == NULL) {
		atomic_store_explicit(&pub->publishing, false, memory_order_release);
		return;
	}
	/*
	 * rte_rcu_qsbr_synchronize(qs, RTE_QSBR_THRID_INVALID) (the writer is
	 * not a reader), but yielding between checks instead of spinning: the
	 * control core may share its CPU with other threads, or with the very
	 * readers it waits for (tests, small boxes), and a spinning writer then
	 * holds that CPU for a whole time slice per publication.
	 */
	if (pub->qs != NULL) {
		uint64_t token = rte_rcu_qsbr_start(pub->qs);

		while (rte_rcu_qsbr_check(pub->qs, token, false) == 0)
			sched_yield();
	}
	se_dispatch_table_free(old);
	atomic_store_explicit(&pub->publishing, false, memory_order_release);
}

void
se_dispatch_pub_fini(struct se_dispatch_pub *pub)
{
	se_dispatch_publish(pub, NULL);
}
