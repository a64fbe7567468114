/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/proxy: each rule of RFC 3261 16.11 / RFC 3581 / RFC 3327 on a real
 * message, checked by parsing what the edge would send.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "se_dispatch.h"
#include "se_edit.h"
#include "se_proxy.h"
#include "se_sip.h"

#define assert_true(x) cr_assert(eq(int, !!(x), 1), "%s", #x)
#define assert_false(x) cr_assert(eq(int, !!(x), 0), "not %s", #x)

#define HEADROOM 128
#define BUFSZ 4096

static struct se_dispatch_table *table;
static struct se_proxy_params pp;

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1));
	return a.s_addr;
}

static const char *const backends[] = {
	"198.51.100.11:5060", "198.51.100.12:5060", "198.51.100.13:5060",
	"198.51.100.21:5060,set=2", "198.51.100.22:5060,set=2",
	"198.51.100.14:5060,state=draining", "198.51.100.15:5060,state=down",
};

static struct se_dispatch_table *
build(const char *const *args, unsigned int n, const char *set_arg)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	char err[256];

	cr_assert(ne(ptr, cfg, NULL));
	for (unsigned int i = 0; i < n; i++)
		cr_assert(ge(int, se_dispatch_config_add_arg(cfg, args[i], err, sizeof(err)), 0),
			  "%s", err);
	if (set_arg != NULL)
		cr_assert(eq(int, se_dispatch_config_set_arg(cfg, set_arg, err, sizeof(err)), 0));
	t = se_dispatch_table_build(cfg);
	cr_assert(ne(ptr, t, NULL));
	se_dispatch_config_free(cfg);
	return t;
}

static void
setup(void)
{
	table = build(backends, sizeof(backends) / sizeof(backends[0]), "2,key=to-uri");
	memset(&pp, 0, sizeof(pp));
	pp.ext_ip = ip("203.0.113.1");
	pp.int_ip = ip("198.51.100.1");
	pp.sip_port = 5060;
	pp.two_sided = true;
	pp.call_set = 1;
	pp.register_set = 2;
	pp.seed = 0x5e5e;
	se_proxy_init(&pp);
}

/* Make the edge one-sided: one address for clients and backends. */
static void
one_sided(void)
{
	pp.two_sided = false;
	pp.int_ip = pp.ext_ip;
	se_proxy_init(&pp);
}

static void
teardown(void)
{
	se_dispatch_table_free(table);
}

/* One message through the proxy, and what would leave the edge. */
struct run {
	uint8_t buf[HEADROOM + BUFSZ];
	struct se_sip_hdr hdrs[64], ohdrs[64];
	struct se_sip_entry ents[64], oents[64];
	struct se_sip_msg msg, out_msg;
	struct se_edit_plan plan;
	struct se_proxy_out out;
	enum se_proxy_verdict v;
	const uint8_t *in_data;
	const uint8_t *data;     /* the message as sent (forwarded or reply) */
	uint16_t len;
	uint8_t reply[SE_PROXY_REPLY_MAX];
};

/* Lines of a test message are joined with CRLF; "\n" in the text is a line end. */
static size_t
crlf(const char *text, uint8_t *dst, size_t cap)
{
	size_t n = 0;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\n') {
			cr_assert(lt(sz, n + 2, cap));
			dst[n++] = '\r';
			dst[n++] = '\n';
		} else {
			cr_assert(lt(sz, n + 1, cap));
			dst[n++] = (uint8_t)*p;
		}
	}
	return n;
}

static void
reparse(struct run *r)
{
	se_sip_msg_init(&r->out_msg, r->ohdrs, 64, r->oents, 64);
	cr_assert(eq(int, se_sip_parse(r->data, r->len, &r->out_msg), SE_SIP_OK),
		  "output does not parse: %.*s", (int)r->len, r->data);
}

static enum se_proxy_verdict
run_with(struct run *r, const struct se_dispatch_table *t, const char *text, const char *src,
	 uint16_t sport, bool from_internal)
{
	struct se_proxy_in in = { .src_ip = ip(src), .src_port = sport,
				  .from_internal = from_internal };
	uint8_t *data = r->buf + HEADROOM;
	size_t len = crlf(text, data, BUFSZ - 512);
	int32_t shift;
	uint16_t nlen;

	r->in_data = data;
	se_sip_msg_init(&r->msg, r->hdrs, 64, r->ents, 64);
	cr_assert(eq(int, se_sip_parse(data, len, &r->msg), SE_SIP_OK));
	r->v = se_proxy_process(&pp, t, data, &r->msg, &in, &r->plan, &r->out);
	if (r->v == SE_PROXY_FORWARD) {
		cr_assert(eq(int, se_edit_apply(&r->plan, data, r->msg.msg_len, HEADROOM,
						(uint16_t)(BUFSZ - len), &shift, &nlen), 0));
		r->data = data + shift;
		r->len = nlen;
		reparse(r);
	} else if (r->v == SE_PROXY_REPLY) {
		int n = se_proxy_reply(&pp, data, &r->msg, &in, r->out.reply_code,
				       r->out.reply_code == 200 ? "OK" : "Too Many Hops", NULL,
				       r->reply, sizeof(r->reply), &r->out);

		cr_assert(gt(int, n, 0));
		r->data = r->reply;
		r->len = (uint16_t)n;
		reparse(r);
	}
	return r->v;
}

