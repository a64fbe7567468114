/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/guard: the three questions of a worker. Before parsing (ACL verdict,
 * bans, buckets, 503 to floods), after a parse (scanners, trusted sets, 513,
 * 420), after a failed parse (400, 505, 513 when a reply can be made). Every
 * reply is built with lib/proxy's se_proxy_reply() and parsed back.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "se_guard.h"
#include "se_proxy.h"
#include "se_sip.h"
#include "../net/guard.h"

#define HZ 1000000000ull
#define SEC HZ
#define T0 (1000 * SEC)

static struct se_guard_params gp;
static struct se_guard *g;
static struct se_proxy_params pp;
static struct se_sip_hdr hdrs[96];
static struct se_sip_entry entries[128];
static struct se_sip_msg msg;
static struct se_guard_out out;
static uint8_t fix[SE_GUARD_FIX_MAX];
static char text[8192];

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1));
	return a.s_addr;
}

static struct se_guard_key client;

static void
setup(void)
{
	se_guard_params_defaults(&gp);
	gp.hz = HZ;
	gp.seed = 7;
	gp.sources = 64;
	memset(&pp, 0, sizeof(pp));
	pp.ext_ip = ip("203.0.113.1");
	pp.int_ip = ip("198.51.100.1");
	pp.sip_port = 5060;
	pp.two_sided = true;
	pp.call_set = 1;
	pp.register_set = 1;
	pp.seed = 9;
	se_proxy_init(&pp);
	client = se_guard_key_v4(ip("192.0.2.10"));
	se_sip_msg_init(&msg, hdrs, 96, entries, 128);
}

/* Build the guard once gp is as the test wants it. */
static void
start(void)
{
	size_t sz = se_guard_memsize(&gp);

	cr_assert(gt(sz, sz, 0));
	free(g);
	g = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	cr_assert(ne(ptr, g, NULL));
	cr_assert(eq(ptr, se_guard_init(g, &gp, T0), g));
}

static void
teardown(void)
{
	free(g);
	g = NULL;
}

TestSuite(guard_pre, .init = setup, .fini = teardown);
TestSuite(guard_parsed, .init = setup, .fini = teardown);
TestSuite(guard_unparsed, .init = setup, .fini = teardown);

/* A request: METHOD, To tag or not, extra header lines, body length. */
static size_t
request(const char *method, const char *to_tag, const char *extra)
{
	int n = snprintf(text, sizeof(text),
			 "%s sip:bob@example.com SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKabc1;rport\r\n"
			 "Max-Forwards: 70\r\n"
			 "From: Alice <sip:alice@example.com>;tag=a1\r\n"
			 "To: Bob <sip:bob@example.com>%s%s\r\n"
			 "Call-ID: call-1@example.com\r\n"
			 "CSeq: 1 %s\r\n"
			 "%s"
			 "Content-Length: 0\r\n\r\n",
			 method, to_tag ? ";tag=" : "", to_tag ? to_tag : "", method, extra);

	cr_assert(gt(int, n, 0));
	return (size_t)n;
}

static size_t
response(const char *extra)
{
	int n = snprintf(text, sizeof(text),
			 "SIP/2.0 200 OK\r\n"
			 "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKsE0000000000000001\r\n"
			 "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKabc1;rport=5062\r\n"
			 "From: Alice <sip:alice@example.com>;tag=a1\r\n"
			 "To: Bob <sip:bob@example.com>;tag=b1\r\n"
			 "Call-ID: call-1@example.com\r\n"
			 "CSeq: 1 INVITE\r\n"
			 "%s"
			 "Content-Length: 0\r\n\r\n", extra);

	cr_assert(gt(int, n, 0));
	return (size_t)n;
}

static enum se_guard_verdict
parsed(size_t len, enum se_guard_acl_action acl, uint64_t now)
{
	cr_assert(eq(int, se_sip_parse((const uint8_t *)text, len, &msg), SE_SIP_OK), "%s", text);
	return se_guard_parsed(g, (const uint8_t *)text, len, &msg, client, acl, now, &out);
}

