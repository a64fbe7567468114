/* SPDX-License-Identifier: BSD-3-Clause */
/* se_sip_parse(): start line, header index, lists, essentials, framing, robustness. */

#include "sip_test.h"

#define VIA "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport\r\n"
#define FROM "From: \"Alice\" <sip:alice@example.org>;tag=a1\r\n"
#define TO "To: <sip:bob@example.com>\r\n"
#define CID "Call-ID: cid-1@192.0.2.1\r\n"
#define CSEQ_INV "CSeq: 1 INVITE\r\n"
#define RL "INVITE sip:bob@example.com SIP/2.0\r\n"
/* the mandatory headers of an INVITE */
#define MAND VIA FROM TO CID CSEQ_INV

Test(sip_start_line, request_line_is_split_into_method_uri_version)
{
	struct parsed p;
	const uint8_t *b;

	cr_assert(eq(int, parse_str(&p, RL MAND "\r\n"), SE_SIP_OK));
	b = p.g.data;
	assert_true(p.msg.is_request);
	cr_assert(eq(u8, p.msg.method_id, SE_SIP_METHOD_INVITE));
	assert_span(b, p.msg.method, "INVITE");
	assert_span(b, p.msg.ruri, "sip:bob@example.com");
	assert_span(b, p.msg.version, "SIP/2.0");
	assert_span(b, p.msg.start_line, "INVITE sip:bob@example.com SIP/2.0");
	assert_span(b, p.msg.ruri_uri.host, "example.com");
	assert_span(b, p.msg.ruri_uri.user, "bob");
	cr_assert(eq(u16, p.msg.hdrs_off, (uint16_t)strlen(RL)));
	parsed_free(&p);
}

Test(sip_start_line, status_line_gives_code_and_reason)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "SIP/2.0 486 Busy Here\r\n" MAND "\r\n"), SE_SIP_OK));
	assert_false(p.msg.is_request);
	cr_assert(eq(u16, p.msg.status, 486));
	assert_span(p.g.data, p.msg.reason, "Busy Here");
	cr_assert(eq(u16, p.msg.method.len, 0));
	parsed_free(&p);
}

Test(sip_start_line, response_cseq_method_need_not_match_anything)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "SIP/2.0 200 OK\r\n" VIA FROM TO CID "CSeq: 7 BYE\r\n\r\n"),
		     SE_SIP_OK));
	cr_assert(eq(u8, p.msg.cseq_method_id, SE_SIP_METHOD_BYE));
	parsed_free(&p);
}

Test(sip_start_line, version_is_case_insensitive)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "INVITE sip:bob@example.com sip/2.0\r\n" MAND "\r\n"),
		     SE_SIP_OK));
	parsed_free(&p);
	cr_assert(eq(int, parse_str(&p, "Sip/2.0 180 Ringing\r\n" MAND "\r\n"), SE_SIP_OK));
	parsed_free(&p);
}

Test(sip_start_line, leading_crlfs_are_skipped)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "\r\n\r\n\n" RL MAND "\r\n"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.start_line.off, 5));
	parsed_free(&p);
}

Test(sip_start_line, keepalives_are_empty)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "\r\n\r\n"), SE_SIP_ERR_EMPTY));
	parsed_free(&p);
	cr_assert(eq(int, parse_bytes(&p, "", 0), SE_SIP_ERR_EMPTY));
	parsed_free(&p);
	cr_assert(eq(int, parse_str(&p, "\r\n  \t \r\n"), SE_SIP_ERR_EMPTY));
	parsed_free(&p);
	cr_assert(eq(int, parse_str(&p, "  INVITE"), SE_SIP_ERR_START_LINE));
	parsed_free(&p);
}

Test(sip_start_line, bare_lf_line_ends_are_accepted)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "INVITE sip:bob@example.com SIP/2.0\n"
				    "Via: SIP/2.0/UDP 192.0.2.1\nFrom: <sip:a@b>;tag=1\n"
				    "To: <sip:b@c>\nCall-ID: x\nCSeq: 1 INVITE\n"
				    "Content-Length: 4\n\nbody"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 4));
	assert_span(p.g.data, p.msg.call_id, "x");
	parsed_free(&p);
}

struct status_case {
	char name[48];
	char msg[400];
	enum se_sip_status status;
};

