/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/nat: the Contact rewrite over the Contact forms of RFC 3261 and RFC 4475
 * (byte-exact output, then the way back restores the client's URI), every
 * detection test on its own, force_rport, and the --nat-detect list.
 */
#include <dirent.h>
#include <errno.h>

#include "nat_test.h"
#include "se_stats.h"

/* after criterion.h (nat_test.h): it defines Test() only when included first */
#include <criterion/parameterized.h>

#define AL SRC ":40001;se-alias="

#define REG_HEAD "REGISTER sip:example.com SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK776asdhds;rport\n" \
	"Max-Forwards: 70\nTo: <sip:alice@example.com>\n" \
	"From: <sip:alice@example.com>;tag=1928301774\n" \
	"Call-ID: a84b4c76e66710@pc33.example.com\nCSeq: 1 REGISTER\n"
#define REG_TAIL "\nContent-Length: 0\n\n"

/* Arrays, not pointers: Criterion may hand parameters to another process. */
struct rewrite_case {
	char name[40];
	char in[300];   /* the Contact line(s) */
	char out[360];  /* what the edge sends */
	uint8_t rewritten;
	bool contact_private;  /* contact-private fires (on what parses, rewritten or not) */
	uint8_t skipped[SE_NAT_SKIP_COUNT];
};

static struct rewrite_case rewrite_cases[] = {
	{ "name_addr", "Contact: <sip:alice@192.168.1.20:5062>",
	  "Contact: <sip:alice@" AL "192.168.1.20~5062>", 1, true, {0} },
	{ "quoted_display_and_header_params",
	  "Contact: \"Alice Smith\" <sip:alice@192.168.1.20:5062>;expires=3600;q=0.9",
	  "Contact: \"Alice Smith\" <sip:alice@" AL "192.168.1.20~5062>;expires=3600;q=0.9",
	  1, true, {0} },
	{ "quoted_display_with_escapes",
	  "Contact: \"Al \\\"<the pal>\\\", Jr;x\" <sip:alice@10.0.0.1>;q=0.7",
	  "Contact: \"Al \\\"<the pal>\\\", Jr;x\" <sip:alice@" AL "10.0.0.1>;q=0.7", 1, true,
	  {0} },
	{ "token_display_uri_params_instance",
	  "Contact: Alice <sip:alice@10.1.2.3:5060;transport=UDP;ob>;+sip.instance="
	  "\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";reg-id=1",
	  "Contact: Alice <sip:alice@" AL "10.1.2.3~5060;transport=UDP;ob>;+sip.instance="
	  "\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";reg-id=1", 1, true, {0} },
	{ "addr_spec_params_stay_header_params",
	  "Contact: sip:alice@192.168.1.20:5062;expires=60",
	  "Contact: <sip:alice@" AL "192.168.1.20~5062>;expires=60", 1, true, {0} },
	{ "compact_addr_spec_without_user_or_port", "m: sip:192.168.1.20",
	  "m: <sip:" AL "192.168.1.20>", 1, true, {0} },
	{ "cparam01_unknown_header_param",
	  "Contact: sip:+19725552222@gw1.example.net;unknownparam",
	  "Contact: <sip:+19725552222@" AL "gw1.example.net>;unknownparam", 1, false, {0} },
	{ "cparam02_unknown_uri_param",
	  "Contact: <sip:+19725552222@gw1.example.net;unknownparam>",
	  "Contact: <sip:+19725552222@" AL "gw1.example.net;unknownparam>", 1, false, {0} },
	{ "two_contacts_in_one_header",
	  "Contact: <sip:a@192.168.1.20:5062>;q=1, \"B, b\" <sip:b@192.168.1.20:5064>;q=0.5",
	  "Contact: <sip:a@" AL "192.168.1.20~5062>;q=1, \"B, b\" <sip:b@" AL
	  "192.168.1.20~5064>;q=0.5", 2, true, {0} },
	{ "contacts_in_several_headers",
	  "Contact: <sip:a@192.168.1.20:5062>\nContact: sip:b@192.168.1.20:5064",
	  "Contact: <sip:a@" AL "192.168.1.20~5062>\nContact: <sip:b@" AL "192.168.1.20~5064>",
	  2, true, {0} },
	{ "ipv6_reference_left_alone", "Contact: <sip:alice@[2001:db8::10]:5062>",
	  "Contact: <sip:alice@[2001:db8::10]:5062>", 0, false, {[SE_NAT_SKIP_IPV6] = 1} },
	{ "star_left_alone", "Contact: *", "Contact: *", 0, false, {[SE_NAT_SKIP_STAR] = 1} },
	{ "tel_left_alone", "Contact: <tel:+1-555-123-4567>", "Contact: <tel:+1-555-123-4567>", 0,
	  false,
	  {[SE_NAT_SKIP_SCHEME] = 1} },
	{ "mailto_left_alone", "Contact: <mailto:alice@example.com>",
	  "Contact: <mailto:alice@example.com>", 0, false, {[SE_NAT_SKIP_SCHEME] = 1} },
	{ "sips_left_alone", "Contact: <sips:alice@192.168.1.20:5061>",
	  "Contact: <sips:alice@192.168.1.20:5061>", 0, true, {[SE_NAT_SKIP_SCHEME] = 1} },
	{ "tcp_left_alone", "Contact: <sip:alice@192.168.1.20:5062;transport=tcp>",
	  "Contact: <sip:alice@192.168.1.20:5062;transport=tcp>", 0, true,
	  {[SE_NAT_SKIP_TRANSPORT] = 1} },
	{ "maddr_left_alone", "Contact: <sip:alice@192.168.1.20;maddr=239.255.255.1>",
	  "Contact: <sip:alice@192.168.1.20;maddr=239.255.255.1>", 0, true,
	  {[SE_NAT_SKIP_TRANSPORT] = 1} },
	{ "aliased_left_alone", "Contact: <sip:alice@" AL "192.168.1.20~5062>",
	  "Contact: <sip:alice@" AL "192.168.1.20~5062>", 0, false, {[SE_NAT_SKIP_ALIASED] = 1} },
	{ "source_already_left_alone", "Contact: <sip:alice@" SRC ":40001>",
	  "Contact: <sip:alice@" SRC ":40001>", 0, false, {[SE_NAT_SKIP_SAME] = 1} },
	{ "host_name", "Contact: <sip:alice@pc33.example.com>",
	  "Contact: <sip:alice@" AL "pc33.example.com>", 1, false, {0} },
	{ "password_params_and_headers",
	  "Contact: <sip:alice:secret@192.168.1.20:5062;lr?Subject=hi%20there>",
	  "Contact: <sip:alice:secret@" AL "192.168.1.20~5062;lr?Subject=hi%20there>", 1,
	  true, {0} },
	{ "mixed_list_rewrites_only_what_it_can",
	  "Contact: <sip:a@192.168.1.20>, <tel:123>, <sip:b@[::1]>",
	  "Contact: <sip:a@" AL "192.168.1.20>, <tel:123>, <sip:b@[::1]>", 1, true,
	  {[SE_NAT_SKIP_SCHEME] = 1, [SE_NAT_SKIP_IPV6] = 1} },
	{ "wsinv_folded_params_kept",
	  "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@192.168.0.7> ; newparam =\n      newvalue ;\n"
	  "  secondparam ; q = 0.33",
	  "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@" AL "192.168.0.7> ; newparam =\n"
	  "      newvalue ;\n  secondparam ; q = 0.33", 1, true, {0} },
	{ "esc01_escaped_user_and_params",
	  "Contact:\n  <sip:cal%6Cer@192.168.1.20;%6C%72;n%61me=v%61lue%25%34%31>",
	  "Contact:\n  <sip:cal%6Cer@" AL "192.168.1.20;%6C%72;n%61me=v%61lue%25%34%31>", 1,
	  true, {0} },
	{ "port_written_with_leading_zero", "Contact: <sip:alice@192.168.1.20:05062>",
	  "Contact: <sip:alice@" AL "192.168.1.20~05062>", 1, true, {0} },
	{ "upper_case_scheme", "Contact: <SIP:alice@192.168.1.20>",
	  "Contact: <SIP:alice@" AL "192.168.1.20>", 1, true, {0} },
	{ "badinv01_empty_params_left_alone", "Contact: \"Joe\" <sip:joe@192.168.1.20>;;;;",
	  "Contact: \"Joe\" <sip:joe@192.168.1.20>;;;;", 0, false, {[SE_NAT_SKIP_MALFORMED] = 1} },
	{ "display_without_space_before_angle", "Contact: Alice<sip:alice@192.168.1.20>",
	  "Contact: Alice<sip:alice@" AL "192.168.1.20>", 1, true, {0} },
};

ParameterizedTestParameters(nat_rewrite, contact_form_is_rewritten_byte_exact)
{
	return cr_make_param_array(struct rewrite_case, rewrite_cases,
				   sizeof(rewrite_cases) / sizeof(rewrite_cases[0]));
}

/* The Request-URI the edge sends when a backend targets @p uri: se_nat_to_client(). */
static void
restore(const uint8_t *uri, size_t len, char *out, size_t cap, bool *restored)
{
	char text[1024];
	struct nt_run *r = calloc(1, sizeof(*r));

	cr_assert(ne(ptr, r, NULL));
	snprintf(text, sizeof(text), "INVITE %.*s SIP/2.0\nVia: SIP/2.0/UDP 198.51.100.21:5060;"
		 "branch=z9hG4bKreg1\nTo: <sip:alice@example.com>\nFrom: <sip:bob@example.com>"
		 ";tag=9\nCall-ID: c1@x\nCSeq: 1 INVITE\nContent-Length: 0\n\n", (int)len, uri);
	nt_parse(r, text);
	*restored = se_nat_to_client(r->in, &r->msg, &r->plan, &r->out);
	nt_apply(r);
	cr_assert(lt(sz, (size_t)r->omsg.ruri.len, cap));
	memcpy(out, r->odata + r->omsg.ruri.off, r->omsg.ruri.len);
	out[r->omsg.ruri.len] = '\0';
	nt_free(r);
	free(r);
}

/* Every rewritten Contact comes back as the URI the client wrote. */
static void
assert_round_trip(struct nt_run *r)
{
	for (unsigned int k = 0;; k++) {
		int ei = nt_contact(&r->msg, k), eo = nt_contact(&r->omsg, k);
		struct se_sip_addr ai, ao;
		struct se_span v;
		char back[512];
		bool restored;

		cr_assert(eq(int, ei < 0, eo < 0), "Contact count changed");
		if (ei < 0)
			return;
		/* a Request-URI has no URI headers (RFC 3261 19.1.5): nothing to come back to */
		if (se_sip_addr_parse(r->in, r->ents[ei].span, &ai) != 0 ||
		    (ai.flags & SE_SIP_ADDR_STAR) || ai.uri.scheme_id != SE_SIP_SCHEME_SIP ||
		    se_sip_param_find(r->in, ai.uri.params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v) ||
		    ai.uri.headers.len > 0)
			continue;
		cr_assert(eq(int, se_sip_addr_parse(r->odata, r->oents[eo].span, &ao), 0));
		if (!se_sip_param_find(r->odata, ao.uri.params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v))
			continue;
		/* rewritten: the edge's address is the source, and the way back restores */
		cr_assert(eq(int, ao.uri.host_type, SE_SIP_HOST_IPV4));
		cr_assert(eq(u32, ao.uri.ipv4, nt_ip(SRC)));
		cr_assert(eq(u32, ao.uri.port, SRC_PORT));
		restore(r->odata + ao.uri_span.off, ao.uri_span.len, back, sizeof(back), &restored);
		assert_true(restored);
		cr_assert(eq(int, (int)strlen(back), (int)ai.uri_span.len));
		cr_assert(eq(int, memcmp(back, r->in + ai.uri_span.off, ai.uri_span.len), 0),
			  "restored %s, client wrote %.*s", back, (int)ai.uri_span.len,
			  r->in + ai.uri_span.off);
	}
}

ParameterizedTest(struct rewrite_case *c, nat_rewrite, contact_form_is_rewritten_byte_exact)
{
	static char in[2048], out[2048];
	struct nt_run *r = calloc(1, sizeof(*r));

	cr_assert(ne(ptr, r, NULL));
	snprintf(in, sizeof(in), REG_HEAD "%s" REG_TAIL, c->in);
	snprintf(out, sizeof(out), REG_HEAD "%s" REG_TAIL, c->out);
	nt_parse(r, in);
	se_nat_from_client(SE_NAT_DETECT_DEFAULT, r->in, &r->msg, nt_ip(SRC), SRC_PORT, &r->plan,
			   &r->out);
	nt_apply(r);
	nt_assert_output(r, out);
	cr_assert(eq(u8, r->out.rewritten, c->rewritten), "%s", c->name);
	for (unsigned int i = 0; i < SE_NAT_SKIP_COUNT; i++)
		cr_assert(eq(u8, r->out.skipped[i], c->skipped[i]), "%s: reason %u", c->name, i);
	/* found by its Via, the message is tested no further */
	cr_assert(eq(u8, r->out.detected, SE_NAT_VIA_RECEIVED | SE_NAT_VIA_RPORT_DIFFERS),
		  "%s", c->name);
	/* the Contact test, on what parses, rewritten or not */
	cr_assert(eq(u32, se_nat_detect(SE_NAT_CONTACT_PRIVATE, r->in, &r->msg, nt_ip(SRC),
					SRC_PORT), c->contact_private ? SE_NAT_CONTACT_PRIVATE : 0),
		  "%s", c->name);
	assert_false(r->out.rport_forced);
	assert_round_trip(r);
	nt_free(r);
	free(r);
}

/* ---- detection: each test on its own ---- */

struct detect_case {
	char name[48];
	uint32_t test;
	char via[96];      /* top Via sent-by and params */
	char contact[96];  /* Contact value, "" for none */
	bool fires;
};

static struct detect_case detect_cases[] = {
	{ "contact_private_10", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@10.20.30.40>", true },
	{ "contact_private_172_16", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@172.16.0.1>",
	  true },
	{ "contact_private_172_31", SE_NAT_CONTACT_PRIVATE, SRC ":40001",
	  "<sip:a@172.31.255.255:5060>", true },
	{ "contact_public_172_32", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@172.32.0.1>",
	  false },
	{ "contact_private_192_168", SE_NAT_CONTACT_PRIVATE, SRC ":40001",
	  "<sip:a@192.168.1.20:5062>", true },
	{ "contact_shared_100_64", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@100.64.0.9>",
	  true },
	{ "contact_shared_100_127", SE_NAT_CONTACT_PRIVATE, SRC ":40001",
	  "<sip:a@100.127.255.1>", true },
	{ "contact_public_100_128", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@100.128.0.1>",
	  false },
	{ "contact_link_local", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@169.254.3.4>", true },
	{ "contact_public", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@198.51.100.7>", false },
	{ "contact_host_name", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "<sip:a@pc.example.com>",
	  false },
	{ "contact_second_of_two", SE_NAT_CONTACT_PRIVATE, SRC ":40001",
	  "<sip:a@198.51.100.7>, <sip:b@192.168.0.2>", true },
	{ "contact_private_in_tel_ignored", SE_NAT_CONTACT_PRIVATE, SRC ":40001",
	  "<tel:192.168.0.2>", false },
	{ "contact_none", SE_NAT_CONTACT_PRIVATE, SRC ":40001", "", false },
	{ "via_private", SE_NAT_VIA_PRIVATE, "192.168.1.20:5062", "<sip:a@" SRC ":40001>", true },
	{ "via_public", SE_NAT_VIA_PRIVATE, "198.51.100.7:5062", "<sip:a@192.168.0.2>", false },
	{ "via_received_differs", SE_NAT_VIA_RECEIVED, "198.51.100.7:40001", "", true },
	{ "via_received_same", SE_NAT_VIA_RECEIVED, SRC ":5062", "<sip:a@192.168.0.2>", false },
	{ "via_received_host_name", SE_NAT_VIA_RECEIVED, "pc33.example.com:40001", "", true },
	{ "via_rport_differs", SE_NAT_VIA_RPORT_DIFFERS, SRC ":5062", "", true },
	{ "via_rport_same", SE_NAT_VIA_RPORT_DIFFERS, "192.168.1.20:40001", "<sip:a@10.0.0.1>",
	  false },
	{ "via_without_port_means_5060", SE_NAT_VIA_RPORT_DIFFERS, SRC, "", true },
	{ "contact_differs_port", SE_NAT_CONTACT_DIFFERS, SRC ":40001", "<sip:a@" SRC ":5060>",
	  true },
	{ "contact_differs_host_name", SE_NAT_CONTACT_DIFFERS, SRC ":40001",
	  "<sip:a@pc.example.com>", true },
	{ "contact_is_source", SE_NAT_CONTACT_DIFFERS, "192.168.1.20:5062",
	  "<sip:a@" SRC ":40001>", false },
};

ParameterizedTestParameters(nat_detect, each_test_fires_on_its_own)
{
	return cr_make_param_array(struct detect_case, detect_cases,
				   sizeof(detect_cases) / sizeof(detect_cases[0]));
}

ParameterizedTest(struct detect_case *c, nat_detect, each_test_fires_on_its_own)
{
	char text[1024];
	struct nt_run *r = calloc(1, sizeof(*r));
	uint32_t got;

	cr_assert(ne(ptr, r, NULL));
	snprintf(text, sizeof(text), "INVITE sip:bob@example.com SIP/2.0\n"
		 "Via: SIP/2.0/UDP %s;branch=z9hG4bKd1\nTo: <sip:bob@example.com>\n"
		 "From: <sip:a@example.com>;tag=1\nCall-ID: d1@x\nCSeq: 1 INVITE\n%s%s%s"
		 "Content-Length: 0\n\n", c->via, c->contact[0] ? "Contact: " : "", c->contact,
		 c->contact[0] ? "\n" : "");
	nt_parse(r, text);
	got = se_nat_detect(c->test, r->in, &r->msg, nt_ip(SRC), SRC_PORT);
	cr_assert(eq(u32, got, c->fires ? c->test : 0), "%s", c->name);
	/* the other tests asked for alone never report this one */
	got = se_nat_detect(SE_NAT_DETECT_ALL & ~c->test, r->in, &r->msg, nt_ip(SRC), SRC_PORT);
	cr_assert(eq(u32, got & c->test, 0), "%s", c->name);
	nt_free(r);
	free(r);
}

Test(nat_detect, private_ranges_have_exact_edges)
{
	static const char *const priv[] = {
		"10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255", "192.168.0.0",
		"192.168.255.255", "100.64.0.0", "100.127.255.255", "169.254.0.0",
		"169.254.255.255",
	};
	static const char *const pub[] = {
		"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
		"192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255", "169.255.0.0",
		"203.0.113.10", "0.0.0.0", "255.255.255.255",
	};

	for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
		cr_assert(eq(int, se_nat_ipv4_is_private(nt_ip(priv[i])), 1), "%s", priv[i]);
	for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
		cr_assert(eq(int, se_nat_ipv4_is_private(nt_ip(pub[i])), 0), "%s", pub[i]);
}

#define OK200 "SIP/2.0 %d Whatever\n" \
	"Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKsE0011223344556677\n" \
	"Via: SIP/2.0/UDP 198.51.100.21:5060;branch=z9hG4bKk1\n" \
	"To: <sip:alice@example.com>;tag=t\nFrom: <sip:bob@example.com>;tag=f\n" \
	"Call-ID: r1@x\nCSeq: 1 INVITE\nContact: <sip:alice@192.168.1.20:5062>\n" \
	"Content-Length: 0\n\n"

Test(nat_detect, via_tests_do_not_apply_to_responses)
{
	char text[1024];
	struct nt_run r = {0};

	snprintf(text, sizeof(text), OK200, 200);
	nt_parse(&r, text);
	/* the top Via is the edge's own: neither its address nor its port says anything */
	cr_assert(eq(u32, se_nat_detect(SE_NAT_VIA_PRIVATE | SE_NAT_VIA_RECEIVED |
					SE_NAT_VIA_RPORT_DIFFERS, r.in, &r.msg, nt_ip(SRC),
					SRC_PORT), 0));
	cr_assert(eq(u32, se_nat_detect(SE_NAT_DETECT_DEFAULT, r.in, &r.msg, nt_ip(SRC), SRC_PORT),
		     SE_NAT_CONTACT_PRIVATE));
	nt_free(&r);
}

/* ---- the NAT step of a client message ---- */

static void
from_client(struct nt_run *r, const char *text, uint32_t tests)
{
	nt_parse(r, text);
	se_nat_from_client(tests, r->in, &r->msg, nt_ip(SRC), SRC_PORT, &r->plan, &r->out);
	nt_apply(r);
}

Test(nat_client, response_2xx_and_1xx_contacts_are_rewritten)
{
	static const int codes[] = { 180, 183, 200, 202 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char text[1024];
		struct nt_run r = {0};
		int e;

		snprintf(text, sizeof(text), OK200, codes[i]);
		from_client(&r, text, SE_NAT_DETECT_DEFAULT);
		cr_assert(eq(u8, r.out.rewritten, 1), "%d", codes[i]);
		cr_assert(eq(u8, r.out.detected, SE_NAT_CONTACT_PRIVATE));
		assert_false(r.out.rport_forced);
		e = nt_contact(&r.omsg, 0);
		cr_assert(ge(int, e, 0));
		nt_assert_span(r.odata, r.oents[e].span, "<sip:alice@" AL "192.168.1.20~5062>");
		nt_free(&r);
	}
}

Test(nat_client, other_responses_keep_their_contacts)
{
	static const int codes[] = { 100, 300, 302, 380, 485, 486, 603 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char text[1024];
		struct nt_run r = {0};

		snprintf(text, sizeof(text), OK200, codes[i]);
		from_client(&r, text, SE_NAT_DETECT_ALL);
		/* e.g. a redirect target is not the sender */
		cr_assert(eq(int, r.plan.n, 0), "%d", codes[i]);
		assert_false(r.out.any);
		nt_free(&r);
	}
}

#define INV_NO_RPORT "INVITE sip:bob@example.com SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKn1\n" \
	"To: <sip:bob@example.com>\nFrom: <sip:alice@example.com>;tag=1\n" \
	"Call-ID: n1@x\nCSeq: 1 INVITE\nContact: <sip:alice@192.168.1.20:5062>\n" \
	"Content-Length: 0\n\n"

Test(nat_client, request_without_rport_gets_one)
{
	struct nt_run r = {0};

	from_client(&r, INV_NO_RPORT, SE_NAT_DETECT_DEFAULT);
	assert_true(r.out.rport_forced);
	cr_assert(eq(u8, r.out.rewritten, 1));
	nt_assert_output(&r, "INVITE sip:bob@example.com SIP/2.0\n"
			 "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKn1;rport=40001\n"
			 "To: <sip:bob@example.com>\nFrom: <sip:alice@example.com>;tag=1\n"
			 "Call-ID: n1@x\nCSeq: 1 INVITE\nContact: <sip:alice@" AL
			 "192.168.1.20~5062>\nContent-Length: 0\n\n");
	cr_assert(eq(u16, r.omsg.via.rport_num, SRC_PORT));
	nt_free(&r);
}

Test(nat_client, ack_gets_no_rport)
{
	struct nt_run r = {0};

	from_client(&r, "ACK sip:bob@198.51.100.11 SIP/2.0\n"
		    "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKa1\n"
		    "To: <sip:bob@example.com>;tag=2\nFrom: <sip:alice@example.com>;tag=1\n"
		    "Call-ID: n1@x\nCSeq: 1 ACK\nContent-Length: 0\n\n", SE_NAT_DETECT_DEFAULT);
	cr_assert(eq(u8, r.out.detected, SE_NAT_VIA_RECEIVED | SE_NAT_VIA_RPORT_DIFFERS));
	assert_false(r.out.rport_forced);
	cr_assert(eq(int, r.plan.n, 0));
	nt_free(&r);
}

Test(nat_client, request_through_a_proxy_keeps_its_contact)
{
	struct nt_run r = {0};

	from_client(&r, "INVITE sip:bob@example.com SIP/2.0\n"
		    "Via: SIP/2.0/UDP 192.168.7.1:5060;branch=z9hG4bKp1\n"
		    "Via: SIP/2.0/UDP 10.9.9.9:5062;branch=z9hG4bKua1\n"
		    "To: <sip:bob@example.com>\nFrom: <sip:alice@example.com>;tag=1\n"
		    "Call-ID: p1@x\nCSeq: 1 INVITE\nContact: <sip:alice@10.9.9.9:5062>, "
		    "<sip:alice2@10.9.9.9>\nContent-Length: 0\n\n", SE_NAT_DETECT_DEFAULT);
	/* the proxy sits behind NAT (its responses need rport), the UA's Contact is not its own */
	assert_true(r.out.rport_forced);
	cr_assert(eq(u8, r.out.rewritten, 0));
	cr_assert(eq(u8, r.out.skipped[SE_NAT_SKIP_PROXIED], 2));
	nt_free(&r);
}

Test(nat_client, client_not_behind_nat_is_left_alone)
{
	struct nt_run r = {0};

	from_client(&r, "INVITE sip:bob@example.com SIP/2.0\n"
		    "Via: SIP/2.0/UDP " SRC ":40001;branch=z9hG4bKq1\n"
		    "To: <sip:bob@example.com>\nFrom: <sip:alice@example.com>;tag=1\n"
		    "Call-ID: q1@x\nCSeq: 1 INVITE\nContact: <sip:alice@" SRC ":40001>\n"
		    "Content-Length: 0\n\n", SE_NAT_DETECT_ALL);
	assert_false(r.out.any);
	cr_assert(eq(int, r.plan.n, 0));
	nt_free(&r);
}

Test(nat_client, detection_none_does_nothing)
{
	struct nt_run r = {0};

	from_client(&r, INV_NO_RPORT, 0);
	assert_false(r.out.any);
	cr_assert(eq(int, r.plan.n, 0));
	nt_free(&r);
}

Test(nat_client, a_full_plan_leaves_contacts_whole)
{
	struct nt_run r = {0};
	int e;

	nt_parse(&r, INV_NO_RPORT);
	/* what the proxy might have left: one free edit */
	while (r.plan.n < SE_EDIT_MAX - 1)
		cr_assert(eq(int, se_edit_add(&r.plan, r.msg.hdrs_end, 0, NULL, 0), 0));
	se_nat_from_client(SE_NAT_DETECT_DEFAULT, r.in, &r.msg, nt_ip(SRC), SRC_PORT, &r.plan,
			   &r.out);
	nt_apply(&r);
	assert_true(r.out.rport_forced);
	cr_assert(eq(u8, r.out.rewritten, 0));
	cr_assert(eq(u8, r.out.skipped[SE_NAT_SKIP_NO_ROOM], 1));
	e = nt_contact(&r.omsg, 0);
	cr_assert(ge(int, e, 0));
	nt_assert_span(r.odata, r.oents[e].span, "<sip:alice@192.168.1.20:5062>");
	nt_free(&r);
}

Test(nat_client, many_contacts_fill_the_plan_then_are_skipped_no_room)
{
	char text[8192], *p = text;
	struct nt_run r = {0};
	unsigned int n = 40;

	p += sprintf(p, REG_HEAD);
	for (unsigned int i = 0; i < n; i++)
		p += sprintf(p, "Contact: <sip:u%u@192.168.1.20:%u>\n", i, 5000 + i);
	sprintf(p, "Content-Length: 0\n\n");
	from_client(&r, text, SE_NAT_DETECT_DEFAULT);
	cr_assert(eq(u32, (uint32_t)r.out.rewritten + r.out.skipped[SE_NAT_SKIP_NO_ROOM], n));
	cr_assert(gt(u8, r.out.rewritten, 16));
	cr_assert(gt(u8, r.out.skipped[SE_NAT_SKIP_NO_ROOM], 0));
	/* each Contact is whole: rewritten, or as the client wrote it */
	for (unsigned int i = 0; i < n; i++) {
		struct se_sip_addr a;
		int e = nt_contact(&r.omsg, i);

		cr_assert(ge(int, e, 0));
		cr_assert(eq(int, se_sip_addr_parse(r.odata, r.oents[e].span, &a), 0));
		cr_assert(eq(u16, a.uri.port, i < r.out.rewritten ? SRC_PORT : 5000 + i));
	}
	nt_free(&r);
}

/* ---- the way back: se-alias in the Request-URI ---- */

struct back_case {
	char name[40];
	char ruri[160];
	char want[160];   /* Request-URI sent */
	bool restored;
	uint8_t alias_bad;
};

static struct back_case back_cases[] = {
	{ "first_param", "sip:alice@" AL "192.168.1.20~5062;transport=udp",
	  "sip:alice@192.168.1.20:5062;transport=udp", true, 0 },
	{ "after_other_params", "sip:alice@" SRC ":40001;ob;se-alias=192.168.1.20~5062;lr",
	  "sip:alice@192.168.1.20:5062;ob;lr", true, 0 },
	{ "host_name_without_port", "sip:alice@" AL "pc33.example.com",
	  "sip:alice@pc33.example.com", true, 0 },
	{ "upper_case_name", "sip:alice@" SRC ":40001;SE-ALIAS=10.0.0.1~5060",
	  "sip:alice@10.0.0.1:5060", true, 0 },
	{ "ipv6_value_is_not_ours", "sip:alice@" AL "[::1]~5060",
	  "sip:alice@" AL "[::1]~5060", false, 1 },
	{ "port_zero_is_not_ours", "sip:alice@" AL "10.0.0.1~0", "sip:alice@" AL "10.0.0.1~0",
	  false, 1 },
	{ "port_with_leading_zeros", "sip:alice@" AL "10.0.0.1~0005060",
	  "sip:alice@10.0.0.1:0005060", true, 0 },
	{ "port_too_big_is_not_ours", "sip:alice@" AL "10.0.0.1~65536",
	  "sip:alice@" AL "10.0.0.1~65536", false, 1 },
	{ "empty_value_is_not_ours", "sip:alice@" SRC ":40001;se-alias",
	  "sip:alice@" SRC ":40001;se-alias", false, 1 },
	{ "no_alias", "sip:alice@" SRC ":40001;transport=udp",
	  "sip:alice@" SRC ":40001;transport=udp",
	  false, 0 },
	{ "similar_name_is_not_ours", "sip:alice@" SRC ":40001;se-aliasx=10.0.0.1",
	  "sip:alice@" SRC ":40001;se-aliasx=10.0.0.1", false, 0 },
};

ParameterizedTestParameters(nat_back, request_uri_alias_is_restored)
{
	return cr_make_param_array(struct back_case, back_cases,
				   sizeof(back_cases) / sizeof(back_cases[0]));
}

ParameterizedTest(struct back_case *c, nat_back, request_uri_alias_is_restored)
{
	char got[512];
	bool restored;

	restore((const uint8_t *)c->ruri, strlen(c->ruri), got, sizeof(got), &restored);
	cr_assert(eq(str, got, c->want), "%s", c->name);
	cr_assert(eq(int, restored, c->restored), "%s", c->name);
}

Test(nat_back, bad_alias_is_counted)
{
	struct nt_run r = {0};

	nt_parse(&r, "BYE sip:alice@" AL "[::1]~5060 SIP/2.0\nVia: SIP/2.0/UDP 198.51.100.21:5060;"
		 "branch=z9hG4bKb\nTo: <sip:a@x>;tag=1\nFrom: <sip:b@x>;tag=2\nCall-ID: b@x\n"
		 "CSeq: 2 BYE\nContent-Length: 0\n\n");
	assert_false(se_nat_to_client(r.in, &r.msg, &r.plan, &r.out));
	cr_assert(eq(u8, r.out.skipped[SE_NAT_SKIP_ALIAS_BAD], 1));
	assert_false(r.out.to_pinhole);
	nt_free(&r);
}

/* ---- --nat-detect ---- */

Test(nat_option, lists_parse_into_masks)
{
	uint32_t m = 12345;

	cr_assert(eq(int, se_nat_detect_parse("none", &m), 0));
	cr_assert(eq(u32, m, 0));
	cr_assert(eq(int, se_nat_detect_parse("default", &m), 0));
	cr_assert(eq(u32, m, SE_NAT_DETECT_DEFAULT));
	cr_assert(eq(int, se_nat_detect_parse("via-private,contact-differs", &m), 0));
	cr_assert(eq(u32, m, SE_NAT_VIA_PRIVATE | SE_NAT_CONTACT_DIFFERS));
	cr_assert(eq(int, se_nat_detect_parse("contact-private,via-private,via-received,"
					      "via-rport-differs,contact-differs", &m), 0));
	cr_assert(eq(u32, m, SE_NAT_DETECT_ALL));
	cr_assert(eq(int, se_nat_detect_parse("default,via-private", &m), 0));
	cr_assert(eq(u32, m, SE_NAT_DETECT_DEFAULT | SE_NAT_VIA_PRIVATE));
}

Test(nat_option, bad_lists_are_refused)
{
	static const char *const bad[] = {
		"", ",", "via-received,", ",via-received", "via_received", "none,via-received",
		"Via-Received", "via-received ,contact-private", "all", "nonee",
	};
	uint32_t m = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(eq(int, se_nat_detect_parse(bad[i], &m), -EINVAL), "'%s'", bad[i]);
	cr_assert(eq(int, se_nat_detect_parse(NULL, &m), -EINVAL));
	cr_assert(eq(u32, m, 7), "a refused list leaves the mask alone");
}

Test(nat_option, format_gives_back_what_parses)
{
	char buf[160];
	uint32_t m;

	for (uint32_t mask = 0; mask <= SE_NAT_DETECT_ALL; mask++) {
		int n = se_nat_detect_format(mask, buf, sizeof(buf));

		cr_assert(eq(int, n, (int)strlen(buf)));
		cr_assert(eq(int, se_nat_detect_parse(buf, &m), 0), "%s", buf);
		cr_assert(eq(u32, m, mask), "%s", buf);
	}
	se_nat_detect_format(SE_NAT_DETECT_DEFAULT, buf, sizeof(buf));
	cr_assert(eq(str, buf, "contact-private,via-received,via-rport-differs"));
	cr_assert(eq(int, se_nat_detect_format(SE_NAT_DETECT_ALL, buf, 8),
		     (int)strlen("contact-private,via-private,via-received,via-rport-differs,"
				 "contact-differs")));
	cr_assert(eq(str, buf, "contact"));
	cr_assert(eq(str, (char *)se_nat_test_name(SE_NAT_VIA_RPORT_DIFFERS), "via-rport-differs"));
	cr_assert(eq(ptr, (void *)se_nat_test_name(3), NULL));
}

Test(nat_count, outcome_becomes_counters)
{
	struct se_stats st;
	struct se_nat_out o;

	memset(&st, 0, sizeof(st));
	memset(&o, 0, sizeof(o));
	se_nat_count(&o, &st);
	for (unsigned int i = 0; i < SE_STAT_COUNT; i++)
		cr_assert(eq(u64, st.c[i], 0));
	o.any = true;
	o.detected = SE_NAT_VIA_RECEIVED;
	o.rewritten = 3;
	o.rport_forced = true;
	o.skipped[SE_NAT_SKIP_IPV6] = 2;
	o.skipped[SE_NAT_SKIP_ALIAS_BAD] = 1;
	se_nat_count(&o, &st);
	se_nat_count(&o, &st);
	cr_assert(eq(u64, st.c[SE_STAT_NAT_DETECTED], 2));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_CONTACTS_REWRITTEN], 6));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_RPORT_FORCED], 2));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_TO_PINHOLE], 0));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_SKIP_IPV6], 4));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_SKIP_ALIAS_BAD], 2));
	cr_assert(eq(u64, st.c[SE_STAT_NAT_SKIP_STAR], 0));
	cr_assert(eq(str, (char *)se_stats_name(SE_STAT_NAT_SKIP_PROXIED), "nat_skip_proxied"));
}

