/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NAT steps inside lib/proxy: a NATed client registers through the edge,
 * the registrar's INVITE comes back through our Path into the pinhole, the
 * callee's 200 gets its Contact rewritten, and what does not change when the
 * detection is off or the message comes from a backend.
 */
#include "nat_test.h"
#include "se_dispatch.h"
#include "se_proxy.h"

static struct se_dispatch_table *table;
static struct se_proxy_params pp;

static const char *const backends[] = {
	"198.51.100.11:5060", "198.51.100.12:5060",
	"198.51.100.21:5060,set=2", "198.51.100.22:5060,set=2",
};

static void
setup(void)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256];

	cr_assert(ne(ptr, cfg, NULL));
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		cr_assert(ge(int, se_dispatch_config_add_arg(cfg, backends[i], err, sizeof(err)),
			     0));
	/* registration pinning: REGISTERs of set 2 hashed by their address of record */
	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=to-uri", err, sizeof(err)), 0));
	table = se_dispatch_table_build(cfg);
	cr_assert(ne(ptr, table, NULL));
	se_dispatch_config_free(cfg);
	memset(&pp, 0, sizeof(pp));
	pp.ext_ip = nt_ip("203.0.113.1");
	pp.int_ip = nt_ip("198.51.100.1");
	pp.sip_port = 5060;
	pp.two_sided = true;
	pp.call_set = 1;
	pp.register_set = 2;
	pp.seed = 0x5e5e;
	pp.nat_detect = SE_NAT_DETECT_DEFAULT;
	se_proxy_init(&pp);
}

static void
teardown(void)
{
	se_dispatch_table_free(table);
}

TestSuite(nat_proxy, .init = setup, .fini = teardown);

struct prun {
	struct nt_run r;
	struct se_proxy_out out;
	enum se_proxy_verdict v;
};

static enum se_proxy_verdict
prun(struct prun *p, const char *text, const char *src, uint16_t sport, bool from_internal)
{
	struct se_proxy_in in = { .src_ip = nt_ip(src), .src_port = sport,
				  .from_internal = from_internal };

	memset(p, 0, sizeof(*p));
	nt_parse(&p->r, text);
	p->v = se_proxy_process(&pp, table, p->r.in, &p->r.msg, &in, &p->r.plan, &p->out);
	if (p->v == SE_PROXY_FORWARD)
		nt_apply(&p->r);
	return p->v;
}

/* The value of the first header of @p type in the output. */
static void
assert_out_header(struct prun *p, enum se_sip_hdr_type type, const char *want)
{
	uint16_t h = p->r.omsg.first[type];

	cr_assert(ne(u16, h, SE_SIP_NONE), "no %s", se_sip_hdr_name(type));
	nt_assert_span(p->r.odata, p->r.omsg.hdrs[h].value, want);
}

#define REGISTER(user, cid, contact) "REGISTER sip:example.com SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKr1;rport\n" \
	"Max-Forwards: 70\nTo: <sip:" user "@example.com>\n" \
	"From: <sip:" user "@example.com>;tag=r1\nCall-ID: " cid "\nCSeq: 1 REGISTER\n" \
	"Supported: path\nContact: " contact "\nExpires: 3600\nContent-Length: 0\n\n"

Test(nat_proxy, register_behind_nat_reaches_its_registrar_with_the_pinhole_in_contact)
{
	static struct prun a, b;

	cr_assert(eq(int, prun(&a, REGISTER("alice", "reg-1@h",
					   "<sip:alice@192.168.1.20:5062>;expires=3600"),
			       SRC, SRC_PORT, false), SE_PROXY_FORWARD));
	cr_assert(eq(u8, a.out.reason, SE_STAT_PROXY_REQ_TO_BACKEND));
	assert_true(strncmp(se_dispatch_backend(table, a.out.backend)->name, "198.51.100.2",
			    12) == 0);
	assert_out_header(&a, SE_SIP_HDR_CONTACT,
			  "<sip:alice@" SRC ":40001;se-alias=192.168.1.20~5062>;expires=3600");
	assert_out_header(&a, SE_SIP_HDR_PATH, "<sip:198.51.100.1:5060;lr>");
	assert_out_header(&a, SE_SIP_HDR_CONTENT_LENGTH, "0");
	cr_assert(eq(u8, a.out.nat.detected, SE_NAT_VIA_RECEIVED | SE_NAT_VIA_RPORT_DIFFERS));
	cr_assert(eq(u8, a.out.nat.rewritten, 1));
	assert_false(a.out.nat.rport_forced); /* the client asked for rport itself */

	/* another device of the same user, from another pinhole: the same registrar */
	prun(&b, REGISTER("alice", "reg-2@h", "<sip:alice@10.0.0.7:5060>"), "198.51.100.200",
	     33333, false);
	cr_assert(eq(i32, b.out.backend, a.out.backend));
	assert_out_header(&b, SE_SIP_HDR_CONTACT,
			  "<sip:alice@198.51.100.200:33333;se-alias=10.0.0.7~5060>");
	nt_free(&a.r);
	nt_free(&b.r);
}