static enum se_proxy_verdict
run(struct run *r, const char *text, const char *src, uint16_t sport, bool from_internal)
{
	return run_with(r, table, text, src, sport, from_internal);
}

static bool
span_is(const uint8_t *buf, struct se_span s, const char *str)
{
	return s.len == strlen(str) && memcmp(buf + s.off, str, s.len) == 0;
}

static bool
contains(const struct run *r, const char *needle)
{
	return memmem(r->data, r->len, needle, strlen(needle)) != NULL;
}

/* Entry k of a list header of the output, decoded as an address. */
static struct se_sip_addr
out_addr(struct run *r, enum se_sip_hdr_type type, unsigned int k)
{
	struct se_sip_addr a;
	unsigned int seen = 0;

	for (unsigned int i = 0; i < r->out_msg.entry_count; i++) {
		if (r->out_msg.hdrs[r->out_msg.entries[i].hdr].type != type)
			continue;
		if (seen++ == k) {
			cr_assert(eq(int, se_sip_addr_parse(r->data, r->out_msg.entries[i].span, &a), 0));
			return a;
		}
	}
	cr_fatal("no entry %u of type %d", k, type);
	return a;
}

static struct se_sip_via
out_via(struct run *r, unsigned int k)
{
	struct se_sip_via v;
	unsigned int seen = 0;

	for (unsigned int i = 0; i < r->out_msg.entry_count; i++) {
		if (r->out_msg.hdrs[r->out_msg.entries[i].hdr].type != SE_SIP_HDR_VIA)
			continue;
		if (seen++ == k) {
			cr_assert(eq(int, se_sip_via_parse(r->data, r->out_msg.entries[i].span, &v), 0));
			return v;
		}
	}
	cr_fatal("no Via %u", k);
	return v;
}

static unsigned int
out_count(struct run *r, enum se_sip_hdr_type type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->out_msg.entry_count; i++)
		n += r->out_msg.hdrs[r->out_msg.entries[i].hdr].type == type;
	return n;
}

static int
hashed_backend(const struct se_dispatch_table *t, const char *call_id)
{
	return se_dispatch_lookup(t, (unsigned int)se_dispatch_set_index(t, 1),
				  se_dispatch_hash(call_id, strlen(call_id)));
}

#define INVITE(callid, branch) \
	"INVITE sip:bob@203.0.113.1 SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.0.2.50:5062;branch=" branch ";rport\n" \
	"Max-Forwards: 70\n" \
	"To: Bob <sip:bob@example.com>\n" \
	"From: Alice <sip:alice@example.com>;tag=1928301774\n" \
	"Call-ID: " callid "\n" \
	"CSeq: 314159 INVITE\n" \
	"Contact: <sip:alice@192.0.2.50:5062>\n" \
	"Content-Type: application/sdp\n" \
	"Content-Length: 5\n" \
	"\n" \
	"v=0\n"

TestSuite(proxy, .init = setup, .fini = teardown);

Test(proxy, invite_from_client_goes_to_the_hashed_backend)
{
	static struct run r;
	const struct se_dispatch_backend *b;
	int want = hashed_backend(table, "a84b4c76e66710@pc33.example.com");

	cr_assert(eq(int, run(&r, INVITE("a84b4c76e66710@pc33.example.com", "z9hG4bK776asdhds"),
			      "203.0.113.10", 5062, false), SE_PROXY_FORWARD));
	cr_assert(eq(i32, r.out.backend, want));
	b = se_dispatch_backend(table, want);
	cr_assert(eq(u32, r.out.dst_ip, *(const uint32_t *)b->addr.bytes));
	cr_assert(eq(u16, r.out.dst_port, 5060));
	assert_true(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.int_ip));
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_REQ_TO_BACKEND));
	cr_assert(eq(u8, r.out.event, SE_STAT_PROXY_NEW_DIALOGS));
	assert_true(r.out.new_dialog);
}

Test(proxy, invite_gets_our_via_on_top_with_a_stateless_branch)
{
	static struct run r;
	struct se_sip_via v;

	run(&r, INVITE("c1@h", "z9hG4bK776asdhds"), "203.0.113.10", 5062, false);
	v = out_via(&r, 0);
	assert_true(span_is(r.data, v.host, "198.51.100.1"));
	cr_assert(eq(u16, v.port, 5060));
	assert_true(span_is(r.data, v.transport, "UDP"));
	assert_true(se_proxy_branch_is(r.data, v.branch, SE_PROXY_BRANCH));
	cr_assert(eq(u16, v.branch.len, SE_PROXY_BRANCH_PREFIX_LEN + 16));
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_VIA), 2));
}

Test(proxy, client_via_gets_received_and_rport)
{
	static struct run r;
	struct se_sip_via v;

	run(&r, INVITE("c1@h", "z9hG4bK776asdhds"), "203.0.113.10", 5062, false);
	v = out_via(&r, 1);
	assert_true(span_is(r.data, v.host, "192.0.2.50"));
	assert_true(span_is(r.data, v.received, "203.0.113.10"));
	assert_true(span_is(r.data, v.rport, "5062"));
	assert_true(span_is(r.data, v.branch, "z9hG4bK776asdhds"));
}

