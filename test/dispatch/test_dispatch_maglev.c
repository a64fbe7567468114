/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The table: balance, minimal disruption, determinism, priority failover,
 * lookups by address.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "dispatch_test.h"

#define N_KEYS 1000000u

/* Keys per backend (table index) over N_KEYS random Call-IDs of set 0. */
static void
count_keys(const struct se_dispatch_table *t, unsigned set_idx, uint64_t seed, unsigned *count,
	   unsigned *none)
{
	char cid[TEST_CALL_ID_LEN];

	memset(count, 0, t->n_backends * sizeof(*count));
	*none = 0;
	for (unsigned k = 0; k < N_KEYS; k++) {
		int b;

		test_call_id(&seed, cid);
		b = se_dispatch_lookup(t, set_idx, se_dispatch_hash(cid, sizeof(cid)));
		if (b < 0)
			(*none)++;
		else
			count[b]++;
	}
}

/* Slots of each backend (table index) in set @set_idx. */
static void
count_slots(const struct se_dispatch_table *t, unsigned set_idx, unsigned *slots)
{
	const struct se_dispatch_set *s = &t->sets[set_idx];

	memset(slots, 0, t->n_backends * sizeof(*slots));
	for (uint32_t i = 0; i < s->size; i++)
		if (s->lookup[i] != SE_DISPATCH_NONE)
			slots[s->first + s->lookup[i]]++;
}

/*
 * Keys whose backend differs between two tables (compared by address), and
 * among them those whose old backend is still in @after (the "others").
 */
static void
moved_keys(const struct se_dispatch_table *before, const struct se_dispatch_table *after,
	   unsigned *moved, unsigned *moved_others, unsigned *kept_backend_keys)
{
	uint64_t seed = 42;
	char cid[TEST_CALL_ID_LEN];

	*moved = *moved_others = *kept_backend_keys = 0;
	for (unsigned k = 0; k < N_KEYS; k++) {
		const struct se_dispatch_addr *a, *b;
		int still;

		test_call_id(&seed, cid);
		a = test_pick(before, 0, cid, sizeof(cid));
		b = test_pick(after, 0, cid, sizeof(cid));
		still = se_dispatch_find(after, a->family, a->bytes, a->port);
		if (still >= 0 && after->backends[still].state == SE_DISPATCH_UP &&
		    after->backends[still].weight > 0)
			(*kept_backend_keys)++;
		if (test_same_addr(a, b))
			continue;
		(*moved)++;
		if (still >= 0 && after->backends[still].state == SE_DISPATCH_UP &&
		    after->backends[still].weight > 0)
			(*moved_others)++;
	}
}

/* ---------------------------------------------------------------------------
 * Balance
 */

struct weight_mix {
	unsigned n;
	unsigned w[12];
};

