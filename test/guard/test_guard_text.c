/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/guard: the scanner list (User-Agent matching), prefixes, rule checks
 * and the text forms of the options.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "se_guard.h"
#include "../net/guard.h"

static struct se_guard_ua ua;

static void
defaults(void)
{
	se_guard_ua_set_defaults(&ua);
}

static bool
ua_match_placed(const char *value)
{
	struct guard g;
	size_t n = strlen(value);
	/* at the very end of a readable page: a read past the value faults */
	const uint8_t *p = guard_place(&g, value, n);
	bool m;

	cr_assert(ne(ptr, (void *)p, NULL));
	m = se_guard_ua_match(&ua, p, n);
	guard_free(&g);
	return m;
}

/* User-Agents scanners send (sipvicious 0.3 sends "friendly-scanner" by default). */
struct ua_case {
	char s[48];
};

static struct ua_case scanners[] = {
	{ "friendly-scanner" }, { "Friendly-Scanner" }, { "sipvicious" }, { "SIPVicious/0.3.3" },
	{ "sipcli/v1.8" }, { "VaxSIPUserAgent/3.1" }, { "vaxsipuseragent" }, { "sundayddr" },
	{ "pplsip" }, { "iWar" }, { "IWAR 0.1" }, { "sip-scan" },
	{ "Mozilla/5.0 (friendly-scanner)" }, { "x sipvicious" },
};

ParameterizedTestParameters(guard_ua, scanner_user_agents_match)
{
	return cr_make_param_array(struct ua_case, scanners,
				   sizeof(scanners) / sizeof(scanners[0]));
}

ParameterizedTest(struct ua_case *c, guard_ua, scanner_user_agents_match, .init = defaults)
{
	cr_assert(ua_match_placed(c->s), "%s", c->s);
}

/* User-Agents of phones, PBXs and tools that must pass. */
static struct ua_case phones[] = {
	{ "Linphone/5.2.0 (belle-sip/5.2.0)" }, { "Zoiper rv2.10.19.3" },
	{ "Grandstream GXP2170 1.0.11.23" }, { "Yealink SIP-T46S 66.86.0.15" },
	{ "PolycomVVX-VVX_411-UA/6.4.3.5018" }, { "Asterisk PBX 20.5.0" },
	{ "FreeSWITCH-mod_sofia/1.10.9" }, { "Cisco-SIPGateway/IOS-15.x" }, { "sipp" },
	{ "friendly-scanne" }, { "sip-sca" }, { "sipvicio" }, { "i" }, { "" },
};

ParameterizedTestParameters(guard_ua, ordinary_user_agents_pass)
{
	return cr_make_param_array(struct ua_case, phones, sizeof(phones) / sizeof(phones[0]));
}

ParameterizedTest(struct ua_case *c, guard_ua, ordinary_user_agents_pass, .init = defaults)
{
	cr_assert(not(ua_match_placed(c->s)), "%s", c->s);
}

Test(guard_ua, one_byte_patterns_match_at_the_end_of_the_value)
{
	se_guard_ua_clear(&ua);
	cr_assert(eq(int, se_guard_ua_add(&ua, "Q"), 0));
	cr_assert(ua_match_placed("abcq"));
	cr_assert(ua_match_placed("Qabc"));
	cr_assert(not(ua_match_placed("abc")));
}

Test(guard_ua, an_empty_list_matches_nothing)
{
	se_guard_ua_clear(&ua);
	cr_assert(not(ua_match_placed("friendly-scanner")));
}

Test(guard_ua, patterns_too_long_or_too_many_are_refused)
{
	char longp[SE_GUARD_UA_LEN + 2];

	se_guard_ua_clear(&ua);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	cr_assert(eq(int, se_guard_ua_add(&ua, longp), -EINVAL));
	cr_assert(eq(int, se_guard_ua_add(&ua, ""), -EINVAL));
	longp[SE_GUARD_UA_LEN] = '\0';
	cr_assert(eq(int, se_guard_ua_add(&ua, longp), 0));
	cr_assert(ua_match_placed(longp));
	for (int i = 1; i < SE_GUARD_MAX_UA; i++)
		cr_assert(eq(int, se_guard_ua_add(&ua, "x"), 0));
	cr_assert(eq(int, se_guard_ua_add(&ua, "y"), -ENOSPC));
}

/* --- prefixes ------------------------------------------------------------ */

Test(guard_prefix, ipv4_ipv6_and_host_prefixes_parse)
{
	struct se_guard_prefix p;

	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/8", &p), 0));
	cr_assert(eq(int, p.family, AF_INET));
	cr_assert(eq(int, p.depth, 8));
	cr_assert(eq(u8, p.addr[0], 10));
	cr_assert(eq(int, se_guard_prefix_parse("203.0.113.10", &p), 0));
	cr_assert(eq(int, p.depth, 32));
	cr_assert(eq(int, se_guard_prefix_parse("0.0.0.0/0", &p), 0));
	cr_assert(eq(int, p.depth, 0));
	cr_assert(eq(int, se_guard_prefix_parse("2001:db8::/32", &p), 0));
	cr_assert(eq(int, p.family, AF_INET6));
	cr_assert(eq(int, p.depth, 32));
	cr_assert(eq(int, se_guard_prefix_parse("2001:db8::1", &p), 0));
	cr_assert(eq(int, p.depth, 128));
	cr_assert(eq(int, se_guard_prefix_parse("192.0.2.128/25", &p), 0));
}