Test(proxy, received_is_added_only_when_the_source_differs)
{
	static struct run r;
	struct se_sip_via v;

	run(&r, "OPTIONS sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 203.0.113.10:5062;branch=z9hG4bKx1\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: o1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
	    "203.0.113.10", 5062, false);
	v = out_via(&r, 1);
	assert_false(v.flags & SE_SIP_VIA_RECEIVED);
	assert_false(v.flags & SE_SIP_VIA_RPORT);
	/* a different source address: received= */
	run(&r, "OPTIONS sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 203.0.113.10:5062;branch=z9hG4bKx1\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: o1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
	    "203.0.113.99", 5062, false);
	v = out_via(&r, 1);
	assert_true(span_is(r.data, v.received, "203.0.113.99"));
}

Test(proxy, a_stale_received_value_is_replaced)
{
	static struct run r;
	struct se_sip_via v;

	run(&r, "MESSAGE sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;received=192.0.2.77;branch=z9hG4bKx1\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: m1\nCSeq: 1 MESSAGE\nContent-Length: 0\n\n",
	    "203.0.113.10", 5060, false);
	v = out_via(&r, 1);
	assert_true(span_is(r.data, v.received, "203.0.113.10"));
	assert_false(contains(&r, "192.0.2.77"));
}

Test(proxy, invite_is_record_routed_twice_with_the_backend_named)
{
	static struct run r;
	struct se_sip_addr top, second;
	struct se_dispatch_addr sb;
	struct se_span v;
	const struct se_dispatch_backend *b;

	run(&r, INVITE("c2@h", "z9hG4bKabc"), "203.0.113.10", 5062, false);
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_RECORD_ROUTE), 2));
	top = out_addr(&r, SE_SIP_HDR_RECORD_ROUTE, 0);
	second = out_addr(&r, SE_SIP_HDR_RECORD_ROUTE, 1);
	/* the entry facing the backend is on top: the backend's route set starts with it */
	assert_true(span_is(r.data, top.uri.host, "198.51.100.1"));
	assert_true(span_is(r.data, second.uri.host, "203.0.113.1"));
	assert_true(top.uri.flags & SE_SIP_URI_LR);
	assert_true(second.uri.flags & SE_SIP_URI_LR);
	assert_true(se_sip_param_find(r.data, top.uri.params, "sb", 2, &v));
	assert_true(se_proxy_sb_decode(r.data + v.off, v.len, &sb));
	b = se_dispatch_backend(table, r.out.backend);
	cr_assert(eq(int, memcmp(&sb, &b->addr, sizeof(sb)), 0));
}

Test(proxy, one_sided_edge_record_routes_once)
{
	static struct run r;

	one_sided();
	run(&r, INVITE("c2@h", "z9hG4bKabc"), "203.0.113.10", 5062, false);
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_RECORD_ROUTE), 1));
	assert_true(span_is(r.data, out_addr(&r, SE_SIP_HDR_RECORD_ROUTE, 0).uri.host,
			    "203.0.113.1"));
	assert_false(r.out.to_internal);
}

Test(proxy, max_forwards_is_decremented)
{
	static struct run r;

	run(&r, INVITE("c3@h", "z9hG4bKabc"), "203.0.113.10", 5062, false);
	cr_assert(eq(i16, r.out_msg.max_forwards, 69));
}

Test(proxy, max_forwards_ten_becomes_nine)
{
	static struct run r;

	run(&r, "BYE sip:bob@192.0.2.60 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKb1\nMax-Forwards: 10\n"
		"To: <sip:bob@example.com>;tag=9\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: b1\nCSeq: 2 BYE\nContent-Length: 0\n\n",
	    "203.0.113.10", 5060, false);
	cr_assert(eq(i16, r.out_msg.max_forwards, 9));
	assert_true(contains(&r, "Max-Forwards: 9\r\n"));
}

Test(proxy, missing_max_forwards_is_added_as_70)
{
	static struct run r;

	run(&r, "BYE sip:bob@192.0.2.60 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKb1\n"
		"To: <sip:bob@example.com>;tag=9\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: b1\nCSeq: 2 BYE\nContent-Length: 0\n\n",
	    "203.0.113.10", 5060, false);
	cr_assert(eq(int, r.v, SE_PROXY_FORWARD));
	cr_assert(eq(i16, r.out_msg.max_forwards, 70));
}

Test(proxy, body_and_content_length_are_kept)
{
	static struct run r;

	run(&r, INVITE("c4@h", "z9hG4bKabc"), "203.0.113.10", 5062, false);
	cr_assert(eq(i32, r.out_msg.content_length, 5));
	cr_assert(eq(u16, r.out_msg.body_len, 5));
	cr_assert(eq(int, memcmp(r.data + r.out_msg.body_off, "v=0\r\n", 5), 0));
	assert_true(span_is(r.data, r.out_msg.call_id, "c4@h"));
}

Test(proxy, bytes_beyond_content_length_are_not_forwarded)
{
	static struct run r;

	run(&r, "MESSAGE sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 203.0.113.10;branch=z9hG4bKm2\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: m2\nCSeq: 1 MESSAGE\nContent-Length: 2\n\nhiGARBAGE",
	    "203.0.113.10", 5060, false);
	cr_assert(eq(u16, r.out_msg.body_len, 2));
	assert_false(contains(&r, "GARBAGE"));
}