ParameterizedTestParameters(maglev, each_backend_gets_its_weight_share_of_keys_within_1pct)
{
	static struct weight_mix mixes[] = {
		{4, {1, 1, 1, 1}},
		{4, {1, 2, 3, 4}},
		{2, {1, 100}},
		{3, {100, 50, 1}},
		{10, {5, 1, 1, 1, 1, 10, 20, 1, 1, 59}},
		{12, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{5, {65535, 65535, 30000, 1000, 1}},
	};

	return cr_make_param_array(struct weight_mix, mixes, sizeof(mixes) / sizeof(mixes[0]));
}

ParameterizedTest(struct weight_mix *mix, maglev,
		  each_backend_gets_its_weight_share_of_keys_within_1pct)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	unsigned count[12], slots[12], none, total_w = 0;

	for (unsigned i = 0; i < mix->n; i++) {
		test_add_numbered(cfg, i, mix->w[i], 0, 1);
		total_w += mix->w[i];
	}
	t = test_build(cfg);
	cr_assert(eq(u16, t->sets[0].n_active, mix->n));
	count_keys(t, 0, 7, count, &none);
	count_slots(t, 0, slots);
	cr_expect(eq(uint, none, 0));
	for (unsigned b = 0; b < mix->n; b++) {
		/* Table order is canonical; find this backend's weight by address. */
		const struct se_dispatch_backend *x = &t->backends[b];
		double want = (double)x->weight / total_w;
		double got = (double)count[b] / N_KEYS;
		double slot_share = (double)slots[b] / t->sets[0].size;

		cr_expect(le(dbl, fabs(got - want), 0.01), "%s weight %u: %.4f of keys, want %.4f",
			  x->name, x->weight, got, want);
		cr_expect(le(dbl, fabs(slot_share - want), 0.001),
			  "%s weight %u: %.5f of slots, want %.5f", x->name, x->weight, slot_share,
			  want);
	}
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, every_slot_holds_an_active_backend_of_the_set)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;

	for (unsigned i = 0; i < 20; i++)
		test_add_numbered(cfg, i, 1 + i % 3, 0, 1 + i % 2);
	cr_assert(eq(int, se_dispatch_config_set_state(cfg, 3, SE_DISPATCH_DOWN), 0));
	t = test_build(cfg);
	for (unsigned s = 0; s < t->n_sets; s++) {
		const struct se_dispatch_set *set = &t->sets[s];

		for (uint32_t i = 0; i < set->size; i++) {
			const struct se_dispatch_backend *b;

			cr_assert(lt(u16, set->lookup[i], set->count));
			b = &t->backends[set->first + set->lookup[i]];
			cr_assert(eq(u32, b->set_id, set->set_id));
			cr_assert(eq(u8, b->state, SE_DISPATCH_UP));
		}
	}
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * Minimal disruption
 */

ParameterizedTestParameters(maglev, removing_one_backend_moves_only_its_keys_plus_under_1pct)
{
	static unsigned sizes[] = {3, 10, 50};

	return cr_make_param_array(unsigned, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

ParameterizedTest(unsigned *n, maglev, removing_one_backend_moves_only_its_keys_plus_under_1pct)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *before, *after, *again;
	unsigned moved, others, kept, victim = *n / 2;

	for (unsigned i = 0; i < *n; i++)
		test_add_numbered(cfg, i, 1, 0, 1);
	before = test_build(cfg);
	cr_assert(eq(int, se_dispatch_config_del(cfg, victim), 0));
	after = test_build(cfg);
	moved_keys(before, after, &moved, &others, &kept);
	cr_log_info("%u backends, one removed: %u keys moved, %u of them from remaining backends "
		    "(%.3f%% of their %u keys)", *n, moved, others, 100.0 * others / kept, kept);
	cr_expect(le(dbl, (double)others / kept, 0.01), "%u of %u keys of remaining backends moved",
		  others, kept);
	cr_expect(eq(uint, moved - others, N_KEYS - kept), "every key of the removed one moved");

	/* Adding it back, at another position in the list, restores the mapping. */
	test_add_numbered(cfg, victim, 1, 0, 1);
	again = test_build(cfg);
	cr_assert(eq(u32, again->sets[0].size, before->sets[0].size));
	cr_expect(eq(int, memcmp(again->sets[0].lookup, before->sets[0].lookup,
				 before->sets[0].size * sizeof(uint16_t)), 0));
	cr_expect(eq(int, memcmp(again->backends, before->backends,
				 before->n_backends * sizeof(before->backends[0])), 0));
	se_dispatch_table_free(before);
	se_dispatch_table_free(after);
	se_dispatch_table_free(again);
	se_dispatch_config_free(cfg);
}

Test(maglev, marking_a_backend_down_maps_keys_exactly_as_removing_it)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create(), *cfg2;
	struct se_dispatch_table *down, *removed;
	const struct se_dispatch_set *sd, *sr;

	cfg2 = se_dispatch_config_create();
	for (unsigned i = 0; i < 8; i++) {
		test_add_numbered(cfg, i, 1 + i, 0, 1);
		if (i != 5)
			test_add_numbered(cfg2, i, 1 + i, 0, 1);
	}
	cr_assert(eq(int, se_dispatch_config_set_state(cfg, 5, SE_DISPATCH_DOWN), 0));
	down = test_build(cfg);
	removed = test_build(cfg2);
	sd = &down->sets[0];
	sr = &removed->sets[0];
	cr_assert(eq(u32, sd->size, sr->size));
	for (uint32_t i = 0; i < sd->size; i++)
		cr_assert(test_same_addr(&down->backends[sd->first + sd->lookup[i]].addr,
					 &removed->backends[sr->first + sr->lookup[i]].addr),
			  "slot %u", i);
	se_dispatch_table_free(down);
	se_dispatch_table_free(removed);
	se_dispatch_config_free(cfg);
	se_dispatch_config_free(cfg2);
}