/* One message per defect: every status the parser can return. */
static struct status_case status_cases[] = {
	{ "ok", RL MAND "\r\n", SE_SIP_OK },
	{ "empty", "\r\n", SE_SIP_ERR_EMPTY },
	{ "start_line_two_elements", "INVITE sip:bob@example.com\r\n" MAND "\r\n",
	  SE_SIP_ERR_START_LINE },
	{ "start_line_double_sp", "INVITE  sip:bob@example.com SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_START_LINE },
	{ "start_line_trailing_sp", "INVITE sip:bob@example.com SIP/2.0 \r\n" MAND "\r\n",
	  SE_SIP_ERR_START_LINE },
	{ "start_line_ctl", "INVITE sip:bob@exa\001mple.com SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_START_LINE },
	{ "start_line_no_reason_sp", "SIP/2.0 200\r\n" MAND "\r\n", SE_SIP_ERR_START_LINE },
	{ "method", "INV<ITE sip:bob@example.com SIP/2.0\r\n" MAND "\r\n", SE_SIP_ERR_METHOD },
	{ "request_uri_lws", "INVITE sip:bob@example.com; lr SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_REQUEST_URI },
	{ "request_uri_angles", "INVITE <sip:bob@example.com> SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_REQUEST_URI },
	{ "request_uri_headers", "INVITE sip:bob@example.com?Subject=x SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_REQUEST_URI },
	{ "request_uri_no_scheme", "INVITE bob@example.com SIP/2.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_REQUEST_URI },
	{ "version_request", "INVITE sip:bob@example.com SIP/3.0\r\n" MAND "\r\n",
	  SE_SIP_ERR_VERSION },
	{ "version_response", "SIP/1.0 200 OK\r\n" MAND "\r\n", SE_SIP_ERR_VERSION },
	{ "version_http", "GET / HTTP/1.1\r\n" MAND "\r\n", SE_SIP_ERR_VERSION },
	{ "status_code_low", "SIP/2.0 099 Low\r\n" MAND "\r\n", SE_SIP_ERR_STATUS_CODE },
	{ "status_code_high", "SIP/2.0 700 High\r\n" MAND "\r\n", SE_SIP_ERR_STATUS_CODE },
	{ "status_code_long", "SIP/2.0 2000 Long\r\n" MAND "\r\n", SE_SIP_ERR_STATUS_CODE },
	{ "status_code_alpha", "SIP/2.0 2x0 Alpha\r\n" MAND "\r\n", SE_SIP_ERR_STATUS_CODE },
	{ "header_name_no_colon", RL MAND "Foobar roobar\r\n\r\n", SE_SIP_ERR_HEADER_NAME },
	{ "header_name_empty", RL MAND ": value\r\n\r\n", SE_SIP_ERR_HEADER_NAME },
	{ "header_name_fold_first", RL " Via: x\r\n" MAND "\r\n", SE_SIP_ERR_HEADER_NAME },
	{ "truncated_no_blank_line", RL MAND, SE_SIP_ERR_TRUNCATED },
	{ "truncated_mid_line", RL MAND "Subject: hal", SE_SIP_ERR_TRUNCATED },
	{ "truncated_start_line", "INVITE sip:bob@example.com SIP/2.0", SE_SIP_ERR_TRUNCATED },
	{ "truncated_after_cr", RL MAND "\r", SE_SIP_ERR_TRUNCATED },
	{ "bad_char_bare_cr", RL MAND "Subject: a\rb\r\n\r\n", SE_SIP_ERR_BAD_CHAR },
	{ "bad_char_ctl", RL MAND "Subject: a\001b\r\n\r\n", SE_SIP_ERR_BAD_CHAR },
	{ "bad_char_cr_in_blank_line", RL MAND "\rx\r\n", SE_SIP_ERR_BAD_CHAR },
	{ "unterminated_quote_list", RL MAND "Contact: \"Bob <sip:b@c>\r\n\r\n",
	  SE_SIP_ERR_UNTERMINATED_QUOTE },
	{ "unterminated_quote_to", RL VIA FROM "To: \"Bob <sip:b@c>\r\n" CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_UNTERMINATED_QUOTE },
	{ "unterminated_angle_list", RL MAND "Route: <sip:p1.example.com;lr\r\n\r\n",
	  SE_SIP_ERR_UNTERMINATED_ANGLE },
	{ "unterminated_angle_from", RL VIA "From: <sip:a@b;tag=1\r\n" TO CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_UNTERMINATED_ANGLE },
	{ "no_via", RL FROM TO CID CSEQ_INV "\r\n", SE_SIP_ERR_NO_VIA },
	{ "no_call_id", RL VIA FROM TO CSEQ_INV "\r\n", SE_SIP_ERR_NO_CALL_ID },
	{ "no_cseq", RL VIA FROM TO CID "\r\n", SE_SIP_ERR_NO_CSEQ },
	{ "no_from", RL VIA TO CID CSEQ_INV "\r\n", SE_SIP_ERR_NO_FROM },
	{ "no_to", RL VIA FROM CID CSEQ_INV "\r\n", SE_SIP_ERR_NO_TO },
	{ "via_garbage", RL "Via: garbage\r\n" FROM TO CID CSEQ_INV "\r\n", SE_SIP_ERR_VIA },
	{ "via_empty", RL "Via:\r\n" FROM TO CID CSEQ_INV "\r\n", SE_SIP_ERR_VIA },
	{ "via_empty_entry_in_top_field", RL "Via: SIP/2.0/UDP a.example.com,,\r\n" FROM TO CID
	  CSEQ_INV "\r\n", SE_SIP_ERR_VIA },
	{ "via_bad_port", RL "Via: SIP/2.0/UDP a.example.com:0\r\n" FROM TO CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_VIA },
	{ "from_bad_display", RL VIA "From: Bell, A <sip:a@b>;tag=1\r\n" TO CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_FROM },
	{ "from_star", RL VIA "From: *\r\n" TO CID CSEQ_INV "\r\n", SE_SIP_ERR_FROM },
	{ "from_empty_tag", RL VIA "From: <sip:a@b>;tag=\r\n" TO CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_FROM },
	{ "to_lws_in_angles", RL VIA FROM "To: < sip:b@c >\r\n" CID CSEQ_INV "\r\n",
	  SE_SIP_ERR_TO },
	{ "to_no_scheme", RL VIA FROM "To: bob\r\n" CID CSEQ_INV "\r\n", SE_SIP_ERR_TO },
	{ "call_id_empty", RL VIA FROM TO "Call-ID:   \r\n" CSEQ_INV "\r\n", SE_SIP_ERR_CALL_ID },
	{ "call_id_space", RL VIA FROM TO "Call-ID: a b\r\n" CSEQ_INV "\r\n", SE_SIP_ERR_CALL_ID },
	{ "call_id_mismatch", RL MAND "i: other@192.0.2.1\r\n\r\n", SE_SIP_ERR_CALL_ID_MISMATCH },
	{ "cseq_no_method", RL VIA FROM TO CID "CSeq: 1\r\n\r\n", SE_SIP_ERR_CSEQ },
	{ "cseq_no_space", RL VIA FROM TO CID "CSeq: 1INVITE\r\n\r\n", SE_SIP_ERR_CSEQ },
	{ "cseq_2_31", RL VIA FROM TO CID "CSeq: 2147483648 INVITE\r\n\r\n", SE_SIP_ERR_CSEQ },
	{ "cseq_negative", RL VIA FROM TO CID "CSeq: -1 INVITE\r\n\r\n", SE_SIP_ERR_CSEQ },
	{ "cseq_trailing", RL VIA FROM TO CID "CSeq: 1 INVITE x\r\n\r\n", SE_SIP_ERR_CSEQ },
	{ "cseq_method_mismatch", RL VIA FROM TO CID "CSeq: 1 ACK\r\n\r\n",
	  SE_SIP_ERR_CSEQ_MISMATCH },
	{ "cseq_method_case", RL VIA FROM TO CID "CSeq: 1 invite\r\n\r\n",
	  SE_SIP_ERR_CSEQ_MISMATCH },
	{ "cseq_repeated", RL MAND "CSeq: 1 INVITE\r\n\r\n", SE_SIP_ERR_CSEQ_MISMATCH },
	{ "from_repeated", RL MAND "f: <sip:c@d>;tag=2\r\n\r\n", SE_SIP_ERR_FROM_TO_DUPLICATE },
	{ "to_repeated", RL MAND "t: <sip:c@d>\r\n\r\n", SE_SIP_ERR_FROM_TO_DUPLICATE },
	{ "max_forwards_256", RL MAND "Max-Forwards: 256\r\n\r\n", SE_SIP_ERR_MAX_FORWARDS },
	{ "max_forwards_alpha", RL MAND "Max-Forwards: ten\r\n\r\n", SE_SIP_ERR_MAX_FORWARDS },
	{ "max_forwards_empty", RL MAND "Max-Forwards:\r\n\r\n", SE_SIP_ERR_MAX_FORWARDS },
	{ "max_forwards_repeated", RL MAND "Max-Forwards: 70\r\nMax-Forwards: 70\r\n\r\n",
	  SE_SIP_ERR_MAX_FORWARDS },
	{ "content_length_negative", RL MAND "Content-Length: -1\r\n\r\n",
	  SE_SIP_ERR_CONTENT_LENGTH },
	{ "content_length_huge", RL MAND "l: 99999999999999999999\r\n\r\n",
	  SE_SIP_ERR_CONTENT_LENGTH },
	{ "content_length_2_31", RL MAND "l: 2147483648\r\n\r\n", SE_SIP_ERR_CONTENT_LENGTH },
	{ "content_length_alpha", RL MAND "l: 1 2\r\n\r\n", SE_SIP_ERR_CONTENT_LENGTH },
	{ "content_length_mismatch", RL MAND "l: 2\r\nContent-Length: 3\r\n\r\nabc",
	  SE_SIP_ERR_CONTENT_LENGTH_MISMATCH },
	{ "content_length_same_twice", RL MAND "l: 3\r\nContent-Length: 003\r\n\r\nabc",
	  SE_SIP_OK },
	{ "body_short", RL MAND "Content-Length: 10\r\n\r\n123456789", SE_SIP_ERR_BODY_SHORT },
	{ "body_short_huge", RL MAND "Content-Length: 2147483647\r\n\r\n", SE_SIP_ERR_BODY_SHORT },
};

ParameterizedTestParameters(sip_status, each_defect_gets_its_code)
{
	return cr_make_param_array(struct status_case, status_cases,
				   sizeof(status_cases) / sizeof(status_cases[0]));
}

ParameterizedTest(struct status_case *c, sip_status, each_defect_gets_its_code)
{
	struct parsed p;

	parse_str(&p, c->msg);
	cr_assert(eq(str, (char *)se_sip_status_name(p.st), (char *)se_sip_status_name(c->status)),
		  "case %s", c->name);
	parsed_free(&p);
}

Test(sip_status, every_code_is_covered_by_a_case)
{
	bool seen[SE_SIP_STATUS_COUNT] = { false };
	size_t i;
	int st;

	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++)
		seen[status_cases[i].status] = true;
	/* these three need inputs of their own: see the tests below */
	seen[SE_SIP_ERR_TOO_LARGE] = true;
	seen[SE_SIP_ERR_TOO_MANY_HEADERS] = true;
	seen[SE_SIP_ERR_TOO_MANY_ENTRIES] = true;
	for (st = 0; st < SE_SIP_STATUS_COUNT; st++)
		assert_true(seen[st]);
}

Test(sip_status, names_and_texts_are_distinct_and_never_null)
{
	int a, b;

	for (a = 0; a < SE_SIP_STATUS_COUNT; a++) {
		cr_assert(ne(ptr, (void *)se_sip_status_name(a), NULL));
		cr_assert(ne(ptr, (void *)se_sip_strerror(a), NULL));
		cr_assert(gt(sz, strlen(se_sip_strerror(a)), 0));
		for (b = 0; b < a; b++)
			cr_assert(ne(str, (char *)se_sip_status_name(a),
				     (char *)se_sip_status_name(b)));
	}
	cr_assert(eq(str, (char *)se_sip_status_name(SE_SIP_ERR_NO_CALL_ID), "no_call_id"));
	cr_assert(ne(ptr, (void *)se_sip_status_name(SE_SIP_STATUS_COUNT), NULL));
	cr_assert(ne(ptr, (void *)se_sip_strerror((enum se_sip_status)-1), NULL));
}

Test(sip_status, too_large_datagram_is_refused_before_reading)
{
	struct parsed p;
	uint8_t *big = malloc(SE_SIP_MAX_LEN + 1);

	cr_assert(ne(ptr, big, NULL));
	memset(big, 'A', SE_SIP_MAX_LEN + 1);
	cr_assert(eq(int, parse_bytes(&p, big, SE_SIP_MAX_LEN + 1), SE_SIP_ERR_TOO_LARGE));
	parsed_free(&p);
	free(big);
}

Test(sip_status, largest_datagram_is_parsed)
{
	static const char head[] = RL MAND "Content-Length: ";
	struct parsed p;
	uint8_t *big = malloc(SE_SIP_MAX_LEN);
	size_t hl = strlen(head), bl;
	char num[16];

	cr_assert(ne(ptr, big, NULL));
	memcpy(big, head, hl);
	bl = SE_SIP_MAX_LEN - hl - 5 - 4;
	snprintf(num, sizeof(num), "%05zu", bl);
	memcpy(big + hl, num, 5);
	memcpy(big + hl + 5, "\r\n\r\n", 4);
	memset(big + hl + 9, 0, bl); /* a body of NUL bytes */
	cr_assert(eq(int, parse_bytes(&p, big, SE_SIP_MAX_LEN), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.msg_len, SE_SIP_MAX_LEN));
	parsed_free(&p);
	free(big);
}

Test(sip_headers, too_many_headers_stops_at_capacity)
{
	struct guarded g;
	struct se_sip_hdr hdrs[5];
	struct se_sip_entry entries[8];
	struct se_sip_msg msg;
	const char *s = RL MAND "\r\n";

	guard_put(&g, s, strlen(s));
	se_sip_msg_init(&msg, hdrs, 5, entries, 8);
	cr_assert(eq(int, se_sip_parse(g.data, g.len, &msg), SE_SIP_OK)); /* exactly 5 fit */
	se_sip_msg_init(&msg, hdrs, 4, entries, 8);
	cr_assert(eq(int, se_sip_parse(g.data, g.len, &msg), SE_SIP_ERR_TOO_MANY_HEADERS));
	cr_assert(eq(u16, msg.hdr_count, 4));
	se_sip_msg_init(&msg, NULL, 0, NULL, 0);
	cr_assert(eq(int, se_sip_parse(g.data, g.len, &msg), SE_SIP_ERR_TOO_MANY_HEADERS));
	guard_free(&g);
}

Test(sip_lists, too_many_entries_stops_at_capacity)
{
	struct guarded g;
	struct se_sip_hdr hdrs[16];
	struct se_sip_entry entries[2];
	struct se_sip_msg msg;
	const char *s = RL MAND "Route: <sip:a>, <sip:b>\r\n\r\n";

	guard_put(&g, s, strlen(s));
	se_sip_msg_init(&msg, hdrs, 16, entries, 2);
	cr_assert(eq(int, se_sip_parse(g.data, g.len, &msg), SE_SIP_ERR_TOO_MANY_ENTRIES));
	cr_assert(eq(u16, msg.entry_count, 2));
	guard_free(&g);
}

Test(sip_lists, more_than_255_entries_in_one_field_is_too_many)
{
	static char s[4096];
	struct parsed *p = malloc(sizeof(*p));
	struct se_sip_hdr hdrs[16];
	struct se_sip_entry *entries = malloc(400 * sizeof(*entries));
	int i, n;

	n = snprintf(s, sizeof(s), "%sRoute: ", RL MAND);
	for (i = 0; i < 256; i++)
		n += snprintf(s + n, sizeof(s) - (size_t)n, "%s<sip:h>", i ? "," : "");
	snprintf(s + n, sizeof(s) - (size_t)n, "\r\n\r\n");
	guard_put(&p->g, s, strlen(s));
	se_sip_msg_init(&p->msg, hdrs, 16, entries, 400);
	cr_assert(eq(int, se_sip_parse(p->g.data, p->g.len, &p->msg), SE_SIP_ERR_TOO_MANY_ENTRIES));
	guard_free(&p->g);
	free(entries);
	free(p);
}

Test(sip_headers, full_names_are_case_insensitive_and_classified)
{
	int t;

	for (t = 1; t < SE_SIP_HDR_COUNT; t++) {
		const char *name = se_sip_hdr_name(t);
		char msg[512], upper[64], lower[64];
		size_t i, n = strlen(name);
		struct parsed p;
		const char *forms[2] = { upper, lower };
		int f;

		for (i = 0; i <= n; i++) {
			char c = name[i];

			upper[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
			lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		cr_assert(eq(int, se_sip_hdr_lookup((const uint8_t *)name, n), t));
		for (f = 0; f < 2; f++) {
			/* in the middle (16-byte compare) and last with < 16 bytes left (scalar) */
			snprintf(msg, sizeof(msg), "OPTIONS sip:x SIP/2.0\r\n%s: 1\r\n"
				 "Subject: s\r\n%s: 1\r\n\r\n", forms[f], forms[f]);
			parse_str(&p, msg);
			cr_assert(ge(u16, p.msg.hdr_count, 3), "%s", msg);
			cr_assert(eq(u8, p.msg.hdrs[0].type, t), "%s", forms[f]);
			cr_assert(eq(u8, p.msg.hdrs[2].type, t), "%s", forms[f]);
			assert_true(p.msg.seen & SE_SIP_SEEN(t));
			cr_assert(eq(u16, p.msg.first[t], 0));
			parsed_free(&p);
		}
	}
}

Test(sip_headers, compact_forms_are_classified)
{
	static const struct {
		char c;
		enum se_sip_hdr_type t;
	} forms[] = {
		{ 'i', SE_SIP_HDR_CALL_ID }, { 'm', SE_SIP_HDR_CONTACT }, { 'v', SE_SIP_HDR_VIA },
		{ 'f', SE_SIP_HDR_FROM }, { 't', SE_SIP_HDR_TO },
		{ 'l', SE_SIP_HDR_CONTENT_LENGTH },
		{ 'c', SE_SIP_HDR_CONTENT_TYPE }, { 'k', SE_SIP_HDR_SUPPORTED },
		{ 's', SE_SIP_HDR_SUBJECT }, { 'e', SE_SIP_HDR_CONTENT_ENCODING },
		{ 'o', SE_SIP_HDR_EVENT }, { 'r', SE_SIP_HDR_REFER_TO },
		{ 'u', SE_SIP_HDR_ALLOW_EVENTS },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		uint8_t lo = (uint8_t)forms[i].c, up = (uint8_t)(forms[i].c - 32);

		cr_assert(eq(int, se_sip_hdr_lookup(&lo, 1), forms[i].t));
		cr_assert(eq(int, se_sip_hdr_lookup(&up, 1), forms[i].t));
	}
	cr_assert(eq(int, se_sip_hdr_lookup((const uint8_t *)"x", 1), SE_SIP_HDR_OTHER));
	cr_assert(eq(int, se_sip_hdr_lookup((const uint8_t *)"", 0), SE_SIP_HDR_OTHER));
}

Test(sip_headers, near_miss_names_are_other)
{
	static const char *names[] = {
		"Vias", "Vi", "Call-IDs", "Call_ID", "C%6Fntact", "Contac", "Contacts", "Tx",
		"Max-Forward", "Content-Lengths", "Via:", "To ", "Fro", "CSeq2", "Rout",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert(eq(int, se_sip_hdr_lookup((const uint8_t *)names[i], strlen(names[i])),
			     SE_SIP_HDR_OTHER), "%s", names[i]);
	cr_assert(eq(str, (char *)se_sip_hdr_name(SE_SIP_HDR_CALL_ID), "Call-ID"));
	cr_assert(eq(str, (char *)se_sip_hdr_name(SE_SIP_HDR_COUNT), "Other"));
}

Test(sip_headers, index_records_first_of_each_type_and_seen_mask)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Contact: <sip:a@b>\r\nm: <sip:c@d>\r\n"
				    "X-Custom: 1\r\n\r\n"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.hdr_count, 8));
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_VIA], 0));
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_CSEQ], 4));
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_CONTACT], 5));
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_OTHER], 7));
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_ROUTE], SE_SIP_NONE));
	assert_true(p.msg.seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT));
	assert_false(p.msg.seen & SE_SIP_SEEN(SE_SIP_HDR_ROUTE));
	cr_assert(eq(u8, p.msg.hdrs[6].type, SE_SIP_HDR_CONTACT));
	assert_span(p.g.data, p.msg.hdrs[7].name, "X-Custom");
	parsed_free(&p);
}

