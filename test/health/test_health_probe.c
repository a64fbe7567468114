/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/health: the OPTIONS probe's text, read back with lib/sip the way a
 * backend would, and the branch that matches its reply.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "se_health.h"
#include "se_sip.h"

#define assert_true(x) cr_assert(eq(int, !!(x), 1), "%s", #x)
#define assert_false(x) cr_assert(eq(int, !!(x), 0), "not %s", #x)

static struct se_health_probe pr;
static char buf[SE_HEALTH_PROBE_MAX];
static struct se_sip_hdr hdrs[32];
static struct se_sip_entry entries[32];
static struct se_sip_msg msg;

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1));
	return a.s_addr;
}

static void
setup(void)
{
	memset(&pr, 0, sizeof(pr));
	pr.branch_prefix = "z9hG4bKsP";
	pr.src_ip = ip("198.51.100.1");
	pr.src_port = 5060;
	pr.dst_ip = ip("198.51.100.11");
	pr.dst_port = 5080;
	pr.id = 7;
	pr.seq = 42;
	pr.key = 0x0123456789abcdefull;
	se_sip_msg_init(&msg, hdrs, 32, entries, 32);
}

static int
build_and_parse(void)
{
	int n = se_health_probe_build(&pr, buf, sizeof(buf));

	cr_assert(gt(int, n, 0));
	cr_assert(eq(int, se_sip_parse((const uint8_t *)buf, (size_t)n, &msg), SE_SIP_OK),
		  "%.*s", n, buf);
	return n;
}

static bool
span_is(struct se_span s, const char *text)
{
	return s.len == strlen(text) && memcmp(buf + s.off, text, s.len) == 0;
}

static struct se_span
header_value(enum se_sip_hdr_type t)
{
	cr_assert(ne(u16, msg.first[t], SE_SIP_NONE));
	return msg.hdrs[msg.first[t]].value;
}

TestSuite(health_probe, .init = setup);

Test(health_probe, is_an_options_request_to_the_backend)
{
	build_and_parse();
	assert_true(msg.is_request);
	cr_assert(eq(u8, msg.method_id, SE_SIP_METHOD_OPTIONS));
	assert_true(span_is(msg.ruri, "sip:198.51.100.11:5080"));
	cr_assert(eq(u32, msg.ruri_uri.ipv4, pr.dst_ip));
	cr_assert(eq(u16, msg.ruri_uri.port, 5080));
	assert_true(span_is(header_value(SE_SIP_HDR_TO), "<sip:198.51.100.11:5080>"));
	cr_assert(eq(u32, msg.cseq, 42));
	assert_true(span_is(msg.cseq_method, "OPTIONS"));
	cr_assert(eq(i16, msg.max_forwards, 70));
}

Test(health_probe, via_is_ours_with_the_probe_branch_and_rport)
{
	char branch[SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX];

	build_and_parse();
	cr_assert(eq(u8, msg.via.host_type, SE_SIP_HOST_IPV4));
	cr_assert(eq(u32, msg.via.ipv4, pr.src_ip));
	cr_assert(eq(u16, msg.via.port, 5060));
	assert_true(span_is(msg.via.transport, "UDP"));
	assert_true(msg.via.flags & SE_SIP_VIA_RPORT);
	assert_true(msg.via.flags & SE_SIP_VIA_BRANCH);
	se_health_probe_branch(&pr, branch);
	cr_assert(eq(u16, msg.via.branch.len, sizeof(branch)));
	cr_assert(eq(int, memcmp(buf + msg.via.branch.off, branch, sizeof(branch)), 0));
	cr_assert(eq(int, memcmp(branch, "z9hG4bKsP000000070000002a", 25), 0), "%.33s", branch);
}

Test(health_probe, from_has_a_tag_and_call_id_is_unique_per_probe)
{
	char first_call_id[128];
	struct se_span cid;

	build_and_parse();
	assert_true(msg.from.flags & SE_SIP_ADDR_TAG);
	cr_assert(gt(u16, msg.from.tag.len, 0));
	assert_false(msg.to.flags & SE_SIP_ADDR_TAG);
	cid = msg.call_id;
	memcpy(first_call_id, buf + cid.off, cid.len);
	first_call_id[cid.len] = '\0';
	assert_true(strstr(first_call_id, "@198.51.100.1") != NULL);
	pr.seq++;
	build_and_parse();
	assert_false(span_is(msg.call_id, first_call_id));
}