struct weight_change {
	unsigned n;    /* backends, all weight 1 but one */
	unsigned from; /* its weight before */
	unsigned to;   /* and after */
};

ParameterizedTestParameters(maglev, changing_one_weight_moves_only_a_proportional_share)
{
	static struct weight_change cases[] = {
		{10, 1, 2}, {10, 1, 3}, {10, 3, 1}, {5, 10, 1}, {20, 1, 0},
	};

	return cr_make_param_array(struct weight_change, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct weight_change *c, maglev,
		  changing_one_weight_moves_only_a_proportional_share)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *before, *after;
	unsigned moved, others, kept, j = c->n / 3;
	double share_before = (double)c->from / (c->n - 1 + c->from);
	double share_after = (double)c->to / (c->n - 1 + c->to);
	double minimal = fabs(share_after - share_before);

	for (unsigned i = 0; i < c->n; i++)
		test_add_numbered(cfg, i, i == j ? c->from : 1, 0, 1);
	before = test_build(cfg);
	cr_assert(eq(int, se_dispatch_config_set_weight(cfg, j, c->to), 0));
	after = test_build(cfg);
	moved_keys(before, after, &moved, &others, &kept);
	cr_log_info("weight %u -> %u among %u: %.4f of keys moved, %.4f at least", c->from, c->to,
		    c->n, (double)moved / N_KEYS, minimal);
	cr_expect(le(dbl, (double)moved / N_KEYS, minimal + 0.01),
		  "%.4f of keys moved, the share changed by %.4f", (double)moved / N_KEYS, minimal);
	cr_expect(ge(dbl, (double)moved / N_KEYS, minimal - 0.01), "the change took effect");
	se_dispatch_table_free(before);
	se_dispatch_table_free(after);
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * Determinism
 */

static void
assert_same_tables(const struct se_dispatch_table *a, const struct se_dispatch_table *b)
{
	cr_assert(eq(u16, a->n_backends, b->n_backends));
	cr_assert(eq(u16, a->n_sets, b->n_sets));
	cr_assert(eq(u32, a->addr_mask, b->addr_mask));
	cr_assert(eq(int, memcmp(a->backends, b->backends, a->n_backends * sizeof(*a->backends)),
		     0));
	cr_assert(eq(int, memcmp(a->addr_index, b->addr_index,
				 (a->addr_mask + 1) * sizeof(uint16_t)), 0));
	for (unsigned s = 0; s < a->n_sets; s++) {
		const struct se_dispatch_set *x = &a->sets[s], *y = &b->sets[s];

		cr_assert(eq(u32, x->set_id, y->set_id));
		cr_assert(eq(u32, x->size, y->size));
		cr_assert(eq(u16, x->first, y->first));
		cr_assert(eq(u16, x->count, y->count));
		cr_assert(eq(u16, x->n_active, y->n_active));
		cr_assert(eq(u8, x->key, y->key));
		cr_assert(eq(i32, x->priority, y->priority));
		cr_assert(eq(int, memcmp(x->lookup, y->lookup, x->size * sizeof(uint16_t)), 0),
			  "set %u", x->set_id);
	}
}

Test(maglev, the_same_backends_in_any_order_give_byte_identical_tables)
{
	static const char *const args[] = {
		"10.0.0.1:5060,weight=3",
		"10.0.0.2:5060",
		"10.0.0.3:5062,weight=2,prio=1",
		"10.0.0.3:5060,weight=2",
		"[2001:db8::1]:5060,weight=5",
		"[2001:db8::2]:5060,state=draining",
		"192.0.2.1:5060,set=2",
		"192.0.2.2:5060,set=2,weight=7",
		"192.0.2.3:5060,set=2,prio=-1",
		"192.0.2.4:5060,set=2,prio=-1,weight=4",
		"10.0.0.1:5060,set=2",
		"[2001:db8::1]:5060,set=3,state=down",
		"[2001:db8::3]:5060,set=3",
		"[2001:db8::4]:5061,set=3,weight=0",
		"198.51.100.9:5060,set=3",
		"198.51.100.10:5060,set=3,weight=9",
	};
	const unsigned n = sizeof(args) / sizeof(args[0]);
	struct se_dispatch_config *cfg = test_config(args, n);
	struct se_dispatch_table *ref;
	const char *order[sizeof(args) / sizeof(args[0])];
	uint64_t seed = 2024;

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=to-uri", NULL, 0), 0));
	ref = test_build(cfg);
	se_dispatch_config_free(cfg);
	memcpy(order, args, sizeof(order));
	for (int round = 0; round < 20; round++) {
		struct se_dispatch_table *t;

		for (unsigned i = n - 1; i > 0; i--) {
			unsigned j = (unsigned)(test_rand(&seed) % (i + 1));
			const char *x = order[i];

			order[i] = order[j];
			order[j] = x;
		}
		cfg = test_config(order, n);
		cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=to-uri", NULL, 0), 0));
		t = test_build(cfg);
		assert_same_tables(ref, t);
		se_dispatch_table_free(t);
		se_dispatch_config_free(cfg);
	}
	se_dispatch_table_free(ref);
}

Test(maglev, changing_another_set_leaves_a_sets_lookup_bytes_alone)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3,set=2"};
	struct se_dispatch_config *cfg = test_config(args, 3);
	struct se_dispatch_table *a, *b;

	a = test_build(cfg);
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "9.9.9.9,set=0", NULL, 0), 3));
	b = test_build(cfg);
	cr_assert(eq(u32, a->sets[0].set_id, 1));
	cr_assert(eq(u32, b->sets[1].set_id, 1), "set 0 now comes first");
	cr_expect(eq(int, memcmp(a->sets[0].lookup, b->sets[1].lookup,
				 a->sets[0].size * sizeof(uint16_t)), 0));
	cr_expect(eq(u16, b->sets[1].first, 1), "table indices shift, set-local ones do not");
	se_dispatch_table_free(a);
	se_dispatch_table_free(b);
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * Priority failover
 */