Test(sip_headers, whitespace_around_colon_and_value_is_trimmed)
{
	struct parsed p;
	const struct se_sip_hdr *h;

	cr_assert(eq(int, parse_str(&p, RL MAND "Subject \t :  \t hello world \t \r\n\r\n"),
		     SE_SIP_OK));
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_SUBJECT]];
	assert_span(p.g.data, h->name, "Subject");
	assert_span(p.g.data, h->value, "hello world");
	assert_span(p.g.data, h->line, "Subject \t :  \t hello world \t \r\n");
	parsed_free(&p);
}

Test(sip_headers, folded_lines_join_the_field_and_keep_inner_lws)
{
	struct parsed p;
	const struct se_sip_hdr *h;

	cr_assert(eq(int, parse_str(&p, RL MAND "Subject:\r\n  first\r\n\tsecond \r\n"
				    "X-After: 1\r\n\r\n"), SE_SIP_OK));
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_SUBJECT]];
	assert_span(p.g.data, h->value, "first\r\n\tsecond");
	assert_span(p.g.data, h->line, "Subject:\r\n  first\r\n\tsecond \r\n");
	assert_span(p.g.data, p.msg.hdrs[p.msg.hdr_count - 1].name, "X-After");
	parsed_free(&p);
}

Test(sip_headers, empty_value_is_an_empty_span)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Subject:\r\n\r\n"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.hdrs[p.msg.first[SE_SIP_HDR_SUBJECT]].value.len, 0));
	parsed_free(&p);
}