/* ---- RFC 4475: rewriting never breaks a message the parser took ---- */

Test(nat_corpus, every_rfc4475_message_stays_valid_and_round_trips)
{
	const char *dir = getenv("SE_CORPUS_DIR");
	struct dirent *de;
	unsigned int parsed = 0, rewritten = 0;
	DIR *d;

	cr_assert(ne(ptr, (void *)dir, NULL), "SE_CORPUS_DIR not set");
	d = opendir(dir);
	cr_assert(ne(ptr, d, NULL), "%s", dir);
	while ((de = readdir(d)) != NULL) {
		char path[1024], text[NT_ROOM];
		struct nt_run *r;
		FILE *f;
		size_t n;

		if (strstr(de->d_name, ".dat") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		cr_assert(ne(ptr, f, NULL));
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		if (strlen(text) != n || memchr(text, '\n', n) == NULL)
			continue; /* NUL bytes: the text helpers cannot carry them */
		r = calloc(1, sizeof(*r));
		cr_assert(ne(ptr, r, NULL));
		/* raw bytes: the corpus keeps its own line ends, so no CRLF joining */
		se_sip_msg_init(&r->msg, r->hdrs, NT_MAX_HDRS, r->ents, NT_MAX_ENTRIES);
		r->in = (uint8_t *)text;
		r->in_len = n;
		if (se_sip_parse(r->in, n, &r->msg) != SE_SIP_OK) {
			free(r);
			continue;
		}
		parsed++;
		se_edit_reset(&r->plan);
		se_nat_fix_contacts(r->in, &r->msg, nt_ip(SRC), SRC_PORT, &r->plan, &r->out);
		nt_apply(r);
		rewritten += r->out.rewritten;
		/* only Contact lines changed */
		for (uint16_t h = 0, o = 0; h < r->msg.hdr_count; h++, o++) {
			const struct se_sip_hdr *hi = &r->msg.hdrs[h], *ho = &r->omsg.hdrs[o];

			cr_assert(lt(u16, o, r->omsg.hdr_count), "%s", de->d_name);
			cr_assert(eq(u8, hi->type, ho->type), "%s", de->d_name);
			if (hi->type == SE_SIP_HDR_CONTACT)
				continue;
			cr_assert(eq(u16, hi->line.len, ho->line.len), "%s", de->d_name);
			cr_assert(eq(int, memcmp(r->in + hi->line.off, r->odata + ho->line.off,
						 hi->line.len), 0), "%s", de->d_name);
		}
		cr_assert(eq(u16, r->msg.body_len, r->omsg.body_len), "%s", de->d_name);
		cr_assert(eq(int, memcmp(r->in + r->msg.body_off, r->odata + r->omsg.body_off,
					 r->msg.body_len), 0), "%s", de->d_name);
		assert_round_trip(r);
		free(r);
	}
	closedir(d);
	cr_assert(ge(u32, parsed, 25));
	cr_assert(ge(u32, rewritten, 15), "only %u Contacts rewritten in the corpus", rewritten);
}

Test(nat_client, contact_tests_find_a_client_whose_via_looks_right)
{
	struct nt_run r = {0};

	/* a client that fills its Via with its public address (STUN), not its Contact */
	from_client(&r, "INVITE sip:bob@example.com SIP/2.0\n"
		    "Via: SIP/2.0/UDP " SRC ":40001;branch=z9hG4bKs1;rport\n"
		    "To: <sip:bob@example.com>\nFrom: <sip:alice@example.com>;tag=1\n"
		    "Call-ID: s1@x\nCSeq: 1 INVITE\nContact: <sip:alice@10.0.0.7:5060>, "
		    "<sip:alice@10.0.0.7:5070>\nContent-Length: 0\n\n", SE_NAT_DETECT_DEFAULT);
	cr_assert(eq(u8, r.out.detected, SE_NAT_CONTACT_PRIVATE));
	cr_assert(eq(u8, r.out.rewritten, 2));
	nt_assert_span(r.odata, r.oents[nt_contact(&r.omsg, 0)].span,
		       "<sip:alice@" AL "10.0.0.7~5060>");
	nt_assert_span(r.odata, r.oents[nt_contact(&r.omsg, 1)].span,
		       "<sip:alice@" AL "10.0.0.7~5070>");
	nt_free(&r);
}

/* ---- the registrar's 2xx: the client's own bindings come back as it wrote them ---- */

#define REG_OK(contacts) "SIP/2.0 200 OK\n" \
	"Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKr1;rport=40001;received=" SRC "\n" \
	"To: <sip:alice@example.com>;tag=reg\nFrom: <sip:alice@example.com>;tag=r1\n" \
	"Call-ID: reg-1@pc\nCSeq: 1 REGISTER\n" contacts "Content-Length: 0\n\n"

Test(nat_register_reply, own_binding_is_restored_others_stay)
{
	struct nt_run r = {0};

	nt_parse(&r, REG_OK("Contact: <sip:alice@" AL "192.168.1.20~5062;ob>;expires=3598, "
			    "<sip:alice@" SRC ":40002;se-alias=192.168.1.21~5062>;expires=600\n"
			    "Contact: <sip:alice@198.51.100.50:5060>;expires=100\n"));
	se_nat_register_reply(r.in, &r.msg, nt_ip(SRC), SRC_PORT, &r.plan, &r.out);
	nt_apply(&r);
	cr_assert(eq(u8, r.out.restored, 1));
	nt_assert_output(&r, REG_OK("Contact: <sip:alice@192.168.1.20:5062;ob>;expires=3598, "
				    "<sip:alice@" SRC ":40002;se-alias=192.168.1.21~5062>;"
				    "expires=600\nContact: <sip:alice@198.51.100.50:5060>;"
				    "expires=100\n"));
	nt_free(&r);
}

Test(nat_register_reply, only_a_2xx_to_a_register_is_touched)
{
	static const char *const msgs[] = {
		/* a 2xx of an INVITE: the Contact is the callee's, the caller must keep it */
		"SIP/2.0 200 OK\nVia: SIP/2.0/UDP " SRC ":40001;branch=z9hG4bKi1\n"
		"To: <sip:bob@example.com>;tag=b\nFrom: <sip:alice@example.com>;tag=a\n"
		"Call-ID: i1@x\nCSeq: 1 INVITE\nContact: <sip:bob@" AL "10.0.0.9~5060>\n"
		"Content-Length: 0\n\n",
		/* a REGISTER refused */
		"SIP/2.0 403 Forbidden\nVia: SIP/2.0/UDP " SRC ":40001;branch=z9hG4bKr\n"
		"To: <sip:alice@example.com>;tag=b\nFrom: <sip:alice@example.com>;tag=a\n"
		"Call-ID: r1@x\nCSeq: 1 REGISTER\nContact: <sip:alice@" AL "10.0.0.9~5060>\n"
		"Content-Length: 0\n\n",
	};

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct nt_run r = {0};

		nt_parse(&r, msgs[i]);
		se_nat_register_reply(r.in, &r.msg, nt_ip(SRC), SRC_PORT, &r.plan, &r.out);
		cr_assert(eq(int, r.plan.n, 0), "message %zu", i);
		assert_false(r.out.any);
		nt_free(&r);
	}
}

Test(nat_register_reply, a_bad_alias_on_our_pinhole_is_counted)
{
	struct nt_run r = {0};

	nt_parse(&r, REG_OK("Contact: <sip:alice@" AL "[::1]>;expires=60\n"));
	se_nat_register_reply(r.in, &r.msg, nt_ip(SRC), SRC_PORT, &r.plan, &r.out);
	cr_assert(eq(int, r.plan.n, 0));
	cr_assert(eq(u8, r.out.skipped[SE_NAT_SKIP_ALIAS_BAD], 1));
	nt_free(&r);
}
