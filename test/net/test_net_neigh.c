/* SPDX-License-Identifier: BSD-3-Clause */
/* Neighbour table snapshots and the control core's ARP resolver, with a fake clock. */
#include <errno.h>
#include <stdlib.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "se_net_neigh.h"

/* RTE_IPV4 shifts a signed int: UB from 128.0.0.0 up, so the tests use their own */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define BE(a, b, c, d) RTE_BE32(IP4(a, b, c, d))
#define HZ 1000000ull       /* fake clock: microseconds */
#define MS(x) ((uint64_t)(x) * 1000)

static struct rte_ether_addr
mk_mac(uint32_t n)
{
	struct rte_ether_addr m = { { 0x02, 0, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
				      (uint8_t)(n >> 8), (uint8_t)n } };
	return m;
}

/* ---- table ---- */

Test(neigh_table, every_built_entry_is_found_and_others_are_not)
{
	enum { N = 10000 };
	struct se_net_neigh *e = calloc(N, sizeof(*e));
	struct se_net_neigh_table *t;

	cr_assert(not(eq(ptr, e, NULL)));
	for (uint32_t i = 0; i < N; i++) {
		e[i].ip = rte_cpu_to_be_32(IP4(10, 0, 0, 0) + i + 1);
		e[i].port = (uint16_t)(i & 1);
		e[i].mac = mk_mac(i);
	}
	t = se_net_neigh_table_build(e, N, 7);
	cr_assert(not(eq(ptr, t, NULL)));
	cr_assert(eq(u32, t->count, N));
	cr_assert(eq(u64, t->version, 7));
	for (uint32_t i = 0; i < N; i++) {
		const struct rte_ether_addr *m = se_net_neigh_lookup(t, e[i].port, e[i].ip);

		cr_assert(not(eq(ptr, (void *)m, NULL)), "entry %u", i);
		cr_assert(rte_is_same_ether_addr(m, &e[i].mac));
		/* the same address on the other port is another neighbour */
		cr_assert(eq(ptr, (void *)se_net_neigh_lookup(t, (uint16_t)!e[i].port, e[i].ip),
			     NULL));
	}
	cr_assert(eq(ptr, (void *)se_net_neigh_lookup(t, 0, BE(192, 0, 2, 1)), NULL));
	cr_assert(eq(ptr, (void *)se_net_neigh_lookup(t, 0, 0), NULL));
	se_net_neigh_table_free(t);
	free(e);
}

Test(neigh_table, a_later_duplicate_wins_and_empty_or_null_tables_miss)
{
	struct se_net_neigh e[3] = {
		{ BE(198, 51, 100, 11), 1, mk_mac(1) },
		{ BE(198, 51, 100, 11), 1, mk_mac(2) },
		{ 0, 1, mk_mac(3) },
	};
	struct se_net_neigh_table *t = se_net_neigh_table_build(e, 3, 1);
	struct rte_ether_addr want = mk_mac(2);

	cr_assert(eq(u32, t->count, 1));
	cr_assert(rte_is_same_ether_addr(se_net_neigh_lookup(t, 1, BE(198, 51, 100, 11)), &want));
	se_net_neigh_table_free(t);
	t = se_net_neigh_table_build(NULL, 0, 2);
	cr_assert(eq(ptr, (void *)se_net_neigh_lookup(t, 1, BE(198, 51, 100, 11)), NULL));
	se_net_neigh_table_free(t);
	cr_assert(eq(ptr, (void *)se_net_neigh_lookup(NULL, 1, BE(198, 51, 100, 11)), NULL));
}

/* ---- resolver ---- */

static struct se_net_resolver *
mk(uint32_t max_entries, uint32_t rate)
{
	struct se_net_resolver_params p = {
		.hz = HZ, .max_entries = max_entries, .retry_ms = 1000, .max_tries = 3,
		.reachable_ms = 60000, .failed_hold_ms = 5000, .rate_per_s = rate,
	};
	struct se_net_resolver *r = se_net_resolver_create(&p);

	cr_assert(not(eq(ptr, r, NULL)));
	return r;
}

Test(neigh_resolver, wanted_address_is_requested_at_once_then_every_retry_interval)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(198, 51, 100, 11);

	cr_assert(eq(int, se_net_resolver_want(r, 1, ip, MS(0)), 0));
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, NULL), SE_NET_NEIGH_INCOMPLETE));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(0), q, 8), 1));
	cr_assert(eq(u16, q[0].port, 1));
	cr_assert(eq(u32, q[0].ip, ip));
	/* wanting it again does not ask again */
	cr_assert(eq(int, se_net_resolver_want(r, 1, ip, MS(10)), 0));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(999), q, 8), 0));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(1000), q, 8), 1));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(2000), q, 8), 1));
	cr_assert(not(se_net_resolver_changed(r)));
	se_net_resolver_free(r);
}