Test(health_probe, has_accept_user_agent_and_no_body)
{
	int n = build_and_parse();

	assert_true(strstr(buf, "\r\nAccept: application/sdp\r\n") != NULL);
	cr_assert(ne(u16, msg.first[SE_SIP_HDR_USER_AGENT], SE_SIP_NONE));
	assert_true(span_is(header_value(SE_SIP_HDR_CONTENT_LENGTH), "0"));
	cr_assert(eq(int, memcmp(buf + n - 4, "\r\n\r\n", 4), 0));
}

Test(health_probe, branch_decodes_to_its_id_and_seq)
{
	char branch[SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX];
	uint32_t id, seq;

	pr.id = 0xdeadbeef;
	pr.seq = 0x80000001;
	se_health_probe_branch(&pr, branch);
	assert_true(se_health_probe_decode("z9hG4bKsP", (const uint8_t *)branch, sizeof(branch),
					   &id, &seq));
	cr_assert(eq(u32, id, 0xdeadbeef));
	cr_assert(eq(u32, seq, 0x80000001));
	assert_true(se_health_probe_matches(&pr, (const uint8_t *)branch, sizeof(branch)));
}

Test(health_probe, cseq_stays_below_two_to_the_31)
{
	pr.seq = 0x80000005;
	build_and_parse();
	cr_assert(eq(u32, msg.cseq, 5));
}

Test(health_probe, branch_of_another_backend_key_or_seq_does_not_match)
{
	char branch[SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX];
	struct se_health_probe q;

	se_health_probe_branch(&pr, branch);
	q = pr;
	q.dst_ip = ip("198.51.100.12");
	assert_false(se_health_probe_matches(&q, (const uint8_t *)branch, sizeof(branch)));
	q = pr;
	q.dst_port = 5060;
	assert_false(se_health_probe_matches(&q, (const uint8_t *)branch, sizeof(branch)));
	q = pr;
	q.key ^= 1;
	assert_false(se_health_probe_matches(&q, (const uint8_t *)branch, sizeof(branch)));
	q = pr;
	q.seq++;
	assert_false(se_health_probe_matches(&q, (const uint8_t *)branch, sizeof(branch)));
	assert_false(se_health_probe_matches(&pr, (const uint8_t *)branch, sizeof(branch) - 1));
}

Test(health_probe, foreign_branches_do_not_decode)
{
	static const char *const bad[] = {
		"z9hG4bKsE0000000700000002aaaaaaaa",  /* a forwarded request's prefix */
		"z9hG4bKsP0000000700000002aaaaaaa",   /* short */
		"z9hG4bKsP0000000700000002aaaaaaaaa", /* long */
		"z9hG4bKsP000000070000000Zaaaaaaaa",  /* not hex */
		"z9hG4bKsP0000000700000002AAAAAAAA",  /* we write lower case only */
	};
	uint32_t id, seq;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(se_health_probe_decode("z9hG4bKsP", (const uint8_t *)bad[i],
						    strlen(bad[i]), &id, &seq));
}

Test(health_probe, too_small_a_buffer_is_refused)
{
	int n = se_health_probe_build(&pr, buf, sizeof(buf));

	cr_assert(gt(int, n, 0));
	cr_assert(le(int, n, SE_HEALTH_PROBE_MAX));
	cr_assert(eq(int, se_health_probe_build(&pr, buf, (size_t)n), -ENOSPC));
	cr_assert(eq(int, se_health_probe_build(&pr, buf, (size_t)n + 1), n));
}

Test(health_probe, a_prefix_of_the_wrong_length_is_refused)
{
	pr.branch_prefix = "z9hG4bK";
	cr_assert(eq(int, se_health_probe_build(&pr, buf, sizeof(buf)), -EINVAL));
}

Test(health_probe, longest_addresses_fit)
{
	pr.src_ip = ip("255.255.255.254");
	pr.dst_ip = ip("255.255.255.253");
	pr.src_port = 65535;
	pr.dst_port = 65535;
	pr.id = UINT32_MAX;
	pr.seq = UINT32_MAX;
	build_and_parse();
}