Test(guard_prefix, typos_are_refused_with_their_reason)
{
	struct se_guard_prefix p;

	cr_assert(eq(int, se_guard_prefix_parse("10.1.0.0/8", &p), -EDOM));
	cr_assert(eq(int, se_guard_prefix_parse("192.0.2.129/25", &p), -EDOM));
	cr_assert(eq(int, se_guard_prefix_parse("2001:db8::1/32", &p), -EDOM));
	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/33", &p), -ERANGE));
	cr_assert(eq(int, se_guard_prefix_parse("::/129", &p), -ERANGE));
	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/", &p), -EINVAL));
	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/-1", &p), -EINVAL));
	cr_assert(eq(int, se_guard_prefix_parse("10.0.0/8", &p), -EINVAL));
	cr_assert(eq(int, se_guard_prefix_parse("example.com", &p), -EINVAL));
	cr_assert(eq(int, se_guard_prefix_parse("", &p), -EINVAL));
	cr_assert(eq(int, se_guard_prefix_parse("/8", &p), -EINVAL));
}

Test(guard_prefix, contains_exactly_its_addresses)
{
	struct se_guard_prefix p;
	struct in_addr a;

	cr_assert(eq(int, se_guard_prefix_parse("192.0.2.128/25", &p), 0));
	inet_pton(AF_INET, "192.0.2.128", &a);
	cr_assert(se_guard_prefix_contains(&p, (const uint8_t *)&a));
	inet_pton(AF_INET, "192.0.2.255", &a);
	cr_assert(se_guard_prefix_contains(&p, (const uint8_t *)&a));
	inet_pton(AF_INET, "192.0.2.127", &a);
	cr_assert(not(se_guard_prefix_contains(&p, (const uint8_t *)&a)));
	cr_assert(eq(int, se_guard_prefix_parse("0.0.0.0/0", &p), 0));
	cr_assert(se_guard_prefix_contains(&p, (const uint8_t *)&a));
}

Test(guard_acl_rules, one_prefix_both_allowed_and_denied_is_refused)
{
	struct se_guard_acl_rule r[3];
	unsigned int bad = 99;

	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/8", &r[0].prefix), 0));
	r[0].action = SE_GUARD_ACL_DENY;
	cr_assert(eq(int, se_guard_prefix_parse("10.0.0.0/16", &r[1].prefix), 0));
	r[1].action = SE_GUARD_ACL_ALLOW;
	cr_assert(eq(int, se_guard_acl_check(r, 2, &bad), 0));
	r[2] = r[0];
	cr_assert(eq(int, se_guard_acl_check(r, 3, &bad), 0), "the same rule twice is one rule");
	r[2].action = SE_GUARD_ACL_ALLOW;
	cr_assert(eq(int, se_guard_acl_check(r, 3, &bad), -EINVAL));
	cr_assert(eq(u32, bad, 2));
}

/* --- option values ------------------------------------------------------- */

Test(guard_rate, rate_and_burst_parse)
{
	uint32_t r = 0, b = 0;

	cr_assert(eq(int, se_guard_rate_parse("50", &r, &b), 0));
	cr_assert(eq(u32, r, 50));
	cr_assert(eq(u32, b, 50), "burst defaults to one second of the rate");
	cr_assert(eq(int, se_guard_rate_parse("50,burst=200", &r, &b), 0));
	cr_assert(eq(u32, b, 200));
	cr_assert(eq(int, se_guard_rate_parse("0", &r, &b), -EINVAL));
	cr_assert(eq(int, se_guard_rate_parse("50,burst=0", &r, &b), -EINVAL));
	cr_assert(eq(int, se_guard_rate_parse("50,bust=2", &r, &b), -EINVAL));
	cr_assert(eq(int, se_guard_rate_parse("5x", &r, &b), -EINVAL));
	cr_assert(eq(int, se_guard_rate_parse("", &r, &b), -EINVAL));
	cr_assert(eq(int, se_guard_rate_parse("20000000", &r, &b), -EINVAL));
}

Test(guard_params, option_tags_must_be_tokens)
{
	struct se_guard_params p;

	se_guard_params_defaults(&p);
	cr_assert(eq(int, se_guard_params_add_option(&p, "sec-agree"), 0));
	cr_assert(eq(int, se_guard_params_add_option(&p, "a b"), -EINVAL));
	cr_assert(eq(int, se_guard_params_add_option(&p, ""), -EINVAL));
	for (unsigned int i = 1; i < SE_GUARD_MAX_OPTIONS; i++)
		cr_assert(eq(int, se_guard_params_add_option(&p, "x"), 0));
	cr_assert(eq(int, se_guard_params_add_option(&p, "y"), -ENOSPC));
}