Test(neigh_resolver, silent_address_fails_stays_quiet_for_the_hold_down_then_is_forgotten)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(198, 51, 100, 12);
	unsigned int sent = 0;

	se_net_resolver_want(r, 1, ip, MS(0));
	for (uint64_t t = 0; t <= MS(3500); t += MS(100))
		sent += se_net_resolver_tick(r, t, q, 8);
	cr_assert(eq(uint, sent, 3));
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, NULL), SE_NET_NEIGH_FAILED));
	/* during the hold-down a want is ignored: no request storm towards a dead host */
	se_net_resolver_want(r, 1, ip, MS(4000));
	for (uint64_t t = MS(3600); t < MS(8000); t += MS(100))
		sent += se_net_resolver_tick(r, t, q, 8);
	cr_assert(eq(uint, sent, 3));
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, NULL), SE_NET_NEIGH_FAILED));
	se_net_resolver_tick(r, MS(8100), q, 8);
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, NULL), SE_NET_NEIGH_NONE));
	cr_assert(eq(u32, se_net_resolver_count(r), 0));
	se_net_resolver_want(r, 1, ip, MS(9000));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(9000), q, 8), 1));
	se_net_resolver_free(r);
}

Test(neigh_resolver, answer_makes_it_reachable_and_published)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(198, 51, 100, 11);
	struct rte_ether_addr m = mk_mac(11), got;
	struct se_net_neigh_table *t;

	se_net_resolver_want(r, 1, ip, MS(0));
	se_net_resolver_tick(r, MS(0), q, 8);
	cr_assert(se_net_resolver_learn(r, 1, ip, &m, true, MS(5)));
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, &got), SE_NET_NEIGH_REACHABLE));
	cr_assert(rte_is_same_ether_addr(&got, &m));
	cr_assert(se_net_resolver_changed(r));
	t = se_net_resolver_build(r);
	cr_assert(not(se_net_resolver_changed(r)));
	cr_assert(rte_is_same_ether_addr(se_net_neigh_lookup(t, 1, ip), &m));
	/* no more requests once answered */
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(1000), q, 8), 0));
	/* the same answer again changes nothing */
	cr_assert(not(se_net_resolver_learn(r, 1, ip, &m, true, MS(2000))));
	se_net_neigh_table_free(t);
	se_net_resolver_free(r);
}

Test(neigh_resolver, unsolicited_arp_updates_known_entries_only)
{
	struct se_net_resolver *r = mk(16, 100);
	uint32_t a = BE(198, 51, 100, 11), b = BE(198, 51, 100, 12);
	struct rte_ether_addr m1 = mk_mac(1), m2 = mk_mac(2), got;

	cr_assert(not(se_net_resolver_learn(r, 1, a, &m1, false, MS(0))));
	cr_assert(eq(int, se_net_resolver_state(r, 1, a, NULL), SE_NET_NEIGH_NONE));
	se_net_resolver_learn(r, 1, b, &m1, true, MS(0));
	cr_assert(se_net_resolver_learn(r, 1, b, &m2, false, MS(10)));
	se_net_resolver_state(r, 1, b, &got);
	cr_assert(rte_is_same_ether_addr(&got, &m2));
	se_net_resolver_free(r);
}

Test(neigh_resolver, static_entry_is_never_overridden_or_expired)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(198, 51, 100, 13);
	struct rte_ether_addr s = mk_mac(13), other = mk_mac(99), got;
	unsigned int sent = 0;

	cr_assert(eq(int, se_net_resolver_add_static(r, 1, ip, &s), 0));
	cr_assert(not(se_net_resolver_learn(r, 1, ip, &other, true, MS(1))));
	for (uint64_t t = 0; t < MS(300000); t += MS(10000))
		sent += se_net_resolver_tick(r, t, q, 8);
	cr_assert(eq(uint, sent, 0));
	cr_assert(eq(int, se_net_resolver_state(r, 1, ip, &got), SE_NET_NEIGH_STATIC));
	cr_assert(rte_is_same_ether_addr(&got, &s));
	cr_assert(eq(int, se_net_resolver_add_static(r, 1, 0, &s), -EINVAL));
	se_net_resolver_free(r);
}

Test(neigh_resolver, old_entry_is_probed_kept_while_probing_and_removed_if_silent)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(203, 0, 113, 10);
	struct rte_ether_addr m = mk_mac(10);
	struct se_net_neigh_table *t;

	se_net_resolver_learn(r, 0, ip, &m, true, MS(0));
	se_net_neigh_table_free(se_net_resolver_build(r));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(59999), q, 8), 0));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(60000), q, 8), 1));
	cr_assert(eq(int, se_net_resolver_state(r, 0, ip, NULL), SE_NET_NEIGH_PROBE));
	/* still usable while probing */
	cr_assert(not(se_net_resolver_changed(r)));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(61000), q, 8), 1));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(62000), q, 8), 1));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(63000), q, 8), 0));
	cr_assert(se_net_resolver_changed(r));
	t = se_net_resolver_build(r);
	cr_assert(eq(ptr, (void *)se_net_neigh_lookup(t, 0, ip), NULL));
	se_net_neigh_table_free(t);
	se_net_resolver_free(r);
}