static enum se_guard_verdict
unparsed(const uint8_t *buf, size_t len, uint64_t now)
{
	enum se_sip_status st = se_sip_parse(buf, len, &msg);

	cr_assert(ne(int, st, SE_SIP_OK));
	return se_guard_unparsed(g, buf, len, st, &msg, fix, sizeof(fix), now, &out);
}

/* The reply the worker would send: built by lib/proxy from out, parsed back. */
static void
check_reply_cseq(uint16_t code, const char *call_id, bool bad_cseq)
{
	struct se_proxy_in in = { .src_ip = ip("192.0.2.10"), .src_port = 40000 };
	struct se_proxy_out po;
	static uint8_t r[SE_PROXY_REPLY_MAX];
	static struct se_sip_hdr rh[32];
	static struct se_sip_entry re[32];
	struct se_sip_msg rm;
	int n;

	n = se_proxy_reply(&pp, out.buf, &msg, &in, out.code, out.phrase,
			   out.extra[0] ? out.extra : NULL, r, sizeof(r), &po);
	cr_assert(gt(int, n, 0));
	se_sip_msg_init(&rm, rh, 32, re, 32);
	/* a reply repeats the request's CSeq, even one out of range */
	cr_assert(eq(int, se_sip_parse(r, (size_t)n, &rm), bad_cseq ? SE_SIP_ERR_CSEQ : SE_SIP_OK),
		  "%.*s", n, r);
	cr_assert(not(rm.is_request));
	cr_assert(eq(u16, rm.status, code));
	cr_assert(eq(int, rm.call_id.len, (int)strlen(call_id)));
	cr_assert(eq(int, memcmp(r + rm.call_id.off, call_id, rm.call_id.len), 0));
	if (!bad_cseq)
		cr_assert(eq(int, !!(rm.to.flags & SE_SIP_ADDR_TAG), 1), "no To tag: %.*s", n, r);
	cr_assert(eq(u32, po.dst_ip, in.src_ip));
	if (msg.via.flags & SE_SIP_VIA_RPORT)
		cr_assert(eq(u16, po.dst_port, 40000), "rport: back to the source port");
}

static void
check_reply(uint16_t code, const char *call_id)
{
	check_reply_cseq(code, call_id, false);
}

/* --- before parsing ------------------------------------------------------ */

Test(guard_pre, denied_sources_are_dropped_before_any_bucket)
{
	gp.rate = 1;
	start();
	for (int i = 0; i < 10; i++) {
		cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_DENY, T0, &out),
			     SE_GUARD_DROP));
		cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_ACL));
	}
	cr_assert(eq(u32, se_guard_src_used(se_guard_sources(g)), 0), "a denied source has a slot");
}

Test(guard_pre, listed_peers_have_no_bucket)
{
	gp.rate = 1;
	gp.burst = 1;
	start();
	for (int i = 0; i < 100; i++) {
		cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_ALLOW, T0, &out),
			     SE_GUARD_PASS));
		cr_assert(eq(u8, out.event, SE_STAT_GUARD_ACL_ALLOWED));
	}
}

Test(guard_pre, without_a_limit_nothing_is_tracked)
{
	start();
	for (int i = 0; i < 1000; i++) {
		cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out),
			     SE_GUARD_PASS));
		cr_assert(eq(u8, out.event, SE_STAT_COUNT));
	}
	cr_assert(eq(u32, se_guard_src_used(se_guard_sources(g)), 0));
}

Test(guard_pre, a_flood_is_banned_then_dropped)
{
	gp.rate = 10;
	gp.burst = 5;
	gp.ban_s = 60;
	start();
	for (int i = 0; i < 5; i++)
		cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out),
			     SE_GUARD_PASS));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_RATE));
	cr_assert(eq(u8, out.event, SE_STAT_GUARD_BANS));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + SEC, &out),
		     SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_BANNED));
	cr_assert(eq(u8, out.event, SE_STAT_COUNT));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 60 * SEC, &out),
		     SE_GUARD_PASS), "the ban expired");
}