Test(proxy, retransmission_is_forwarded_byte_for_byte_alike)
{
	static struct run a, b;

	run(&a, INVITE("c5@h", "z9hG4bKretx"), "203.0.113.10", 5062, false);
	run(&b, INVITE("c5@h", "z9hG4bKretx"), "203.0.113.10", 5062, false);
	cr_assert(eq(u16, a.len, b.len));
	cr_assert(eq(int, memcmp(a.data, b.data, a.len), 0));
}

Test(proxy, cancel_gets_the_branch_of_its_invite_and_the_same_backend)
{
	static struct run inv, can;
	struct se_sip_via vi, vc;

	run(&inv, INVITE("c6@h", "z9hG4bKsame"), "203.0.113.10", 5062, false);
	run(&can, "CANCEL sip:bob@203.0.113.1 SIP/2.0\n"
		  "Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bKsame;rport\n"
		  "Max-Forwards: 70\nTo: Bob <sip:bob@example.com>\n"
		  "From: Alice <sip:alice@example.com>;tag=1928301774\n"
		  "Call-ID: c6@h\nCSeq: 314159 CANCEL\nContent-Length: 0\n\n",
	    "203.0.113.10", 5062, false);
	vi = out_via(&inv, 0);
	vc = out_via(&can, 0);
	cr_assert(eq(i32, can.out.backend, inv.out.backend));
	assert_true(vi.branch.len == vc.branch.len &&
		    memcmp(inv.data + vi.branch.off, can.data + vc.branch.off, vi.branch.len) == 0);
	/* a CANCEL creates no dialog: no Record-Route */
	cr_assert(eq(u32, out_count(&can, SE_SIP_HDR_RECORD_ROUTE), 0));
}

Test(proxy, different_transactions_get_different_branches)
{
	static struct run a, b;
	struct se_sip_via va, vb;

	run(&a, INVITE("c7@h", "z9hG4bKone"), "203.0.113.10", 5062, false);
	run(&b, INVITE("c7@h", "z9hG4bKtwo"), "203.0.113.10", 5062, false);
	va = out_via(&a, 0);
	vb = out_via(&b, 0);
	assert_false(memcmp(a.data + va.branch.off, b.data + vb.branch.off, va.branch.len) == 0);
}

Test(proxy, rfc2543_client_without_magic_cookie_still_gets_a_stable_branch)
{
	static struct run a, b, c;
	struct se_sip_via va, vb, vc;
	const char *m1 = "INVITE sip:bob@example.com SIP/2.0\n"
			 "Via: SIP/2.0/UDP 192.0.2.50\nTo: <sip:bob@example.com>\n"
			 "From: <sip:a@example.com>;tag=1\nCall-ID: old@h\nCSeq: 8 INVITE\n"
			 "Content-Length: 0\n\n";
	const char *m2 = "INVITE sip:bob@example.com SIP/2.0\n"
			 "Via: SIP/2.0/UDP 192.0.2.50\nTo: <sip:bob@example.com>\n"
			 "From: <sip:a@example.com>;tag=1\nCall-ID: old@h\nCSeq: 9 INVITE\n"
			 "Content-Length: 0\n\n";

	run(&a, m1, "192.0.2.50", 5060, false);
	run(&b, m1, "192.0.2.50", 5060, false);
	run(&c, m2, "192.0.2.50", 5060, false);
	va = out_via(&a, 0);
	vb = out_via(&b, 0);
	vc = out_via(&c, 0);
	assert_true(memcmp(a.data + va.branch.off, b.data + vb.branch.off, va.branch.len) == 0);
	assert_false(memcmp(a.data + va.branch.off, c.data + vc.branch.off, va.branch.len) == 0);
}

/* An in-dialog request whose Route names backend @sbhex (12 hex digits). */
#define BYE_ROUTED(sb) \
	"BYE sip:bob@198.51.100.99 SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bKbye1\n" \
	"Max-Forwards: 70\n" \
	"Route: <sip:203.0.113.1:5060;lr;sb=" sb ">\n" \
	"Route: <sip:198.51.100.1:5060;lr;sb=" sb ">, <sip:198.51.100.99;lr>\n" \
	"To: Bob <sip:bob@example.com>;tag=8321234356\n" \
	"From: Alice <sip:alice@example.com>;tag=1928301774\n" \
	"Call-ID: dialog1@h\n" \
	"CSeq: 314160 BYE\n" \
	"Content-Length: 0\n" \
	"\n"

/* sb of 198.51.100.12:5060 and of the others */
#define SB_12 "c633640c13c4"
#define SB_14 "c633640e13c4"
#define SB_15 "c633640f13c4"