Test(sip_headers, tab_and_utf8_in_values_are_fine)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Subject: a\tb \xc3\xa9t\xc3\xa9\r\n\r\n"),
		     SE_SIP_OK));
	parsed_free(&p);
}

Test(sip_headers, nul_in_a_header_value_is_a_bad_char)
{
	static const char s[] = RL MAND "Subject: a\0b\r\n\r\n";
	struct parsed p;

	cr_assert(eq(int, parse_bytes(&p, s, sizeof(s) - 1), SE_SIP_ERR_BAD_CHAR));
	parsed_free(&p);
}

Test(sip_headers, nul_as_a_quoted_pair_is_allowed)
{
	static const char s[] = RL VIA FROM "To: \"nul:\\\0 bel:\\\a\" <sip:bob@example.com>\r\n"
		CID CSEQ_INV "\r\n";
	struct parsed p;

	cr_assert(eq(int, parse_bytes(&p, s, sizeof(s) - 1), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.to.display.len, 15));
	parsed_free(&p);
}

Test(sip_headers, nul_outside_quotes_in_to_is_a_bad_char)
{
	static const char s[] = RL VIA FROM "To: \"x\" \0<sip:bob@example.com>\r\n" CID CSEQ_INV
		"\r\n";
	struct parsed p;

	cr_assert(eq(int, parse_bytes(&p, s, sizeof(s) - 1), SE_SIP_ERR_BAD_CHAR));
	parsed_free(&p);
}