Test(neigh_resolver, answer_during_probe_keeps_the_entry)
{
	struct se_net_resolver *r = mk(16, 100);
	struct se_net_arp_req q[8];
	uint32_t ip = BE(203, 0, 113, 10);
	struct rte_ether_addr m = mk_mac(10);

	se_net_resolver_learn(r, 0, ip, &m, true, MS(0));
	se_net_resolver_tick(r, MS(60000), q, 8);
	cr_assert(not(se_net_resolver_learn(r, 0, ip, &m, true, MS(60010))));
	cr_assert(eq(int, se_net_resolver_state(r, 0, ip, NULL), SE_NET_NEIGH_REACHABLE));
	cr_assert(eq(uint, se_net_resolver_tick(r, MS(63000), q, 8), 0));
	se_net_resolver_free(r);
}

Test(neigh_resolver, requests_are_rate_limited_across_entries)
{
	struct se_net_resolver *r = mk(4096, 100);
	struct se_net_arp_req q[64];
	unsigned int first, total = 0;

	for (uint32_t i = 0; i < 1000; i++)
		cr_assert(eq(int, se_net_resolver_want(r, 1, rte_cpu_to_be_32(IP4(10, 1, 0, 0)
									      + i), MS(0)), 0));
	first = se_net_resolver_tick(r, MS(0), q, 64);
	cr_assert(le(uint, first, 16));
	cr_assert(gt(uint, first, 0));
	/* one second later: about rate_per_s more, never a flood */
	for (uint64_t t = MS(10); t <= MS(1000); t += MS(10))
		total += se_net_resolver_tick(r, t, q, 64);
	cr_assert(le(uint, total, 101));
	cr_assert(ge(uint, total, 90));
	se_net_resolver_free(r);
}

Test(neigh_resolver, full_table_refuses_new_entries)
{
	struct se_net_resolver *r = mk(4, 100);
	struct rte_ether_addr m = mk_mac(1);

	for (uint32_t i = 0; i < 4; i++)
		cr_assert(eq(int, se_net_resolver_want(r, 1, BE(10, 0, 0, 1 + i), 0), 0));
	cr_assert(eq(int, se_net_resolver_want(r, 1, BE(10, 0, 0, 9), 0), -ENOSPC));
	cr_assert(eq(int, se_net_resolver_add_static(r, 1, BE(10, 0, 0, 9), &m), -ENOSPC));
	cr_assert(not(se_net_resolver_learn(r, 1, BE(10, 0, 0, 9), &m, true, 0)));
	cr_assert(eq(int, se_net_resolver_want(r, 1, 0, 0), -EINVAL));
	se_net_resolver_free(r);
}

Test(neigh_resolver, forgetting_entries_keeps_colliding_neighbours_reachable)
{
	/* small table, many entries: deletions shift probe chains around */
	struct se_net_resolver *r = mk(64, 1000000);
	struct se_net_arp_req q[64];
	struct se_net_neigh_table *t;

	for (uint32_t i = 0; i < 64; i++) {
		uint32_t ip = BE(10, 2, 0, 1 + i);

		if (i % 2 == 0) {
			se_net_resolver_want(r, 1, ip, MS(0));
		} else {
			struct rte_ether_addr m = mk_mac(i);

			se_net_resolver_add_static(r, 1, ip, &m);
		}
	}
	/* the wanted half fails and is forgotten */
	for (uint64_t now = 0; now <= MS(20000); now += MS(500))
		se_net_resolver_tick(r, now, q, 64);
	cr_assert(eq(u32, se_net_resolver_count(r), 32));
	t = se_net_resolver_build(r);
	for (uint32_t i = 1; i < 64; i += 2) {
		struct rte_ether_addr m = mk_mac(i);
		const struct rte_ether_addr *got = se_net_neigh_lookup(t, 1, BE(10, 2, 0, 1 + i));

		cr_assert(not(eq(ptr, (void *)got, NULL)), "static %u lost", i);
		cr_assert(rte_is_same_ether_addr(got, &m));
		cr_assert(eq(int, se_net_resolver_state(r, 1, BE(10, 2, 0, 1 + i), NULL),
			     SE_NET_NEIGH_STATIC));
	}
	se_net_neigh_table_free(t);
	se_net_resolver_free(r);
}