Test(proxy, in_dialog_request_follows_our_route_not_the_hash)
{
	static struct run r;
	const struct se_dispatch_backend *b;

	cr_assert(eq(int, run(&r, BYE_ROUTED(SB_12), "203.0.113.10", 5062, false),
		     SE_PROXY_FORWARD));
	b = se_dispatch_backend(table, r.out.backend);
	cr_assert(eq(str, (char *)b->name, "198.51.100.12:5060"));
	cr_assert(eq(u8, r.out.event, SE_STAT_PROXY_PINNED));
	/* both our Route entries are gone, the backend's own one stays */
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_ROUTE), 1));
	assert_true(span_is(r.data, out_addr(&r, SE_SIP_HDR_ROUTE, 0).uri.host, "198.51.100.99"));
	/* an in-dialog request is not record-routed again */
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_RECORD_ROUTE), 0));
}

Test(proxy, pinned_draining_backend_still_gets_its_dialogs)
{
	static struct run r;

	run(&r, BYE_ROUTED(SB_14), "203.0.113.10", 5062, false);
	cr_assert(eq(str, (char *)se_dispatch_backend(table, r.out.backend)->name,
		     "198.51.100.14:5060"));
	cr_assert(eq(u8, r.out.event, SE_STAT_PROXY_PINNED));
}

Test(proxy, pinned_backend_that_is_down_falls_back_to_the_hash)
{
	static struct run r;

	run(&r, BYE_ROUTED(SB_15), "203.0.113.10", 5062, false);
	cr_assert(eq(i32, r.out.backend, hashed_backend(table, "dialog1@h")));
	cr_assert(eq(u8, r.out.event, SE_STAT_PROXY_PIN_FALLBACK));
}

Test(proxy, our_route_without_sb_is_removed_and_the_call_hashed)
{
	static struct run r;

	run(&r, "INVITE sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKpre\n"
		"Route: <sip:203.0.113.1;lr>\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: preloaded@h\nCSeq: 1 INVITE\nContent-Length: 0\n\n",
	    "192.0.2.50", 5060, false);
	cr_assert(eq(int, r.v, SE_PROXY_FORWARD));
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_ROUTE), 0));
	assert_false(contains(&r, "Route: <sip:203.0.113.1;lr>"));
	cr_assert(eq(i32, r.out.backend, hashed_backend(table, "preloaded@h")));
}

Test(proxy, a_route_that_is_not_ours_is_left_alone)
{
	static struct run r;

	run(&r, "INVITE sip:bob@example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKpre\n"
		"Route: <sip:192.0.2.200;lr>\n"
		"To: <sip:bob@example.com>\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: preloaded@h\nCSeq: 1 INVITE\nContent-Length: 0\n\n",
	    "192.0.2.50", 5060, false);
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_ROUTE), 1));
}

Test(proxy, register_gets_path_and_goes_to_the_registrar_set_by_aor)
{
	static struct run a, b;
	struct se_sip_addr path;
	const char *reg1 = "REGISTER sip:example.com SIP/2.0\n"
			   "Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bKr1;rport\n"
			   "Max-Forwards: 70\nTo: <sip:alice@example.com>\n"
			   "From: <sip:alice@example.com>;tag=r1\nCall-ID: reg-one@h\n"
			   "CSeq: 1 REGISTER\nContact: <sip:alice@192.0.2.50:5062>\n"
			   "Expires: 3600\nContent-Length: 0\n\n";
	const char *reg2 = "REGISTER sip:example.com SIP/2.0\n"
			   "Via: SIP/2.0/UDP 192.0.2.51:5062;branch=z9hG4bKr2;rport\n"
			   "Max-Forwards: 70\nTo: \"Alice\" <sip:alice@EXAMPLE.com;transport=udp>\n"
			   "From: <sip:alice@example.com>;tag=r2\nCall-ID: another-device@h\n"
			   "CSeq: 1 REGISTER\nContact: <sip:alice@192.0.2.51:5062>\n"
			   "Expires: 3600\nContent-Length: 0\n\n";
	const char *name;

	cr_assert(eq(int, run(&a, reg1, "203.0.113.10", 5062, false), SE_PROXY_FORWARD));
	run(&b, reg2, "203.0.113.11", 5062, false);
	name = se_dispatch_backend(table, a.out.backend)->name;
	assert_true(strncmp(name, "198.51.100.2", 12) == 0);
	/* two devices of one address of record reach one registrar */
	cr_assert(eq(i32, a.out.backend, b.out.backend));
	cr_assert(eq(u32, out_count(&a, SE_SIP_HDR_PATH), 1));
	path = out_addr(&a, SE_SIP_HDR_PATH, 0);
	assert_true(span_is(a.data, path.uri.host, "198.51.100.1"));
	cr_assert(eq(u16, path.uri.port, 5060));
	assert_true(path.uri.flags & SE_SIP_URI_LR);
	cr_assert(eq(u32, out_count(&a, SE_SIP_HDR_RECORD_ROUTE), 0));
}

Test(proxy, no_backend_up_drops_the_request)
{
	static struct run r;
	static const char *const none[] = { "198.51.100.11:5060,state=down" };
	struct se_dispatch_table *t = build(none, 1, NULL);

	cr_assert(eq(int, run_with(&r, t, INVITE("c8@h", "z9hG4bKabc"), "203.0.113.10", 5062, false),
		     SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_NO_BACKEND));
	se_dispatch_table_free(t);
	cr_assert(eq(int, run_with(&r, NULL, INVITE("c8@h", "z9hG4bKabc"), "203.0.113.10", 5062,
				   false), SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_NO_BACKEND));
}