Test(guard_pre, flood_reply_503_says_when_to_retry_within_the_reply_bucket)
{
	gp.rate = 10;
	gp.burst = 1;
	gp.ban_s = 60;
	gp.flood_reply = SE_GUARD_FLOOD_503;
	gp.reply_rate = 1;
	gp.reply_burst = 2;
	start();
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out), SE_GUARD_PASS));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 503));
	cr_assert(eq(u8, out.reason, SE_STAT_REPLY_503));
	cr_assert(eq(u8, out.fallback, SE_STAT_DROP_GUARD_RATE));
	cr_assert(eq(u8, out.event, SE_STAT_GUARD_BANS));
	cr_assert(eq(str, out.extra, "Retry-After: 60\r\n"));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 30 * SEC / 2, &out),
		     SE_GUARD_REPLY));
	cr_assert(eq(u8, out.fallback, SE_STAT_DROP_GUARD_BANNED));
	cr_assert(eq(str, out.extra, "Retry-After: 45\r\n"));
	/* the reply bucket (burst 2, refilled at 1/s) is empty until the second after */
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 15 * SEC, &out),
		     SE_GUARD_REPLY), "15 s refilled it");
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 15 * SEC, &out),
		     SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_BANNED));
}

/* --- after a parse ------------------------------------------------------- */