Test(sip_lists, via_values_split_on_commas)
{
	struct parsed p;
	const struct se_sip_hdr *h;

	cr_assert(eq(int, parse_str(&p, RL "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,  "
				    "SIP/2.0/TCP b.example.com:5061\r\nv: SIP/2.0/UDP c\r\n"
				    FROM TO CID CSEQ_INV "\r\n"), SE_SIP_OK));
	h = &p.msg.hdrs[0];
	cr_assert(eq(u8, h->n_entries, 2));
	cr_assert(eq(u16, h->first_entry, 0));
	assert_span(p.g.data, p.msg.entries[0].span, "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
	assert_span(p.g.data, p.msg.entries[1].span, "SIP/2.0/TCP b.example.com:5061");
	cr_assert(eq(u16, p.msg.entries[2].hdr, 1));
	assert_span(p.g.data, p.msg.entries[2].span, "SIP/2.0/UDP c");
	assert_span(p.g.data, p.msg.via.host, "a.example.com");
	parsed_free(&p);
}

Test(sip_lists, commas_in_quotes_and_angles_do_not_split)
{
	struct parsed p;
	const struct se_sip_hdr *h;

	cr_assert(eq(int, parse_str(&p, RL MAND "Contact: \"Bob, \\\"the\\\" builder\" "
				    "<sip:bob@b.example.com;x=a,b>;q=0.5, <sip:c@d>\r\n\r\n"),
		     SE_SIP_OK));
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_CONTACT]];
	cr_assert(eq(u8, h->n_entries, 2));
	assert_span(p.g.data, p.msg.entries[h->first_entry].span,
		    "\"Bob, \\\"the\\\" builder\" <sip:bob@b.example.com;x=a,b>;q=0.5");
	assert_span(p.g.data, p.msg.entries[h->first_entry + 1].span, "<sip:c@d>");
	parsed_free(&p);
}

Test(sip_lists, empty_route_entries_are_skipped)
{
	struct parsed p;
	const struct se_sip_hdr *h;

	cr_assert(eq(int, parse_str(&p, RL MAND "Route: ,<sip:p1;lr>, ,,<sip:p2;lr>,\r\n"
				    "Record-Route: <sip:r1;lr>\r\nPath: <sip:x;lr>\r\n\r\n"),
		     SE_SIP_OK));
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_ROUTE]];
	cr_assert(eq(u8, h->n_entries, 2));
	assert_span(p.g.data, p.msg.entries[h->first_entry].span, "<sip:p1;lr>");
	assert_span(p.g.data, p.msg.entries[h->first_entry + 1].span, "<sip:p2;lr>");
	cr_assert(eq(u8, p.msg.hdrs[p.msg.first[SE_SIP_HDR_RECORD_ROUTE]].n_entries, 1));
	cr_assert(eq(u8, p.msg.hdrs[p.msg.first[SE_SIP_HDR_PATH]].n_entries, 1));
	parsed_free(&p);
}

Test(sip_lists, empty_entry_in_a_later_via_field_is_skipped)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL VIA "Via: , SIP/2.0/UDP b.example.com,\r\n"
				    FROM TO CID CSEQ_INV "\r\n"), SE_SIP_OK));
	cr_assert(eq(u8, p.msg.hdrs[1].n_entries, 1));
	parsed_free(&p);
}