Test(nat_proxy, every_user_registers_on_one_registrar_and_both_are_used)
{
	static struct prun p;
	int first[2] = { -1, -1 };
	uint8_t used[SE_DISPATCH_MAX_BACKENDS] = { 0 };
	unsigned int n_used = 0;

	for (unsigned int u = 0; u < 64; u++) {
		for (unsigned int dev = 0; dev < 2; dev++) {
			char text[1024];

			snprintf(text, sizeof(text), "REGISTER sip:example.com SIP/2.0\n"
				 "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKu%u-%u;rport\n"
				 "To: <sip:user%u@example.com>\n"
				 "From: <sip:user%u@example.com>;tag=1\n"
				 "Call-ID: u%u-d%u@h\nCSeq: 1 REGISTER\n"
				 "Contact: <sip:user%u@192.168.1.20:5062>\nContent-Length: 0\n\n",
				 u, dev, u, u, u, dev, u);
			cr_assert(eq(int, prun(&p, text, SRC, (uint16_t)(40000 + dev), false),
				     SE_PROXY_FORWARD));
			first[dev] = p.out.backend;
			nt_free(&p.r);
		}
		cr_assert(eq(i32, first[0], first[1]), "user%u: two registrars", u);
		if (!used[first[0]]++)
			n_used++;
	}
	cr_assert(eq(u32, n_used, 2), "the set has two registrars");
}

#define REG_INVITE(ruri) "INVITE " ruri " SIP/2.0\n" \
	"Via: SIP/2.0/UDP 198.51.100.21:5060;branch=z9hG4bKkam1\n" \
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsE0011223344556677\n" \
	"Via: SIP/2.0/UDP 203.0.113.20:5080;branch=z9hG4bKbob1;rport=5080\n" \
	"Route: <sip:198.51.100.1:5060;lr>\nMax-Forwards: 68\n" \
	"To: <sip:alice@example.com>\nFrom: <sip:bob@example.com>;tag=b1\n" \
	"Call-ID: call-1@h\nCSeq: 1 INVITE\nContact: <sip:bob@203.0.113.20:5080>\n" \
	"Content-Length: 0\n\n"

Test(nat_proxy, invite_from_the_registrar_goes_into_the_pinhole_with_the_clients_uri)
{
	static struct prun p;

	cr_assert(eq(int, prun(&p, REG_INVITE("sip:alice@" SRC ":40001;se-alias=192.168.1.20~5062"),
			       "198.51.100.21", 5060, true),
		     SE_PROXY_FORWARD));
	cr_assert(eq(u8, p.out.reason, SE_STAT_PROXY_REQ_TO_CLIENT));
	cr_assert(eq(u32, p.out.dst_ip, nt_ip(SRC)));
	cr_assert(eq(u16, p.out.dst_port, SRC_PORT));
	assert_false(p.out.to_internal);
	nt_assert_span(p.r.odata, p.r.omsg.ruri, "sip:alice@192.168.1.20:5062");
	cr_assert(eq(u16, p.r.omsg.first[SE_SIP_HDR_ROUTE], SE_SIP_NONE), "our Path route stays");
	assert_true(p.out.nat.to_pinhole);
	/* a request from a backend is not a client's: its Contact is left as it is */
	assert_out_header(&p, SE_SIP_HDR_CONTACT, "<sip:bob@203.0.113.20:5080>");
	cr_assert(eq(u8, p.out.nat.detected, 0));
	nt_free(&p.r);
}