Test(proxy, max_forwards_zero_is_answered_483)
{
	static struct run r;

	cr_assert(eq(int, run(&r, "INVITE sip:bob@example.com SIP/2.0\n"
				  "Via: SIP/2.0/UDP 192.0.2.50:5070;branch=z9hG4bKmf0;rport\n"
				  "Max-Forwards: 0\nTo: <sip:bob@example.com>\n"
				  "From: <sip:a@example.com>;tag=77\nCall-ID: zero@h\n"
				  "CSeq: 5 INVITE\nContent-Length: 0\n\n",
			      "203.0.113.10", 40000, false), SE_PROXY_REPLY));
	cr_assert(eq(u16, r.out.reply_code, 483));
	cr_assert(eq(u8, r.out.reason, SE_STAT_REPLY_483));
	assert_false(r.out_msg.is_request);
	cr_assert(eq(u16, r.out_msg.status, 483));
	assert_true(span_is(r.data, r.out_msg.call_id, "zero@h"));
	cr_assert(eq(u32, r.out_msg.cseq, 5));
	cr_assert(eq(u8, r.out_msg.cseq_method_id, SE_SIP_METHOD_INVITE));
	assert_true(span_is(r.data, r.out_msg.via.branch, "z9hG4bKmf0"));
	assert_true(span_is(r.data, r.out_msg.via.received, "203.0.113.10"));
	assert_true(span_is(r.data, r.out_msg.via.rport, "40000"));
	assert_true(r.out_msg.to.flags & SE_SIP_ADDR_TAG);
	assert_true(span_is(r.data, r.out_msg.from.tag, "77"));
	cr_assert(eq(i32, r.out_msg.content_length, 0));
	/* rport: back to the source port */
	cr_assert(eq(u32, r.out.dst_ip, ip("203.0.113.10")));
	cr_assert(eq(u16, r.out.dst_port, 40000));
	assert_false(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.ext_ip));
}

Test(proxy, reply_without_rport_goes_to_the_via_port_and_keeps_its_tag)
{
	static struct run a, b;
	const char *m = "OPTIONS sip:bob@example.com SIP/2.0\n"
			"Via: SIP/2.0/UDP 192.0.2.50:5070;branch=z9hG4bKmf1\n"
			"Max-Forwards: 0\nTo: <sip:bob@example.com>\n"
			"From: <sip:a@example.com>;tag=77\nCall-ID: zero2@h\n"
			"CSeq: 6 OPTIONS\nContent-Length: 0\n\n";

	run(&a, m, "203.0.113.10", 40000, false);
	run(&b, m, "203.0.113.10", 40000, false);
	cr_assert(eq(u16, a.out.dst_port, 5070));
	/* the tag is derived from the request: a retransmission gets the same one */
	assert_true(a.out_msg.to.tag.len > 0 && a.out_msg.to.tag.len == b.out_msg.to.tag.len &&
		    memcmp(a.data + a.out_msg.to.tag.off, b.data + b.out_msg.to.tag.off,
			   a.out_msg.to.tag.len) == 0);
}

Test(proxy, ack_with_max_forwards_zero_is_dropped_not_answered)
{
	static struct run r;

	cr_assert(eq(int, run(&r, "ACK sip:bob@example.com SIP/2.0\n"
				  "Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKack0\n"
				  "Max-Forwards: 0\nTo: <sip:bob@example.com>;tag=2\n"
				  "From: <sip:a@example.com>;tag=1\nCall-ID: ack0@h\n"
				  "CSeq: 5 ACK\nContent-Length: 0\n\n",
			      "203.0.113.10", 5060, false), SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_ACK_MF0));
}

Test(proxy, options_for_the_edge_itself_is_answered_200)
{
	static struct run r;

	cr_assert(eq(int, run(&r, "OPTIONS sip:198.51.100.1 SIP/2.0\n"
				  "Via: SIP/2.0/UDP 198.51.100.11;branch=z9hG4bKping\n"
				  "Max-Forwards: 70\nTo: <sip:198.51.100.1>\n"
				  "From: <sip:mon@198.51.100.11>;tag=m\nCall-ID: ping@h\n"
				  "CSeq: 1 OPTIONS\nContent-Length: 0\n\n",
			      "198.51.100.11", 5060, true), SE_PROXY_REPLY));
	cr_assert(eq(u16, r.out_msg.status, 200));
	assert_true(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.int_ip));
	cr_assert(eq(u16, r.out.dst_port, 5060));
}

Test(proxy, options_for_a_user_at_the_edge_is_forwarded)
{
	static struct run r;

	cr_assert(eq(int, run(&r, "OPTIONS sip:alice@203.0.113.1 SIP/2.0\n"
				  "Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKopt\n"
				  "To: <sip:alice@203.0.113.1>\nFrom: <sip:b@example.com>;tag=m\n"
				  "Call-ID: optu@h\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
			      "192.0.2.50", 5060, false), SE_PROXY_FORWARD));
}