/* Keys (of N_KEYS) that each of the four backends of the failover set gets. */
static void
spread(const struct se_dispatch_table *t, unsigned got[4], unsigned *none)
{
	unsigned count[4];

	count_keys(t, 0, 99, count, none);
	memcpy(got, count, sizeof(count));
}

Test(maglev, keys_fail_over_to_the_next_priority_and_return)
{
	/* Canonical order: .1 .2 (prio 0), .3 .4 (prio 1) are table indices 0..3. */
	static const char *const args[] = {"10.0.0.3:5060,prio=1", "10.0.0.1:5060",
					   "10.0.0.4:5060,prio=1", "10.0.0.2:5060"};
	struct se_dispatch_config *cfg = test_config(args, 4);
	struct se_dispatch_table *t0, *t;
	unsigned got[4], none;
	struct se_dispatch_addr a1, a2;
	int i1, i2;

	se_dispatch_addr_parse("10.0.0.1:5060", 13, 0, &a1, NULL);
	se_dispatch_addr_parse("10.0.0.2:5060", 13, 0, &a2, NULL);
	i1 = se_dispatch_config_find(cfg, 1, &a1);
	i2 = se_dispatch_config_find(cfg, 1, &a2);

	t0 = test_build(cfg);
	cr_assert(eq(i32, t0->sets[0].priority, 0));
	spread(t0, got, &none);
	cr_expect(eq(uint, got[2] + got[3], 0), "priority 1 idle while priority 0 is up");
	cr_expect(le(dbl, fabs(got[0] / (double)N_KEYS - 0.5), 0.01));

	/* One of priority 0 down: the other takes everything. */
	se_dispatch_config_set_state(cfg, (unsigned)i1, SE_DISPATCH_DOWN);
	t = test_build(cfg);
	spread(t, got, &none);
	cr_expect(eq(uint, got[1], N_KEYS));
	se_dispatch_table_free(t);

	/* All of priority 0 down: keys spread over priority 1. */
	se_dispatch_config_set_state(cfg, (unsigned)i2, SE_DISPATCH_DOWN);
	t = test_build(cfg);
	cr_expect(eq(i32, t->sets[0].priority, 1));
	cr_expect(eq(u16, t->sets[0].n_active, 2));
	spread(t, got, &none);
	cr_expect(eq(uint, got[0] + got[1], 0));
	cr_expect(le(dbl, fabs(got[2] / (double)N_KEYS - 0.5), 0.01), "%u", got[2]);
	cr_expect(le(dbl, fabs(got[3] / (double)N_KEYS - 0.5), 0.01), "%u", got[3]);
	se_dispatch_table_free(t);

	/* Draining, disabled or weight 0 count as gone for new calls too. */
	se_dispatch_config_set_state(cfg, (unsigned)i1, SE_DISPATCH_DRAINING);
	se_dispatch_config_set_state(cfg, (unsigned)i2, SE_DISPATCH_DISABLED);
	t = test_build(cfg);
	cr_expect(eq(i32, t->sets[0].priority, 1));
	se_dispatch_table_free(t);
	se_dispatch_config_set_state(cfg, (unsigned)i1, SE_DISPATCH_UP);
	se_dispatch_config_set_state(cfg, (unsigned)i2, SE_DISPATCH_UP);
	se_dispatch_config_set_weight(cfg, (unsigned)i1, 0);
	se_dispatch_config_set_weight(cfg, (unsigned)i2, 0);
	t = test_build(cfg);
	cr_expect(eq(i32, t->sets[0].priority, 1));
	se_dispatch_table_free(t);

	/* Priority 0 back: the original table, byte for byte. */
	se_dispatch_config_set_weight(cfg, (unsigned)i1, 1);
	se_dispatch_config_set_weight(cfg, (unsigned)i2, 1);
	t = test_build(cfg);
	assert_same_tables(t0, t);
	se_dispatch_table_free(t);

	/* Everything down: no backend. */
	for (unsigned i = 0; i < 4; i++)
		se_dispatch_config_set_state(cfg, i, SE_DISPATCH_DOWN);
	t = test_build(cfg);
	cr_expect(eq(u16, t->sets[0].n_active, 0));
	spread(t, got, &none);
	cr_expect(eq(uint, none, N_KEYS));
	se_dispatch_table_free(t);

	se_dispatch_table_free(t0);
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * Sizes, sets, lookups
 */

Test(maglev, table_size_is_prime_and_at_least_100_slots_per_backend)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	uint32_t size;

	for (unsigned i = 0; i < 655; i++)
		test_add_numbered(cfg, i, 1, 0, 1);
	t = test_build(cfg);
	cr_expect(eq(u32, t->sets[0].size, SE_DISPATCH_DEFAULT_SIZE));
	se_dispatch_table_free(t);
	for (unsigned i = 655; i < 700; i++)
		test_add_numbered(cfg, i, 1, 0, 1);
	t = test_build(cfg);
	size = t->sets[0].size;
	cr_expect(ge(u32, size, 70000));
	cr_expect(lt(u32, size, 70100));
	for (uint32_t d = 2; d * d <= size; d++)
		cr_assert(not(eq(u32, size % d, 0)), "%u divides %u", d, size);
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, the_largest_configuration_builds)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;

	for (unsigned i = 0; i < SE_DISPATCH_MAX_BACKENDS; i++)
		test_add_numbered(cfg, i, 1 + i % 7, 0, 1);
	t = test_build(cfg);
	cr_expect(eq(u16, t->n_backends, SE_DISPATCH_MAX_BACKENDS));
	cr_expect(ge(u32, t->sets[0].size, SE_DISPATCH_MAX_BACKENDS * 100u));
	cr_expect(le(u32, t->sets[0].size, SE_DISPATCH_MAX_SIZE));
	for (unsigned i = 0; i < SE_DISPATCH_MAX_BACKENDS; i++) {
		const struct se_dispatch_addr *a = &t->backends[i].addr;

		cr_assert(eq(int, se_dispatch_find(t, AF_INET, a->bytes, a->port), (int)i));
	}
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, an_empty_configuration_builds_an_empty_table)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t = test_build(cfg);
	uint8_t a[4] = {10, 0, 0, 1};

	cr_expect(eq(u16, t->n_backends, 0));
	cr_expect(eq(u16, t->n_sets, 0));
	cr_expect(eq(int, se_dispatch_lookup(t, 0, 12345), -1));
	cr_expect(eq(int, se_dispatch_find(t, AF_INET, a, 5060), -1));
	cr_expect(eq(int, se_dispatch_set_index(t, 1), -1));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, lookups_out_of_range_return_no_backend)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2,set=4"};
	struct se_dispatch_config *cfg = test_config(args, 2);
	struct se_dispatch_table *t = test_build(cfg);

	cr_expect(eq(int, se_dispatch_set_index(t, 1), 0));
	cr_expect(eq(int, se_dispatch_set_index(t, 4), 1));
	cr_expect(eq(int, se_dispatch_set_index(t, 2), -1));
	cr_expect(eq(int, se_dispatch_lookup(t, 0, 0), 0));
	cr_expect(eq(int, se_dispatch_lookup(t, 1, UINT64_MAX), 1), "the last slot");
	cr_expect(eq(int, se_dispatch_lookup(t, 2, 0), -1));
	cr_expect(eq(ptr, (void *)se_dispatch_backend(t, -1), NULL));
	cr_expect(eq(ptr, (void *)se_dispatch_backend(t, 2), NULL));
	cr_expect(eq(str, (char *)se_dispatch_backend(t, 1)->name, "10.0.0.2:5060"));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, find_names_a_backend_by_address_in_any_state)
{
	static const char *const args[] = {
		"10.0.0.1:5060,state=draining", "10.0.0.1:5062,state=down",
		"[2001:db8::1]:5060,set=2,state=disabled", "10.0.0.1:5060,set=0,weight=0",
		"[2001:db8::1]:5060,set=7",
	};
	struct se_dispatch_config *cfg = test_config(args, 5);
	struct se_dispatch_table *t = test_build(cfg);
	uint8_t v4[4] = {10, 0, 0, 1}, v6[16], v4_as_16[16] = {10, 0, 0, 1};
	int b;

	inet_pton(AF_INET6, "2001:db8::1", v6);
	b = se_dispatch_find(t, AF_INET, v4, 5060);
	cr_assert(ge(int, b, 0));
	cr_expect(eq(u32, t->backends[b].set_id, 0), "the lowest set id of equal addresses");
	b = se_dispatch_find(t, AF_INET, v4, 5062);
	cr_assert(ge(int, b, 0));
	cr_expect(eq(u8, t->backends[b].state, SE_DISPATCH_DOWN));
	b = se_dispatch_find(t, AF_INET6, v6, 5060);
	cr_assert(ge(int, b, 0));
	cr_expect(eq(u32, t->backends[b].set_id, 2));
	cr_expect(eq(u8, t->backends[b].state, SE_DISPATCH_DISABLED));
	cr_expect(eq(int, se_dispatch_find(t, AF_INET, v4, 5061), -1), "port differs");
	cr_expect(eq(int, se_dispatch_find(t, AF_INET6, v6, 5062), -1));
	cr_expect(eq(int, se_dispatch_find(t, AF_INET6, v4_as_16, 5060), -1),
		  "family differs");
	cr_expect(eq(int, se_dispatch_find(t, 12345, v4, 5060), -1), "unknown family");
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(maglev, a_draining_backend_is_found_but_gets_no_new_calls)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2,state=draining"};
	struct se_dispatch_config *cfg = test_config(args, 2);
	struct se_dispatch_table *t = test_build(cfg);
	uint8_t a[4] = {10, 0, 0, 2};
	unsigned count[2], none;

	count_keys(t, 0, 5, count, &none);
	cr_expect(eq(uint, count[0], N_KEYS));
	cr_expect(eq(int, se_dispatch_find(t, AF_INET, a, 5060), 1));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}