Test(sip_lists, non_list_headers_have_no_entries)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Subject: a, b, c\r\n\r\n"), SE_SIP_OK));
	cr_assert(eq(u8, p.msg.hdrs[p.msg.first[SE_SIP_HDR_SUBJECT]].n_entries, 0));
	cr_assert(eq(u8, p.msg.hdrs[p.msg.first[SE_SIP_HDR_FROM]].n_entries, 0));
	parsed_free(&p);
}

Test(sip_cseq, number_and_method_are_decoded)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL VIA FROM TO CID "CSeq:  0009\r\n  INVITE \r\n\r\n"),
		     SE_SIP_OK));
	cr_assert(eq(u32, p.msg.cseq, 9));
	assert_span(p.g.data, p.msg.cseq_method, "INVITE");
	cr_assert(eq(u8, p.msg.cseq_method_id, SE_SIP_METHOD_INVITE));
	parsed_free(&p);
	cr_assert(eq(int, parse_str(&p, RL VIA FROM TO CID "CSeq: 2147483647 INVITE\r\n\r\n"),
		     SE_SIP_OK));
	cr_assert(eq(u32, p.msg.cseq, 2147483647u));
	parsed_free(&p);
}

/*
 * Numbers of up to 7 digits are read in one 8-byte step, longer ones byte by
 * byte, and a number at the very end of a value may have fewer than 8 bytes
 * left in the datagram: each length must give the same value either way.
 */
Test(sip_cseq, numbers_of_every_length_keep_their_value)
{
	static const struct {
		const char *v;
		uint32_t n;
		bool ok;
	} cases[] = {
		{ "1", 1, true }, { "12", 12, true }, { "1234567", 1234567, true },
		{ "12345678", 12345678, true }, { "123456789", 123456789, true },
		{ "0000000001", 1, true }, { "00000000000000002", 2, true },
		{ "2147483647", 2147483647u, true }, { "2147483648", 0, false },
		{ "9999999", 9999999, true }, { "99999999999", 0, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[512];
		struct parsed p;

		snprintf(msg, sizeof(msg), RL VIA FROM TO CID "CSeq: %s INVITE\r\n\r\n",
			 cases[i].v);
		cr_assert(eq(int, parse_str(&p, msg), cases[i].ok ? SE_SIP_OK : SE_SIP_ERR_CSEQ),
			  "CSeq %s", cases[i].v);
		if (cases[i].ok)
			cr_assert(eq(u32, p.msg.cseq, cases[i].n), "CSeq %s", cases[i].v);
		parsed_free(&p);
		/* as the last bytes of the datagram, in a Content-Length with no body */
		snprintf(msg, sizeof(msg), RL MAND "l:%s\r\n\r\n", cases[i].v);
		if (cases[i].ok && cases[i].n > 0)
			cr_assert(eq(int, parse_str(&p, msg), SE_SIP_ERR_BODY_SHORT), "l %s",
				  cases[i].v);
		else if (cases[i].ok)
			cr_assert(eq(int, parse_str(&p, msg), SE_SIP_OK), "l %s", cases[i].v);
		else
			cr_assert(eq(int, parse_str(&p, msg), SE_SIP_ERR_CONTENT_LENGTH), "l %s",
				  cases[i].v);
		parsed_free(&p);
	}
}

/* A request's CSeq method is compared with its own, byte for byte, known or not. */
Test(sip_cseq, method_must_repeat_the_request_method_exactly)
{
	static const struct {
		const char *rl, *cseq;
		enum se_sip_status st;
		uint8_t id;
	} cases[] = {
		{ "NOTIFY", "NOTIFY", SE_SIP_OK, SE_SIP_METHOD_NOTIFY },
		{ "NOTIFY", "INVITE", SE_SIP_ERR_CSEQ_MISMATCH, 0 },
		{ "FOOBAR", "FOOBAR", SE_SIP_OK, SE_SIP_METHOD_OTHER },
		{ "FOOBAR", "FOOBAZ", SE_SIP_ERR_CSEQ_MISMATCH, 0 },
		{ "FOO", "FOOB", SE_SIP_ERR_CSEQ_MISMATCH, 0 },
		{ "FOOBAR", "FOO", SE_SIP_ERR_CSEQ_MISMATCH, 0 },
		{ "INVITE", "INV", SE_SIP_ERR_CSEQ_MISMATCH, 0 },
		{ "SUBSCRIBE", "SUBSCRIBE", SE_SIP_OK, SE_SIP_METHOD_SUBSCRIBE },
		{ "X-LONGMETHOD", "X-LONGMETHOD", SE_SIP_OK, SE_SIP_METHOD_OTHER },
		{ "INVITE", "INV\"TE", SE_SIP_ERR_CSEQ, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[512];
		struct parsed p;

		/* a header after CSeq: the one-compare path reads 8 bytes */
		snprintf(msg, sizeof(msg), "%s sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
			 "CSeq: 7 %s\r\nMax-Forwards: 70\r\n\r\n", cases[i].rl, cases[i].cseq);
		cr_assert(eq(int, parse_str(&p, msg), cases[i].st), "%s / %s", cases[i].rl,
			  cases[i].cseq);
		if (cases[i].st == SE_SIP_OK) {
			cr_assert(eq(u8, p.msg.cseq_method_id, cases[i].id));
			assert_span(p.g.data, p.msg.cseq_method, cases[i].cseq);
		}
		parsed_free(&p);
	}
}

Test(sip_cseq, ack_and_cancel_carry_their_own_method)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, "ACK sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
				    "CSeq: 1 ACK\r\n\r\n"), SE_SIP_OK));
	cr_assert(eq(u8, p.msg.method_id, SE_SIP_METHOD_ACK));
	parsed_free(&p);
	cr_assert(eq(int, parse_str(&p, "CANCEL sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
				    "CSeq: 1 INVITE\r\n\r\n"), SE_SIP_ERR_CSEQ_MISMATCH));
	parsed_free(&p);
}

Test(sip_max_forwards, values_0_to_255_with_leading_zeros)
{
	static const struct {
		const char *v;
		int mf;
	} cases[] = { { "0", 0 }, { "70", 70 }, { "0068", 68 }, { "255", 255 }, { "000", 0 } };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[512];
		struct parsed p;

		snprintf(msg, sizeof(msg), RL MAND "Max-Forwards: %s\r\n\r\n", cases[i].v);
		cr_assert(eq(int, parse_str(&p, msg), SE_SIP_OK));
		cr_assert(eq(i32, p.msg.max_forwards, cases[i].mf));
		parsed_free(&p);
	}
}