#define RESPONSE_VIA(top, next) \
	"SIP/2.0 180 Ringing\n" \
	"Via: " top "\n" \
	"Via: " next "\n" \
	"To: Bob <sip:bob@example.com>;tag=8321234356\n" \
	"From: Alice <sip:alice@example.com>;tag=1928301774\n" \
	"Call-ID: resp@h\n" \
	"CSeq: 314159 INVITE\n" \
	"Contact: <sip:bob@198.51.100.11>\n" \
	"Content-Length: 0\n" \
	"\n"

Test(proxy, response_loses_our_via_and_follows_received_and_rport)
{
	static struct run r;

	cr_assert(eq(int, run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsE0011223344556677",
					       "SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bK776;rport=40001;received=203.0.113.10"),
			      "198.51.100.11", 5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, r.out.dst_ip, ip("203.0.113.10")));
	cr_assert(eq(u16, r.out.dst_port, 40001));
	assert_false(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.ext_ip));
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_VIA), 1));
	assert_true(span_is(r.data, r.out_msg.via.branch, "z9hG4bK776"));
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_RESPONSES));
	assert_false(contains(&r, "z9hG4bKsE"));
}

Test(proxy, response_without_received_goes_to_sent_by)
{
	static struct run r;

	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bK776"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u32, r.out.dst_ip, ip("192.0.2.50")));
	cr_assert(eq(u16, r.out.dst_port, 5062));
}

Test(proxy, response_to_a_request_from_a_backend_goes_back_inside)
{
	static struct run r;

	run(&r, RESPONSE_VIA("SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP 198.51.100.11;branch=z9hG4bK9;received=198.51.100.11"),
	    "203.0.113.10", 5062, false);
	assert_true(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.int_ip));
	cr_assert(eq(u16, r.out.dst_port, 5060));
}

Test(proxy, response_with_two_vias_in_one_field_loses_only_ours)
{
	static struct run r;

	run(&r, "SIP/2.0 200 OK\n"
		"Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677, "
		"SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKc\n"
		"To: <sip:bob@example.com>;tag=2\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: two@h\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_VIA), 1));
	assert_true(span_is(r.data, r.out_msg.via.branch, "z9hG4bKc"));
	assert_true(contains(&r, "Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKc\r\n"));
}

Test(proxy, response_with_a_foreign_top_via_is_dropped)
{
	static struct run r;

	cr_assert(eq(int, run(&r, RESPONSE_VIA("SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKsE0011223344556677",
					       "SIP/2.0/UDP 192.0.2.50;branch=z9hG4bK776"),
			      "198.51.100.11", 5060, true), SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_VIA_NOT_OURS));
	/* our address but a branch we never made */
	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKforged",
			     "SIP/2.0/UDP 192.0.2.50;branch=z9hG4bK776"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_VIA_NOT_OURS));
	/* our address, another port */
	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1:5080;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP 192.0.2.50;branch=z9hG4bK776"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_VIA_NOT_OURS));
}

Test(proxy, probe_reply_goes_to_the_control_core)
{
	static struct run r;

	cr_assert(eq(int, run(&r, "SIP/2.0 200 OK\n"
				  "Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsP0001\n"
				  "To: <sip:198.51.100.11>;tag=2\nFrom: <sip:198.51.100.1>;tag=1\n"
				  "Call-ID: probe@h\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
			      "198.51.100.11", 5060, true), SE_PROXY_CONTROL));
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_PROBE_REPLIES));
}

Test(proxy, response_with_nothing_below_our_via_is_dropped)
{
	static struct run r;

	run(&r, "SIP/2.0 200 OK\n"
		"Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677\n"
		"To: <sip:bob@example.com>;tag=2\nFrom: <sip:a@example.com>;tag=1\n"
		"Call-ID: alone@h\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n",
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_NO_NEXT_VIA));
}

Test(proxy, response_towards_a_host_name_is_dropped)
{
	static struct run r;

	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_HOSTNAME));
}

Test(proxy, response_is_never_sent_to_broadcast_or_multicast)
{
	static struct run r;

	/* RFC 4475 3.3.10 (bcast.dat): a Via naming 255.255.255.255 */
	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_DST_INVALID));
	run(&r, RESPONSE_VIA("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKsE0011223344556677",
			     "SIP/2.0/UDP 192.0.2.50;received=224.0.0.1;branch=z9hG4bK1"),
	    "198.51.100.11", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_DST_INVALID));
}

Test(proxy, backend_request_towards_a_client_follows_the_request_uri)
{
	static struct run r;
	struct se_sip_via v;

	cr_assert(eq(int, run(&r, "BYE sip:alice@192.0.2.50:5062 SIP/2.0\n"
				  "Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKbb\n"
				  "Max-Forwards: 70\n"
				  "Route: <sip:198.51.100.1:5060;lr;sb=c633640c13c4>, "
				  "<sip:203.0.113.1:5060;lr;sb=c633640c13c4>\n"
				  "To: Alice <sip:alice@example.com>;tag=1928301774\n"
				  "From: Bob <sip:bob@example.com>;tag=8321234356\n"
				  "Call-ID: bback@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
			      "198.51.100.12", 5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, r.out.dst_ip, ip("192.0.2.50")));
	cr_assert(eq(u16, r.out.dst_port, 5062));
	assert_false(r.out.to_internal);
	cr_assert(eq(u32, r.out.src_ip, pp.ext_ip));
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_REQ_TO_CLIENT));
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_ROUTE), 0));
	v = out_via(&r, 0);
	assert_true(span_is(r.data, v.host, "203.0.113.1"));
	cr_assert(eq(str, (char *)se_dispatch_backend(table, r.out.backend)->name,
		     "198.51.100.12:5060"));
}