Test(nat_proxy, without_the_rewrite_the_invite_would_go_to_the_private_address)
{
	static struct prun p;

	/* what a registrar sends when the edge did not rewrite (--nat-detect none) */
	cr_assert(eq(int, prun(&p, REG_INVITE("sip:alice@192.168.1.20:5062"), "198.51.100.21",
			       5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, p.out.dst_ip, nt_ip("192.168.1.20")));
	cr_assert(eq(u16, p.out.dst_port, 5062));
	assert_false(p.out.nat.any);
	nt_free(&p.r);
}

Test(nat_proxy, a_foreign_route_keeps_the_alias_for_the_next_hop)
{
	static struct prun p;

	cr_assert(eq(int, prun(&p, "BYE sip:alice@" SRC ":40001;se-alias=192.168.1.20~5062 "
			       "SIP/2.0\n"
			       "Via: SIP/2.0/UDP 198.51.100.21:5060;branch=z9hG4bKkb\n"
			       "Route: <sip:198.51.100.1:5060;lr>, <sip:192.0.2.99:5060;lr>\n"
			       "To: <sip:alice@example.com>;tag=a\n"
			       "From: <sip:bob@example.com>;tag=b\n"
			       "Call-ID: c@h\nCSeq: 2 BYE\nContent-Length: 0\n\n",
			       "198.51.100.21", 5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, p.out.dst_ip, nt_ip("192.0.2.99")));
	nt_assert_span(p.r.odata, p.r.omsg.ruri,
		       "sip:alice@" SRC ":40001;se-alias=192.168.1.20~5062");
	assert_false(p.out.nat.to_pinhole);
	nt_free(&p.r);
}

#define CALLEE_200(top) "SIP/2.0 200 OK\n" \
	"Via: SIP/2.0/UDP " top ":5060;branch=z9hG4bKsE8899aabbccddeeff\n" \
	"Via: SIP/2.0/UDP 198.51.100.21:5060;branch=z9hG4bKkam1\n" \
	"Record-Route: <sip:203.0.113.1:5060;lr;sb=c633641513c4>\n" \
	"To: <sip:alice@example.com>;tag=a1\nFrom: <sip:bob@example.com>;tag=b1\n" \
	"Call-ID: call-1@h\nCSeq: 1 INVITE\n" \
	"Contact: \"Alice\" <sip:alice@192.168.1.20:5062;ob>;+sip.instance=\"<urn:x>\"\n" \
	"Content-Type: application/sdp\nContent-Length: 5\n\nv=0\n"

Test(nat_proxy, callee_200_behind_nat_gets_the_pinhole_in_its_contact)
{
	static struct prun p;

	cr_assert(eq(int, prun(&p, CALLEE_200("203.0.113.1"), SRC, SRC_PORT, false),
		     SE_PROXY_FORWARD));
	cr_assert(eq(u32, p.out.dst_ip, nt_ip("198.51.100.21")));
	assert_true(p.out.to_internal);
	assert_out_header(&p, SE_SIP_HDR_CONTACT, "\"Alice\" <sip:alice@" SRC
			  ":40001;se-alias=192.168.1.20~5062;ob>;+sip.instance=\"<urn:x>\"");
	/* the body is not touched, so Content-Length stays */
	assert_out_header(&p, SE_SIP_HDR_CONTENT_LENGTH, "5");
	cr_assert(eq(int, memcmp(p.r.odata + p.r.omsg.body_off, "v=0\r\n", 5), 0));
	cr_assert(eq(u8, p.out.nat.detected, SE_NAT_CONTACT_PRIVATE));
	nt_free(&p.r);
}

Test(nat_proxy, a_backend_response_keeps_its_contact)
{
	static struct prun p;

	/* the same 200 as if a backend sent it back out (our Via of the internal side) */
	cr_assert(eq(int, prun(&p, CALLEE_200("198.51.100.1"), "198.51.100.11", 5060, true),
		     SE_PROXY_FORWARD));
	assert_out_header(&p, SE_SIP_HDR_CONTACT,
			  "\"Alice\" <sip:alice@192.168.1.20:5062;ob>;+sip.instance=\"<urn:x>\"");
	assert_false(p.out.nat.any);
	nt_free(&p.r);
}

Test(nat_proxy, one_sided_edge_tells_clients_from_backends_by_address)
{
	static struct prun p;

	pp.two_sided = false;
	pp.int_ip = pp.ext_ip;
	se_proxy_init(&pp);
	prun(&p, CALLEE_200("203.0.113.1"), SRC, SRC_PORT, false);
	cr_assert(eq(u8, p.out.nat.rewritten, 1), "a client's 200");
	nt_free(&p.r);
	prun(&p, CALLEE_200("203.0.113.1"), "198.51.100.11", 5060, false);
	assert_false(p.out.nat.any); /* a backend's 200 */
	nt_free(&p.r);
}

Test(nat_proxy, detection_off_leaves_the_register_alone)
{
	static struct prun p;

	pp.nat_detect = 0;
	prun(&p, REGISTER("alice", "reg-3@h", "<sip:alice@192.168.1.20:5062>"), SRC, SRC_PORT,
	     false);
	assert_out_header(&p, SE_SIP_HDR_CONTACT, "<sip:alice@192.168.1.20:5062>");
	assert_false(p.out.nat.any);
	nt_free(&p.r);
}

Test(nat_proxy, forced_rport_brings_the_response_back_through_the_pinhole)
{
	static struct prun req, resp;
	char text[2048], be[INET_ADDRSTRLEN], *q = text;
	struct se_sip_hdr *h;

	cr_assert(eq(int, prun(&req, "INVITE sip:bob@example.com SIP/2.0\n"
			       "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKold\n"
			       "Max-Forwards: 70\nTo: <sip:bob@example.com>\n"
			       "From: <sip:alice@example.com>;tag=1\nCall-ID: f1@h\n"
			       "CSeq: 1 INVITE\n"
			       "Contact: <sip:alice@192.168.1.20:5062>\nContent-Length: 0\n\n",
			       SRC, SRC_PORT, false), SE_PROXY_FORWARD));
	assert_true(req.out.nat.rport_forced);
	/* the backend answers with the Vias it got */
	q += sprintf(q, "SIP/2.0 180 Ringing\n");
	for (uint16_t i = 0; i < req.r.omsg.hdr_count; i++) {
		h = &req.r.omsg.hdrs[i];
		if (h->type == SE_SIP_HDR_VIA || h->type == SE_SIP_HDR_FROM ||
		    h->type == SE_SIP_HDR_CALL_ID || h->type == SE_SIP_HDR_CSEQ)
			q += sprintf(q, "%.*s\n", (int)h->line.len - 2, req.r.odata + h->line.off);
	}
	sprintf(q, "To: <sip:bob@example.com>;tag=2\nContent-Length: 0\n\n");
	inet_ntop(AF_INET, se_dispatch_backend(table, req.out.backend)->addr.bytes, be, sizeof(be));
	cr_assert(eq(int, prun(&resp, text, be, 5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, resp.out.dst_ip, nt_ip(SRC)));
	cr_assert(eq(u16, resp.out.dst_port, SRC_PORT), "not the Via's 5062: the pinhole");
	nt_free(&req.r);
	nt_free(&resp.r);
}

#define REG_200 "SIP/2.0 200 OK\n" \
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsE0011223344556677\n" \
	"Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKr1;rport=40001;received=" SRC "\n" \
	"To: <sip:alice@example.com>;tag=reg\nFrom: <sip:alice@example.com>;tag=r1\n" \
	"Call-ID: reg-1@h\nCSeq: 1 REGISTER\n" \
	"Contact: <sip:alice@" SRC ":40001;se-alias=192.168.1.20~5062>;expires=3600\n" \
	"Path: <sip:198.51.100.1:5060;lr>\nContent-Length: 0\n\n"

Test(nat_proxy, registrar_200_gives_the_client_its_own_contact_back)
{
	static struct prun p;

	cr_assert(eq(int, prun(&p, REG_200, "198.51.100.21", 5060, true), SE_PROXY_FORWARD));
	cr_assert(eq(u32, p.out.dst_ip, nt_ip(SRC)));
	cr_assert(eq(u16, p.out.dst_port, SRC_PORT));
	assert_out_header(&p, SE_SIP_HDR_CONTACT, "<sip:alice@192.168.1.20:5062>;expires=3600");
	cr_assert(eq(u8, p.out.nat.restored, 1));
	nt_free(&p.r);
}