Test(guard_parsed, an_ordinary_call_passes)
{
	start();
	cr_assert(eq(int, parsed(request("INVITE", NULL, "User-Agent: Linphone/5.2\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS));
	cr_assert(eq(u8, out.reason, SE_STAT_COUNT));
	cr_assert(eq(int, parsed(response("Server: friendly-scanner\r\n"), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_PASS));
}

Test(guard_parsed, scanners_are_dropped_and_with_scanner_ban_banned)
{
	gp.scanner_ban_s = 600;
	start();
	cr_assert(eq(int, parsed(request("OPTIONS", NULL, "User-Agent: friendly-scanner\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_SCANNER));
	cr_assert(eq(u8, out.event, SE_STAT_GUARD_BANS));
	/* the source is banned: its next datagram dies before parsing */
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 599 * SEC, &out),
		     SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_BANNED));
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0 + 600 * SEC, &out),
		     SE_GUARD_PASS));
}

Test(guard_parsed, a_second_user_agent_field_is_checked_too)
{
	start();
	cr_assert(eq(int, parsed(request("REGISTER", NULL,
					 "User-Agent: Zoiper\r\nUser-Agent: sipvicious\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.event, SE_STAT_COUNT), "no --scanner-ban: no ban");
	cr_assert(eq(int, se_guard_pre(g, client, SE_GUARD_ACL_NONE, T0, &out), SE_GUARD_PASS));
}

Test(guard_parsed, in_dialog_requests_are_not_scanned)
{
	start();
	cr_assert(eq(int, parsed(request("BYE", "b1", "User-Agent: friendly-scanner\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS));
	cr_assert(eq(int, parsed(request("BYE", NULL, "User-Agent: friendly-scanner\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_DROP));
}

Test(guard_parsed, scanner_user_agents_of_listed_peers_pass)
{
	start();
	cr_assert(eq(int, parsed(request("OPTIONS", NULL, "User-Agent: sipcli\r\n"),
				 SE_GUARD_ACL_ALLOW, T0), SE_GUARD_PASS));
}

Test(guard_parsed, trusted_sets_take_new_requests_from_listed_peers_only)
{
	gp.trusted_calls = true;
	start();
	cr_assert(eq(int, parsed(request("INVITE", NULL, ""), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_UNTRUSTED));
	cr_assert(eq(int, parsed(request("MESSAGE", NULL, ""), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_DROP), "any out-of-dialog request");
	cr_assert(eq(int, parsed(request("INVITE", NULL, ""), SE_GUARD_ACL_ALLOW, T0),
		     SE_GUARD_PASS));
	cr_assert(eq(int, parsed(request("BYE", "b1", ""), SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS),
		  "in-dialog requests follow their dialog");
	cr_assert(eq(int, parsed(request("REGISTER", NULL, ""), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_PASS), "the register set is not trusted");
	gp.trusted_registers = true;
	cr_assert(eq(int, parsed(request("REGISTER", NULL, ""), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_DROP));
}

Test(guard_parsed, too_large_requests_are_answered_513_and_the_rest_dropped)
{
	size_t n;

	gp.max_size = 350;
	start();
	n = request("INVITE", NULL, "Subject: a subject long enough to go beyond the limit of "
		    "four hundred bytes set for this test, by a comfortable margin, really\r\n");
	cr_assert(gt(sz, n, 350));
	cr_assert(eq(int, parsed(n, SE_GUARD_ACL_NONE, T0), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 513));
	cr_assert(eq(u8, out.reason, SE_STAT_REPLY_513));
	check_reply(513, "call-1@example.com");
	n = response("Subject: a subject long enough to go beyond the limit of four hundred "
		     "bytes set for this test, by a comfortable margin, really, truly\r\n");
	cr_assert(eq(int, parsed(n, SE_GUARD_ACL_NONE, T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_TOO_LARGE));
	n = request("ACK", "b1", "Subject: a subject long enough to go beyond the limit of "
		    "four hundred bytes set for this test, by a comfortable margin, really\r\n");
	cr_assert(eq(int, parsed(n, SE_GUARD_ACL_NONE, T0), SE_GUARD_DROP), "an ACK was answered");
	cr_assert(eq(int, parsed(request("INVITE", NULL, ""), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_PASS));
}

Test(guard_parsed, unsupported_proxy_require_options_are_answered_420)
{
	cr_assert(eq(int, se_guard_params_add_option(&gp, "sec-agree"), 0));
	start();
	cr_assert(eq(int, parsed(request("INVITE", NULL,
					 "Proxy-Require: foo, Sec-Agree\r\nProxy-Require: bar\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 420));
	cr_assert(eq(str, out.extra, "Unsupported: foo, bar\r\n"));
	check_reply(420, "call-1@example.com");
	cr_assert(eq(int, parsed(request("INVITE", NULL, "Proxy-Require: sec-agree\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS));
	cr_assert(eq(str, out.extra, ""));
	/* RFC 3261 8.2.2.3: ignored in ACK and CANCEL */
	cr_assert(eq(int, parsed(request("CANCEL", NULL, "Proxy-Require: foo\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS));
	cr_assert(eq(int, parsed(request("ACK", "b1", "Proxy-Require: foo\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS));
	gp.sanity = false;
	cr_assert(eq(int, parsed(request("INVITE", NULL, "Proxy-Require: foo\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_PASS), "sanity replies off");
}

Test(guard_parsed, a_long_unsupported_list_still_fits_its_header)
{
	char many[2048] = "Proxy-Require: ";

	start();
	for (int i = 0; i < 60; i++)
		strcat(many, "an-option-tag-of-some-length,");
	strcat(many, "last\r\n");
	cr_assert(eq(int, parsed(request("INVITE", NULL, many), SE_GUARD_ACL_NONE, T0),
		     SE_GUARD_REPLY));
	cr_assert(lt(sz, strlen(out.extra), SE_GUARD_EXTRA_MAX));
	cr_assert(eq(int, strncmp(out.extra, "Unsupported: an-option", 22), 0));
	cr_assert(eq(str, out.extra + strlen(out.extra) - 2, "\r\n"));
	check_reply(420, "call-1@example.com");
}

Test(guard_parsed, replies_are_limited_per_worker)
{
	gp.reply_rate = 1;
	gp.reply_burst = 1;
	start();
	cr_assert(eq(int, parsed(request("INVITE", NULL, "Proxy-Require: x\r\n"),
				 SE_GUARD_ACL_NONE, T0), SE_GUARD_REPLY));
	cr_assert(eq(int, parsed(request("INVITE", NULL, "Proxy-Require: x\r\n"),
				 SE_GUARD_ACL_NONE, T0 + SEC / 2), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_GUARD_REPLY_LIMIT));
	cr_assert(eq(int, parsed(request("INVITE", NULL, "Proxy-Require: x\r\n"),
				 SE_GUARD_ACL_NONE, T0 + SEC), SE_GUARD_REPLY));
}

/* --- after a failed parse ------------------------------------------------ */

/* Read a corpus file. */
static size_t
load(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/rfc4475/%s", SE_CORPUS_DIR, name);
	f = fopen(path, "rb");
	cr_assert(ne(ptr, f, NULL), "%s", path);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

struct corpus_case {
	char file[16];
	uint16_t code;      /* 0: dropped */
	char call_id[64];
};

/*
 * The invalid messages of RFC 4475 section 3.1.2: the answer the RFC asks
 * for when the reply can be made (its Via, From, To, Call-ID and CSeq are
 * usable), a drop otherwise (a broken top Via, From or To, no Call-ID, a
 * start line that is not one, a response).
 */
static struct corpus_case corpus[] = {
	{ "badinv01.dat", 0, "" },   /* 3.1.2.1 empty Via entries: the top Via is broken */
	{ "clerr.dat", 400, "clerr.0ha0isndaksdjweiafasdk3" },           /* 3.1.2.2 */
	{ "ncl.dat", 400, "ncl.0ha0isndaksdj2193423r542w35" },   /* 3.1.2.3 */
	{ "scalar02.dat", 400, "scalar02.23o0pd9vanlq3wnrlnewofjas9ui32" }, /* 3.1.2.4 */
	{ "scalarlg.dat", 0, "" },   /* 3.1.2.5 a response */
	{ "quotbal.dat", 0, "" },    /* 3.1.2.6 the To display name is unterminated */
	{ "ltgtruri.dat", 400, "ltgtruri.1@192.0.2.5" },          /* 3.1.2.7 */
	{ "lwsruri.dat", 400, "lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423" }, /* 3.1.2.8 */
	{ "lwsstart.dat", 0, "" },   /* 3.1.2.9 no start line to rebuild from */
	{ "trws.dat", 0, "" },       /* 3.1.2.10 idem */
	{ "escruri.dat", 400, "escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5" }, /* 3.1.2.11 */
	{ "badaspec.dat", 0, "" },   /* 3.1.2.14 the To is broken */
	{ "badvers.dat", 505, "badvers.31417@c.example.com" }, /* 3.1.2.16 */
	{ "mismatch01.dat", 400, "mismatch01.dj0234sxdfl3" },     /* 3.1.2.17 */
	{ "mismatch02.dat", 400, "mismatch02.dj0234sxdfl3" },     /* 3.1.2.18 */
	{ "bigcode.dat", 0, "" },    /* 3.1.2.19 a response */
	{ "insuf.dat", 0, "" },      /* no Call-ID to answer with */
	{ "multi01.dat", 400, "multi01.98asdh@192.0.2.1" },       /* two Call-IDs and more */
	{ "mcl01.dat", 400, "mcl01.fhn2323orihawfdoa3o4r52o3irsdf" }, /* two Content-Lengths */
};

ParameterizedTestParameters(guard_unparsed, rfc4475_invalid_messages)
{
	return cr_make_param_array(struct corpus_case, corpus, sizeof(corpus) / sizeof(corpus[0]));
}

ParameterizedTest(struct corpus_case *c, guard_unparsed, rfc4475_invalid_messages)
{
	static uint8_t raw[8192];
	struct guard pg;
	size_t n;
	const uint8_t *p;
	enum se_guard_verdict v;

	start();
	n = load(c->file, raw, sizeof(raw));
	p = guard_place(&pg, raw, n);
	cr_assert(ne(ptr, (void *)p, NULL));
	v = unparsed(p, n, T0);
	if (c->code == 0) {
		cr_assert(eq(int, v, SE_GUARD_DROP), "%s", c->file);
		cr_assert(eq(u8, out.reason, SE_STAT_DROP_SIP_PARSE));
	} else {
		cr_assert(eq(int, v, SE_GUARD_REPLY), "%s", c->file);
		cr_assert(eq(u16, out.code, c->code), "%s", c->file);
		check_reply_cseq(c->code, c->call_id, strcmp(c->file, "scalar02.dat") == 0);
	}
	guard_free(&pg);
}

Test(guard_unparsed, a_bad_version_is_answered_505_from_a_rebuilt_copy)
{
	const char *m = "INVITE sip:bob@example.com SIP/3.0\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKv3\r\n"
			"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
			"Call-ID: v3@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

	start();
	cr_assert(eq(int, unparsed((const uint8_t *)m, strlen(m), T0), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 505));
	cr_assert(eq(str, (char *)out.phrase, "Version Not Supported"));
	cr_assert(eq(ptr, (void *)out.buf, fix));
	check_reply(505, "v3@x");
}

Test(guard_unparsed, a_defect_after_the_fields_a_reply_needs_is_answered_400)
{
	/* the parser stops at the line without a colon: Via, From, To, Call-ID, CSeq came first */
	request("INVITE", NULL, "Contact: <sip:alice@192.0.2.10>\r\nthis line has no colon\r\n");
	start();
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 400));
	check_reply(400, "call-1@example.com");
}

Test(guard_unparsed, the_list_field_being_split_is_left_out)
{
	/* the Contact the parser was splitting is left out, the rest is enough */
	request("INVITE", NULL, "Contact: \"unterminated <sip:alice@192.0.2.10>\r\n");
	start();
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_REPLY));
	check_reply(400, "call-1@example.com");
}

Test(guard_unparsed, a_broken_top_via_is_not_answered)
{
	const char *m = "INVITE sip:bob@example.com SIP/2.0\r\n"
			"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
			"Call-ID: v@x\r\nCSeq: 1 INVITE\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10;branch=\"z9hG4bK\r\n"
			"Content-Length: 0\r\n\r\n";

	start();
	cr_assert(eq(int, unparsed((const uint8_t *)m, strlen(m), T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_SIP_PARSE));
}

Test(guard_unparsed, acks_responses_and_keepalives_are_never_answered)
{
	static const char crlf[] = "\r\n\r\n";

	start();
	request("ACK", "b1", "");
	strstr(text, "Content-Length: 0")[16] = 'x';
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_DROP));
	response("");
	strstr(text, "Content-Length: 0")[16] = 'x';
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_DROP));
	cr_assert(eq(int, unparsed((const uint8_t *)crlf, 4, T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_SIP_PARSE));
}

Test(guard_unparsed, too_large_and_broken_is_answered_513)
{
	gp.max_size = 200;
	start();
	request("INVITE", NULL, "");
	strstr(text, "Content-Length: 0")[16] = 'x';
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_REPLY));
	cr_assert(eq(u16, out.code, 513));
	check_reply(513, "call-1@example.com");
}

Test(guard_unparsed, sanity_replies_off_drops_everything)
{
	gp.sanity = false;
	start();
	request("INVITE", NULL, "");
	strstr(text, "Content-Length: 0")[16] = 'x';
	cr_assert(eq(int, unparsed((const uint8_t *)text, strlen(text), T0), SE_GUARD_DROP));
	cr_assert(eq(u8, out.reason, SE_STAT_DROP_SIP_PARSE));
}

Test(guard_unparsed, a_rebuilt_copy_that_does_not_fit_is_dropped)
{
	static uint8_t big[SE_GUARD_FIX_MAX + 100];
	size_t n = request("INVITE", NULL, "");

	start();
	memcpy(big, text, n);
	memcpy(strstr((char *)big, "SIP/2.0"), "SIP/3.0", 7);
	/* a body past Content-Length makes the datagram too large for the copy */
	memset(big + n, 'b', sizeof(big) - n);
	cr_assert(eq(int, unparsed(big, sizeof(big), T0), SE_GUARD_DROP));
}

/* Every prefix of a request that fails to parse: no read past it, and every reply builds. */
Test(guard_unparsed, every_truncation_of_a_request_is_safe)
{
	size_t n = request("INVITE", NULL, "Contact: <sip:alice@192.0.2.10>\r\nUser-Agent: x\r\n");
	unsigned int replies = 0;

	memcpy(strstr(text, "SIP/2.0"), "SIP/2.1", 7);
	gp.reply_rate = 10000000;
	gp.reply_burst = 10000000;
	start();
	for (size_t len = 0; len <= n; len++) {
		struct guard pg;
		const uint8_t *p = guard_place(&pg, text, len);

		cr_assert(ne(ptr, (void *)p, NULL));
		if (unparsed(p, len, T0) == SE_GUARD_REPLY) {
			check_reply(out.code, "call-1@example.com");
			replies++;
		}
		guard_free(&pg);
	}
	/* from the end of the CSeq line on, a truncated message has what a 505 needs */
	cr_assert(gt(u32, replies, 10));
}
