/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/guard's ACL on rte_lpm/rte_lpm6 (needs EAL: suite 'eal'): the longest
 * prefix wins, whatever the order of the rules; /0 rules; IPv6.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "se_guard_acl.h"

static void
setup(void)
{
	char prefix[64];
	char *av[] = { "test_guard_acl", "--no-huge", "-m", "256", "--no-pci", "--no-telemetry",
		       "--log-level=lib.eal:error", prefix, NULL };

	snprintf(prefix, sizeof(prefix), "--file-prefix=se-guard-acl-%d", getpid());
	cr_assert(ge(int, rte_eal_init(8, av), 0));
}

static void
teardown(void)
{
	char cmd[128];

	rte_eal_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf /var/run/dpdk/se-guard-acl-%d", getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed: %s\n", cmd);
}

TestSuite(guard_acl, .init = setup, .fini = teardown, .timeout = 60);

static struct se_guard_acl_rule
rule(const char *prefix, enum se_guard_acl_action a)
{
	struct se_guard_acl_rule r;

	cr_assert(eq(int, se_guard_prefix_parse(prefix, &r.prefix), 0), "%s", prefix);
	r.action = (uint8_t)a;
	return r;
}

static enum se_guard_acl_action
v4(const struct se_guard_acl *acl, const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1));
	return se_guard_acl_lookup_v4(acl, a.s_addr);
}

static enum se_guard_acl_action
v6(const struct se_guard_acl *acl, const char *s)
{
	uint8_t a[16];

	cr_assert(eq(int, inet_pton(AF_INET6, s, a), 1));
	return se_guard_acl_lookup_v6(acl, a);
}

Test(guard_acl, the_longest_prefix_wins_in_any_order)
{
	/* deny 10/8, allow 10.1/16 inside it, deny 10.1.2/24 inside that, allow one host */
	struct se_guard_acl_rule r[] = {
		rule("10.1.2.3", SE_GUARD_ACL_ALLOW), rule("10.1.2.0/24", SE_GUARD_ACL_DENY),
		rule("10.0.0.0/8", SE_GUARD_ACL_DENY), rule("10.1.0.0/16", SE_GUARD_ACL_ALLOW),
		rule("192.0.2.128/25", SE_GUARD_ACL_DENY),
	};
	struct se_guard_acl *acl;

	for (unsigned int rot = 0; rot < 5; rot++) {
		struct se_guard_acl_rule t[5];

		for (unsigned int i = 0; i < 5; i++)
			t[i] = r[(i + rot) % 5];
		acl = se_guard_acl_create(t, 5, SOCKET_ID_ANY);
		cr_assert(ne(ptr, acl, NULL));
		cr_assert(eq(int, v4(acl, "10.9.9.9"), SE_GUARD_ACL_DENY));
		cr_assert(eq(int, v4(acl, "10.1.9.9"), SE_GUARD_ACL_ALLOW));
		cr_assert(eq(int, v4(acl, "10.1.2.4"), SE_GUARD_ACL_DENY));
		cr_assert(eq(int, v4(acl, "10.1.2.3"), SE_GUARD_ACL_ALLOW));
		cr_assert(eq(int, v4(acl, "192.0.2.127"), SE_GUARD_ACL_NONE));
		cr_assert(eq(int, v4(acl, "192.0.2.200"), SE_GUARD_ACL_DENY));
		cr_assert(eq(int, v4(acl, "11.0.0.1"), SE_GUARD_ACL_NONE));
		cr_assert(eq(int, v6(acl, "2001:db8::1"), SE_GUARD_ACL_NONE));
		se_guard_acl_free(acl);
	}
}

Test(guard_acl, a_zero_length_prefix_decides_what_no_other_rule_matches)
{
	struct se_guard_acl_rule r[] = {
		rule("0.0.0.0/0", SE_GUARD_ACL_DENY), rule("203.0.113.0/24", SE_GUARD_ACL_ALLOW),
	};
	struct se_guard_acl *acl = se_guard_acl_create(r, 2, SOCKET_ID_ANY);

	cr_assert(ne(ptr, acl, NULL));
	cr_assert(eq(int, v4(acl, "198.51.100.1"), SE_GUARD_ACL_DENY));
	cr_assert(eq(int, v4(acl, "203.0.113.77"), SE_GUARD_ACL_ALLOW));
	cr_assert(eq(int, v6(acl, "2001:db8::1"), SE_GUARD_ACL_NONE), "::/0 is another rule");
	se_guard_acl_free(acl);
}

Test(guard_acl, ipv6_prefixes)
{
	struct se_guard_acl_rule r[] = {
		rule("2001:db8::/32", SE_GUARD_ACL_DENY),
		rule("2001:db8:1::/48", SE_GUARD_ACL_ALLOW),
		rule("::/0", SE_GUARD_ACL_ALLOW),
	};
	struct se_guard_acl *acl = se_guard_acl_create(r, 3, SOCKET_ID_ANY);

	cr_assert(ne(ptr, acl, NULL));
	cr_assert(eq(int, v6(acl, "2001:db8:2::1"), SE_GUARD_ACL_DENY));
	cr_assert(eq(int, v6(acl, "2001:db8:1::1"), SE_GUARD_ACL_ALLOW));
	cr_assert(eq(int, v6(acl, "2001:db9::1"), SE_GUARD_ACL_ALLOW));
	cr_assert(eq(int, v4(acl, "192.0.2.1"), SE_GUARD_ACL_NONE));
	se_guard_acl_free(acl);
}

Test(guard_acl, a_conflict_is_refused_and_no_acl_is_no_verdict)
{
	struct se_guard_acl_rule r[] = {
		rule("10.0.0.0/8", SE_GUARD_ACL_DENY), rule("10.0.0.0/8", SE_GUARD_ACL_ALLOW),
	};

	cr_assert(eq(ptr, se_guard_acl_create(r, 2, SOCKET_ID_ANY), NULL));
	cr_assert(eq(int, rte_errno, EINVAL));
	cr_assert(eq(int, v4(NULL, "10.0.0.1"), SE_GUARD_ACL_NONE));
	se_guard_acl_free(NULL);
}

Test(guard_acl, thousands_of_host_rules)
{
	static struct se_guard_acl_rule r[3000];
	struct se_guard_acl *acl;

	for (unsigned int i = 0; i < 3000; i++) {
		r[i].prefix = (struct se_guard_prefix){ .family = AF_INET, .depth = 32,
							.addr = { 172, 16, (uint8_t)(i >> 8),
								  (uint8_t)i } };
		r[i].action = i % 2 ? SE_GUARD_ACL_DENY : SE_GUARD_ACL_ALLOW;
	}
	acl = se_guard_acl_create(r, 3000, SOCKET_ID_ANY);
	cr_assert(ne(ptr, acl, NULL));
	for (unsigned int i = 0; i < 3000; i++) {
		uint32_t a = htonl(0xac100000u | i);

		cr_assert(eq(int, se_guard_acl_lookup_v4(acl, a), i % 2 ? SE_GUARD_ACL_DENY :
									 SE_GUARD_ACL_ALLOW));
	}
	cr_assert(eq(int, v4(acl, "172.16.200.1"), SE_GUARD_ACL_NONE));
	se_guard_acl_free(acl);
}