Test(sip_max_forwards, absent_is_minus_one_and_not_an_error)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "\r\n"), SE_SIP_OK));
	cr_assert(eq(i32, p.msg.max_forwards, -1));
	parsed_free(&p);
}

Test(sip_body, content_length_frames_the_body_and_ignores_the_rest)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Content-Length: 5\r\n\r\nhello trailing junk"),
		     SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 5));
	assert_span_mem(p.g.data, ((struct se_span){ p.msg.body_off, p.msg.body_len }), "hello",
			5);
	cr_assert(eq(u16, p.msg.msg_len, (uint16_t)(p.msg.body_off + 5)));
	cr_assert(eq(u16, p.msg.hdrs_end, (uint16_t)(p.msg.body_off - 2)));
	parsed_free(&p);
}

Test(sip_body, without_content_length_the_body_is_the_rest)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "\r\nv=0\r\n"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 5));
	cr_assert(eq(i32, p.msg.content_length, -1));
	cr_assert(eq(u32, (uint32_t)p.msg.msg_len, (uint32_t)p.g.len));
	parsed_free(&p);
}

Test(sip_body, nul_bytes_in_the_body_are_fine)
{
	static const char s[] = RL MAND "l: 6\r\n\r\n\0a\0b\0\0";
	struct parsed p;

	cr_assert(eq(int, parse_bytes(&p, s, sizeof(s) - 1), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 6));
	parsed_free(&p);
}

Test(sip_body, zero_length_and_empty_body)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL MAND "Content-Length: 0\r\n\r\n"), SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 0));
	cr_assert(eq(u32, (uint32_t)p.msg.msg_len, (uint32_t)p.g.len));
	parsed_free(&p);
}

Test(sip_call_id, exact_bytes_are_kept_and_equal_repeats_pass)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL VIA FROM TO "Call-ID:   a\"<b>\\c@[d]  \r\n"
				    CSEQ_INV "i: a\"<b>\\c@[d]\r\n\r\n"), SE_SIP_OK));
	assert_span(p.g.data, p.msg.call_id, "a\"<b>\\c@[d]");
	parsed_free(&p);
}

Test(sip_from_to, tags_and_uris_are_decoded)
{
	struct parsed p;

	cr_assert(eq(int, parse_str(&p, RL VIA "From: sip:alice@example.org;tag=xyz\r\n"
				    "To: Bob <sip:bob@example.com;user=phone>;tag=t2\r\n" CID
				    CSEQ_INV "\r\n"), SE_SIP_OK));
	assert_span(p.g.data, p.msg.from.tag, "xyz");
	assert_false(p.msg.from.flags & SE_SIP_ADDR_NAME_ADDR);
	assert_span(p.g.data, p.msg.from.uri.user, "alice");
	assert_span(p.g.data, p.msg.to.display, "Bob");
	assert_span(p.g.data, p.msg.to.tag, "t2");
	assert_span(p.g.data, p.msg.to.uri.params, ";user=phone");
	parsed_free(&p);
}

Test(sip_robustness, parser_state_does_not_leak_between_messages)
{
	struct parsed p;
	struct guarded g2;
	const char *second = "SIP/2.0 200 OK\r\n" VIA "From: <sip:a@b>\r\nTo: <sip:c@d>\r\n" CID
			     "CSeq: 1 INVITE\r\n\r\n";

	cr_assert(eq(int, parse_str(&p, RL MAND "Max-Forwards: 9\r\nl: 0\r\n\r\n"), SE_SIP_OK));
	guard_put(&g2, second, strlen(second));
	cr_assert(eq(int, se_sip_parse(g2.data, g2.len, &p.msg), SE_SIP_OK));
	cr_assert(eq(i32, p.msg.max_forwards, -1));
	cr_assert(eq(i32, p.msg.content_length, -1));
	assert_false(p.msg.from.flags & SE_SIP_ADDR_TAG);
	cr_assert(eq(u16, p.msg.first[SE_SIP_HDR_CONTENT_LENGTH], SE_SIP_NONE));
	cr_assert(eq(u16, p.msg.hdr_count, 5));
	guard_free(&g2);
	parsed_free(&p);
}

static const char invite[] =
	"INVITE sip:+4930123456789@carrier.example.net:5060;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bK-524287-1---a1b2c3d4;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: \"Alice Example\" <sip:+4930111222333@pbx.example.org>;tag=8f3a2b1c\r\n"
	"To: <sip:+4930123456789@carrier.example.net>\r\n"
	"Call-ID: a84b4c76e66710f2ad31c0b5d8e6c2f1@198.51.100.23\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:+4930111222333@198.51.100.23:5060;transport=udp>\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 40\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 198.51.100.23\r\n"
	"s=-\r\n";

Test(sip_robustness, every_prefix_of_an_invite_is_an_error_or_ok)
{
	size_t n, len = sizeof(invite) - 1;
	size_t body_off = (size_t)(strstr(invite, "\r\n\r\n") - invite) + 4;

	for (n = 0; n <= len; n++) {
		struct parsed p;

		parse_bytes(&p, invite, n);
		if (n == len)
			cr_assert(eq(int, p.st, SE_SIP_OK));
		else if (n >= body_off)
			cr_assert(eq(int, p.st, SE_SIP_ERR_BODY_SHORT), "prefix %zu", n);
		else
			cr_assert(ne(int, p.st, SE_SIP_OK), "prefix %zu", n);
		parsed_free(&p);
	}
}

/*
 * The line scanner reads 16 bytes at a time while 16 remain and finishes
 * byte by byte. Parse the same header section once at the very end of the
 * datagram (scalar tail) and once followed by a 64-byte body (vector path),
 * for header lengths of every residue mod 16: the index must be the same.
 */