Test(proxy, backend_request_follows_the_next_route_when_there_is_one)
{
	static struct run r;

	run(&r, "BYE sip:alice@192.0.2.50:5062 SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKbb\n"
		"Route: <sip:198.51.100.1;lr>, <sip:192.0.2.7:5080;lr>\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: bnext@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
	    "198.51.100.12", 5060, true);
	cr_assert(eq(u32, r.out.dst_ip, ip("192.0.2.7")));
	cr_assert(eq(u16, r.out.dst_port, 5080));
	cr_assert(eq(u32, out_count(&r, SE_SIP_HDR_ROUTE), 1));
}

Test(proxy, backend_request_to_a_host_name_is_dropped)
{
	static struct run r;

	run(&r, "BYE sip:alice@pc33.example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKbb\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: bhost@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
	    "198.51.100.12", 5060, true);
	cr_assert(eq(int, r.v, SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_HOSTNAME));
}

Test(proxy, backend_request_addressed_to_the_edge_itself_is_a_loop)
{
	static struct run r;

	run(&r, "INFO sip:203.0.113.1 SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKbb\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: bloop@h\nCSeq: 1 INFO\nContent-Length: 0\n\n",
	    "198.51.100.12", 5060, true);
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_LOOP));
}

Test(proxy, backend_invite_to_a_registered_user_is_record_routed_outside_first)
{
	static struct run r;
	struct se_sip_addr top, second;
	struct se_dispatch_addr sb;
	struct se_span v;

	run(&r, "INVITE sip:alice@192.0.2.50:5062 SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.21;branch=z9hG4bKreg\n"
		"Route: <sip:198.51.100.1:5060;lr>\n"
		"To: <sip:alice@example.com>\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: toreg@h\nCSeq: 1 INVITE\nContent-Length: 0\n\n",
	    "198.51.100.21", 5060, true);
	cr_assert(eq(int, r.v, SE_PROXY_FORWARD));
	top = out_addr(&r, SE_SIP_HDR_RECORD_ROUTE, 0);
	second = out_addr(&r, SE_SIP_HDR_RECORD_ROUTE, 1);
	assert_true(span_is(r.data, top.uri.host, "203.0.113.1"));
	assert_true(span_is(r.data, second.uri.host, "198.51.100.1"));
	/* the dialog stays with the registrar that started it */
	assert_true(se_sip_param_find(r.data, top.uri.params, "sb", 2, &v));
	assert_true(se_proxy_sb_decode(r.data + v.off, v.len, &sb));
	cr_assert(eq(u16, sb.port, 5060));
	cr_assert(eq(int, memcmp(sb.bytes, "\xc6\x33\x64\x15", 4), 0));
}

Test(proxy, one_sided_edge_knows_backends_by_their_source)
{
	static struct run r;

	one_sided();
	run(&r, "BYE sip:alice@192.0.2.50:5062 SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKbb\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: one@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
	    "198.51.100.12", 5060, false);
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_REQ_TO_CLIENT));
	cr_assert(eq(u32, r.out.dst_ip, ip("192.0.2.50")));
	/* same request from a non-backend source: it is a client's, to a backend */
	run(&r, "BYE sip:alice@192.0.2.50:5062 SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.77;branch=z9hG4bKbb\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: one@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
	    "198.51.100.77", 5060, false);
	cr_assert(eq(u8, r.out.reason, SE_STAT_PROXY_REQ_TO_BACKEND));
}

Test(proxy, malformed_top_route_is_dropped)
{
	static struct run r;

	run(&r, "BYE sip:alice@192.0.2.50 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50;branch=z9hG4bKbb\n"
		"Route: <sip:198.51.100.1:99999;lr>\n"
		"To: <sip:alice@example.com>;tag=1\nFrom: <sip:bob@example.com>;tag=2\n"
		"Call-ID: badroute@h\nCSeq: 1 BYE\nContent-Length: 0\n\n",
	    "192.0.2.50", 5060, false);
	cr_assert(eq(int, r.v, SE_PROXY_DROP));
	cr_assert(eq(u8, r.out.reason, SE_STAT_DROP_PROXY_TARGET_BAD));
}

Test(proxy, sb_parameter_round_trips_and_rejects_garbage)
{
	struct se_dispatch_addr a;

	assert_true(se_proxy_sb_decode((const uint8_t *)SB_12, 12, &a));
	cr_assert(eq(u8, a.family, AF_INET));
	cr_assert(eq(u16, a.port, 5060));
	assert_false(se_proxy_sb_decode((const uint8_t *)"c633640c13c", 11, &a));
	assert_false(se_proxy_sb_decode((const uint8_t *)"c633640c13zz", 12, &a));
	assert_false(se_proxy_sb_decode((const uint8_t *)"c633640c0000", 12, &a));
	assert_true(se_proxy_sb_decode((const uint8_t *)"20010db8000000000000000000000001"
						       "13c4", 36, &a));
	cr_assert(eq(u8, a.family, AF_INET6));
}