Test(sip_robustness, vector_path_and_scalar_tail_agree)
{
	int pad, k;

	for (pad = 0; pad < 48; pad++) {
		char hdrs[1024], a[1200], b[1200], padding[64];
		struct parsed pa, pb;
		int na, nb;

		memset(padding, 'x', (size_t)pad);
		padding[pad] = '\0';
		snprintf(hdrs, sizeof(hdrs), RL "X-Pad: %s\r\n" MAND "Call-ID: cid-1@192.0.2.1\r\n"
			 "Subject: s%s\r\nRoute: <sip:r%s;lr>, <sip:q;lr>\r\n", padding, padding,
			 padding);
		na = snprintf(a, sizeof(a), "%sContent-Length: 00\r\n\r\n", hdrs);
		nb = snprintf(b, sizeof(b), "%sContent-Length: 64\r\n\r\n%064d", hdrs, 0);
		cr_assert(eq(int, parse_bytes(&pa, a, (size_t)na), SE_SIP_OK), "pad %d", pad);
		cr_assert(eq(int, parse_bytes(&pb, b, (size_t)nb), SE_SIP_OK), "pad %d", pad);
		cr_assert(eq(u16, pa.msg.hdr_count, pb.msg.hdr_count));
		cr_assert(eq(u16, pa.msg.entry_count, pb.msg.entry_count));
		for (k = 0; k < pa.msg.hdr_count; k++) {
			const struct se_sip_hdr *x = &pa.msg.hdrs[k], *y = &pb.msg.hdrs[k];

			cr_assert(eq(u16, x->line.off, y->line.off));
			cr_assert(eq(u16, x->line.len, y->line.len));
			cr_assert(eq(u16, x->value.off, y->value.off));
			cr_assert(eq(u16, x->value.len, y->value.len));
			cr_assert(eq(u8, x->type, y->type));
		}
		for (k = 0; k < pa.msg.entry_count; k++) {
			cr_assert(eq(u16, pa.msg.entries[k].span.off, pb.msg.entries[k].span.off));
			cr_assert(eq(u16, pa.msg.entries[k].span.len, pb.msg.entries[k].span.len));
		}
		cr_assert(eq(u16, pa.msg.call_id.len, pb.msg.call_id.len));
		parsed_free(&pa);
		parsed_free(&pb);
	}
}

/*
 * Line ends come from masks of 64 bytes that overlap by one: put the CRLF of
 * a header, an HT and a bad byte at every position of two such blocks, at
 * the end of the datagram and inside it. The index must not depend on where
 * the blocks fall.
 */
Test(sip_robustness, line_ends_are_found_wherever_the_blocks_fall)
{
	int pad, tail;

	for (tail = 0; tail < 2; tail++) {
		for (pad = 0; pad < 140; pad++) {
			char padding[160], msg[1024];
			struct parsed p;
			int n;

			memset(padding, 'x', (size_t)pad);
			padding[pad] = '\0';
			n = snprintf(msg, sizeof(msg), RL MAND "X-Pad: %s\r\nSubject:\tz\t\r\n"
				     "Contact: <sip:a@b>,<sip:c@d>\r\n%s", padding,
				     tail ? "Content-Length: 3\r\n\r\nabc" : "\r\n");
			cr_assert(eq(int, parse_bytes(&p, msg, (size_t)n), SE_SIP_OK), "pad %d",
				  pad);
			cr_assert(eq(u16, p.msg.hdr_count, (uint16_t)(tail ? 9 : 8)), "pad %d",
				  pad);
			assert_span_mem(p.g.data, p.msg.hdrs[5].value, padding, (size_t)pad);
			assert_span(p.g.data, p.msg.hdrs[6].value, "z");
			cr_assert(eq(u8, p.msg.hdrs[7].n_entries, 2), "pad %d", pad);
			cr_assert(eq(u32, se_span_end(p.msg.hdrs[7].line),
				     (uint32_t)(strstr(msg, "d>\r\n") - msg) + 4), "pad %d", pad);
			parsed_free(&p);
		}
	}
}

Test(sip_robustness, bad_bytes_are_found_across_blocks)
{
	char base[512];
	size_t subj, len, i, b;
	const char bad[] = { '\r', '\001', '\0', '\x1f', '\n' };

	len = (size_t)snprintf(base, sizeof(base), RL MAND "Subject: %0140d\r\n\r\n", 0);
	subj = (size_t)(strstr(base, "Subject: ") - base) + 9;
	for (b = 0; b < sizeof(bad); b++) {
		for (i = 0; i < 140; i++) {
			char s[512];
			struct parsed p;

			memcpy(s, base, len);
			s[subj + i] = bad[b];
			parse_bytes(&p, s, len);
			/*
			 * An LF ends the line early: the rest is a line without a colon,
			 * or, after the last byte, the empty line (a body of CRLF follows).
			 */
			if (bad[b] != '\n')
				cr_assert(eq(int, p.st, SE_SIP_ERR_BAD_CHAR), "byte %d at %zu",
					  bad[b], i);
			else
				cr_assert(eq(int, p.st, i == 139 ? SE_SIP_OK :
					     SE_SIP_ERR_HEADER_NAME), "LF at %zu", i);
			parsed_free(&p);
			/* an HT anywhere in a value is fine */
			s[subj + i] = '\t';
			cr_assert(eq(int, parse_bytes(&p, s, len), SE_SIP_OK), "HT at %zu", i);
			parsed_free(&p);
		}
	}
}

/* A bare CR or control byte is found wherever it falls relative to a 16-byte block. */
Test(sip_robustness, bad_bytes_are_found_at_every_offset)
{
	static const char base[] = RL MAND "Subject: 0123456789abcdefghijklmnopqrstuvwxyz\r\n\r\n";
	size_t subj = (size_t)(strstr(base, "0123") - base), i;
	const char bad[] = { '\r', '\001', '\0', '\x1f' };
	size_t b;

	for (b = 0; b < sizeof(bad); b++) {
		for (i = 0; i < 36; i++) {
			char s[sizeof(base)];
			struct parsed p;

			memcpy(s, base, sizeof(base));
			s[subj + i] = bad[b];
			char t[sizeof(base) + 64];

			/* at the end of the datagram (scalar tail), then with 64 more bytes */
			cr_assert(eq(int, parse_bytes(&p, s, sizeof(base) - 1),
				     SE_SIP_ERR_BAD_CHAR),
				  "byte %d at %zu", bad[b], i);
			parsed_free(&p);
			memcpy(t, s, sizeof(base) - 1);
			memset(t + sizeof(base) - 1, 'b', 64);
			cr_assert(eq(int, parse_bytes(&p, t, sizeof(t) - 1), SE_SIP_ERR_BAD_CHAR),
				  "byte %d at %zu, with a body", bad[b], i);
			parsed_free(&p);
		}
	}
}
