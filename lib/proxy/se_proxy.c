/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <xxhash.h>

#include "se_proxy.h"
#include "proxy_priv.h"

static inline bool
is_our_ip(const struct se_proxy_params *pp, uint32_t ip)
{
	return ip == pp->ext_ip || ip == pp->int_ip;
}

static inline uint16_t
port_or_default(uint16_t port)
{
	return port != 0 ? port : 5060;
}

/* 0.0.0.0, 255.255.255.255, 224.0.0.0/4 and above: never a next hop. */
static inline bool
ip_is_unicast(uint32_t be)
{
	uint32_t h = ntohl(be);

	return h != 0 && (h >> 28) < 0xe;
}

static void
text_set(struct se_proxy_text *t, const char *from, const char *to)
{
	t->len = (uint8_t)(to - from);
	memcpy(t->s, from, t->len);
}

void
se_proxy_init(struct se_proxy_params *pp)
{
	uint32_t ips[2] = { pp->ext_ip, pp->int_ip };
	char tmp[96], *p;

	for (unsigned int side = 0; side < 2; side++) {
		p = SE_FMT_LIT(tmp, "Via: SIP/2.0/UDP ");
		p = se_fmt_hostport(p, ips[side], pp->sip_port);
		p = SE_FMT_LIT(p, ";branch=" SE_PROXY_BRANCH);
		text_set(&pp->via[side], tmp, p);
		p = SE_FMT_LIT(tmp, "<sip:");
		p = se_fmt_hostport(p, ips[side], pp->sip_port);
		p = SE_FMT_LIT(p, ";lr");
		text_set(&pp->uri[side], tmp, p);
	}
	p = SE_FMT_LIT(tmp, "Path: <sip:");
	p = se_fmt_hostport(p, pp->int_ip, pp->sip_port);
	p = SE_FMT_LIT(p, ";lr>\r\n");
	text_set(&pp->path, tmp, p);
}

static inline char *
put_text(char *p, const struct se_proxy_text *t)
{
	memcpy(p, t->s, t->len);
	return p + t->len;
}

bool
se_proxy_uri_is_ours(const struct se_proxy_params *pp, const struct se_sip_uri *uri)
{
	return uri->scheme_id == SE_SIP_SCHEME_SIP && uri->host_type == SE_SIP_HOST_IPV4 &&
	       is_our_ip(pp, uri->ipv4) && port_or_default(uri->port) == pp->sip_port;
}

bool
se_proxy_branch_is(const uint8_t *buf, struct se_span branch, const char *prefix)
{
	return branch.len > SE_PROXY_BRANCH_PREFIX_LEN &&
	       memcmp(buf + branch.off, prefix, SE_PROXY_BRANCH_PREFIX_LEN) == 0;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool
se_proxy_sb_decode(const uint8_t *p, size_t len, struct se_dispatch_addr *addr)
{
	uint8_t raw[18];
	size_t n;

	if (len == 12)
		n = 6;
	else if (len == 36)
		n = 18;
	else
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	memset(addr, 0, sizeof(*addr));
	addr->family = n == 6 ? AF_INET : AF_INET6;
	memcpy(addr->bytes, raw, n - 2);
	addr->port = (uint16_t)(raw[n - 2] << 8 | raw[n - 1]);
	return addr->port != 0;
}

static char *
fmt_sb(char *p, const struct se_dispatch_addr *a)
{
	uint8_t port[2] = { (uint8_t)(a->port >> 8), (uint8_t)a->port };

	p = se_fmt_hex(p, a->bytes, a->family == AF_INET ? 4 : 16);
	return se_fmt_hex(p, port, 2);
}

/* Index in msg->entries of entry k of the list of type @type, or -1. */
static int
list_entry(const struct se_sip_msg *msg, enum se_sip_hdr_type type, unsigned int k)
{
	uint16_t h = msg->first[type];

	if (h == SE_SIP_NONE)
		return -1;
	for (; h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != type)
			continue;
		if (k < hd->n_entries)
			return hd->first_entry + (int)k;
		k -= hd->n_entries;
	}
	return -1;
}

/*
 * Delete the first @k entries of a list: a field all of whose entries go is
 * deleted whole, line and CRLF; otherwise from its first entry to the first
 * entry that stays.
 */
static int
remove_leading(const struct se_sip_msg *msg, enum se_sip_hdr_type type, unsigned int k,
	       struct se_edit_plan *plan)
{
	uint16_t h = msg->first[type];

	if (h == SE_SIP_NONE)
		return 0;
	for (; k > 0 && h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != type || hd->n_entries == 0)
			continue;
		if (k >= hd->n_entries) {
			if (se_edit_add(plan, hd->line.off, hd->line.len, NULL, 0) < 0)
				return -ENOSPC;
			k -= hd->n_entries;
		} else {
			uint16_t from = msg->entries[hd->first_entry].span.off;
			uint16_t to = msg->entries[hd->first_entry + k].span.off;

			if (se_edit_add(plan, from, (uint16_t)(to - from), NULL, 0) < 0)
				return -ENOSPC;
			k = 0;
		}
	}
	return 0;
}

/* What the leading Route entries say: how many are ours, the backend they name. */
struct route_info {
	unsigned int n_ours;
	int next;                    /* entry index of the first Route that is not ours, or -1 */
	bool have_sb;
	struct se_dispatch_addr sb;
};

static int
scan_routes(const struct se_proxy_params *pp, const uint8_t *buf, const struct se_sip_msg *msg,
	    struct route_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->next = -1;
	if ((msg->seen & SE_SIP_SEEN(SE_SIP_HDR_ROUTE)) == 0)
		return 0;
	/* At most two: the edge record-routes itself twice when it has two sides. */
	for (unsigned int k = 0;; k++) {
		int e = list_entry(msg, SE_SIP_HDR_ROUTE, k);
		struct se_sip_addr a;
		struct se_span v;

		if (e < 0)
			return 0;
		if (k == 2) {
			ri->next = e;
			return 0;
		}
		if (se_sip_addr_parse(buf, msg->entries[e].span, &a) != 0) {
			if (k == 0)
				return -EINVAL;
			ri->next = e;
			return 0;
		}
		if (!se_proxy_uri_is_ours(pp, &a.uri)) {
			ri->next = e;
			return 0;
		}
		ri->n_ours++;
		if (!ri->have_sb && se_sip_param_find(buf, a.uri.params, "sb", 2, &v) &&
		    se_proxy_sb_decode(buf + v.off, v.len, &ri->sb))
			ri->have_sb = true;
	}
}

/* RFC 3261 16.11: the same received request gives the same branch, so do its CANCEL and ACK. */
static uint64_t
branch_hash(const struct se_proxy_params *pp, const uint8_t *buf, const struct se_sip_msg *msg,
	    uint32_t dst_ip, uint16_t dst_port)
{
	const struct se_sip_via *v = &msg->via;
	uint8_t dst[6];
	uint64_t h = pp->seed;

	if ((v->flags & SE_SIP_VIA_BRANCH) && v->branch.len > 7 &&
	    memcmp(buf + v->branch.off, "z9hG4bK", 7) == 0) {
		h = XXH3_64bits_withSeed(buf + v->branch.off, v->branch.len, h);
	} else {
		/* A pre-3261 client: the fields section 16.11 lists, CSeq number without method. */
		uint32_t cseq = msg->cseq;

		h = XXH3_64bits_withSeed(buf + v->entry.off, v->entry.len, h);
		h = XXH3_64bits_withSeed(buf + msg->to.tag.off, msg->to.tag.len, h);
		h = XXH3_64bits_withSeed(buf + msg->from.tag.off, msg->from.tag.len, h);
		h = XXH3_64bits_withSeed(buf + msg->call_id.off, msg->call_id.len, h);
		h = XXH3_64bits_withSeed(&cseq, sizeof(cseq), h);
		h = XXH3_64bits_withSeed(buf + msg->ruri.off, msg->ruri.len, h);
	}
	memcpy(dst, &dst_ip, 4);
	dst[4] = (uint8_t)(dst_port >> 8);
	dst[5] = (uint8_t)dst_port;
	return XXH3_64bits_withSeed(dst, sizeof(dst), h);
}

/* RFC 3261 18.2.1 and RFC 3581: received= when the source differs from sent-by, or rport asks. */
static int
plan_via_received(const uint8_t *buf, const struct se_sip_msg *msg, const struct se_proxy_in *in,
		  struct se_edit_plan *plan)
{
	const struct se_sip_via *v = &msg->via;
	bool rport = (v->flags & SE_SIP_VIA_RPORT) != 0;
	char tmp[SE_FMT_HOSTPORT_MAX + 16], *p;

	if (rport && v->rport.len == 0) {
		tmp[0] = '=';
		p = se_fmt_u32(tmp + 1, in->src_port);
		if (se_edit_add(plan, v->rport.off, 0, tmp, (uint16_t)(p - tmp)) < 0)
			return -ENOSPC;
	}
	if (v->flags & SE_SIP_VIA_RECEIVED) {
		uint32_t got;

		if (se_sip_parse_ipv4(buf + v->received.off, v->received.len, &got) &&
		    got == in->src_ip)
			return 0;
		p = se_fmt_ipv4(tmp, in->src_ip);
		return se_edit_add(plan, v->received.off, v->received.len, tmp, (uint16_t)(p - tmp));
	}
	if (!rport && v->host_type == SE_SIP_HOST_IPV4 && v->ipv4 == in->src_ip)
		return 0;
	p = SE_FMT_LIT(tmp, ";received=");
	p = se_fmt_ipv4(p, in->src_ip);
	return se_edit_add(plan, (uint16_t)se_span_end(v->entry), 0, tmp, (uint16_t)(p - tmp));
}

/* RFC 3261 16.6 step 3: decrement in place (the caller answered 0 already). */
static int
plan_max_forwards(const struct se_sip_msg *msg, struct se_edit_plan *plan)
{
	const struct se_sip_hdr *hd;
	char tmp[12], *p;

	if (msg->max_forwards < 0)
		return 0;
	hd = &msg->hdrs[msg->first[SE_SIP_HDR_MAX_FORWARDS]];
	p = se_fmt_u32(tmp, (uint32_t)(msg->max_forwards - 1));
	return se_edit_add(plan, hd->value.off, hd->value.len, tmp, (uint16_t)(p - tmp));
}

static bool
creates_dialog(const struct se_sip_msg *msg)
{
	if (msg->to.flags & SE_SIP_ADDR_TAG)
		return false;
	switch (msg->method_id) {
	case SE_SIP_METHOD_INVITE:
	case SE_SIP_METHOD_SUBSCRIBE:
	case SE_SIP_METHOD_REFER:
	case SE_SIP_METHOD_NOTIFY:
		return true;
	default:
		return false;
	}
}

/* What the request-side plan adds besides removing Routes. */
struct req_plan {
	enum se_proxy_side egress; /* our side towards the next hop */
	uint32_t dst_ip;
	uint16_t dst_port;
	bool record_route;
	bool path;
	const struct se_dispatch_addr *sb; /* backend to name in Record-Route, or NULL */
};

/*
 * Where a header of @type goes: above the first one of its kind (order
 * matters within Via, Record-Route and Path), else at the end of the header
 * section. Little goes near the front, so the start of the message slides
 * into the mbuf's headroom and the body moves little or not at all.
 */
static uint16_t
insert_at(const struct se_sip_msg *msg, enum se_sip_hdr_type type)
{
	uint16_t h = msg->first[type];

	return h != SE_SIP_NONE ? msg->hdrs[h].line.off : msg->hdrs_end;
}

static char *
fmt_rr_entry(char *p, const struct se_proxy_params *pp, enum se_proxy_side side,
	     const struct se_dispatch_addr *sb)
{
	p = put_text(p, &pp->uri[side]);
	if (sb != NULL) {
		p = SE_FMT_LIT(p, ";sb=");
		p = fmt_sb(p, sb);
	}
	*p++ = '>';
	return p;
}

/* Longest header the edge writes: Record-Route with two IPv6 sb= entries. */
#define HDR_MAX 256

static int
plan_request(const struct se_proxy_params *pp, const uint8_t *buf, const struct se_sip_msg *msg,
	     const struct se_proxy_in *in, const struct route_info *ri, const struct req_plan *rp,
	     struct se_edit_plan *plan)
{
	char hdr[HDR_MAX], *p;

	if (remove_leading(msg, SE_SIP_HDR_ROUTE, ri->n_ours, plan) < 0 ||
	    plan_via_received(buf, msg, in, plan) < 0 || plan_max_forwards(msg, plan) < 0)
		return -ENOSPC;

	p = put_text(hdr, &pp->via[rp->egress]);
	p = se_fmt_hex64(p, branch_hash(pp, buf, msg, rp->dst_ip, rp->dst_port));
	p = SE_FMT_LIT(p, "\r\n");
	if (se_edit_add(plan, insert_at(msg, SE_SIP_HDR_VIA), 0, hdr, (uint16_t)(p - hdr)) < 0)
		return -ENOSPC;
	if (rp->record_route) {
		p = SE_FMT_LIT(hdr, "Record-Route: ");
		p = fmt_rr_entry(p, pp, rp->egress, rp->sb);
		if (pp->two_sided) {
			p = SE_FMT_LIT(p, ", ");
			p = fmt_rr_entry(p, pp, (enum se_proxy_side)!rp->egress, rp->sb);
		}
		p = SE_FMT_LIT(p, "\r\n");
		if (se_edit_add(plan, insert_at(msg, SE_SIP_HDR_RECORD_ROUTE), 0, hdr,
				(uint16_t)(p - hdr)) < 0)
			return -ENOSPC;
	}
	if (msg->max_forwards < 0 &&
	    se_edit_add(plan, msg->hdrs_end, 0, "Max-Forwards: 70\r\n", 18) < 0)
		return -ENOSPC;
	if (rp->path && se_edit_add(plan, insert_at(msg, SE_SIP_HDR_PATH), 0, pp->path.s,
				    pp->path.len) < 0)
		return -ENOSPC;
	return 0;
}

static enum se_proxy_verdict
verdict_drop(struct se_proxy_out *out, enum se_stat_id why)
{
	out->reason = (uint8_t)why;
	return SE_PROXY_DROP;
}

/* A backend for a new call, or the one our Route names for an in-dialog request. */
static int
choose_backend(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
	       const uint8_t *buf, const struct se_sip_msg *msg, const struct se_proxy_in *in,
	       const struct route_info *ri, struct se_proxy_out *out)
{
	struct se_dispatch_key key;
	int set_idx, idx;

	if (ri->have_sb && (msg->to.flags & SE_SIP_ADDR_TAG)) {
		idx = se_dispatch_find(t, ri->sb.family, ri->sb.bytes, ri->sb.port);
		if (idx >= 0 && (t->backends[idx].state == SE_DISPATCH_UP ||
				 t->backends[idx].state == SE_DISPATCH_DRAINING)) {
			out->event = SE_STAT_PROXY_PINNED;
			return idx;
		}
		out->event = SE_STAT_PROXY_PIN_FALLBACK;
	}
	set_idx = se_dispatch_set_index(t, msg->method_id == SE_SIP_METHOD_REGISTER ?
				       pp->register_set : pp->call_set);
	if (set_idx < 0)
		return -1;
	if (se_dispatch_key(t, (unsigned int)set_idx, buf, msg, &msg->ruri_uri, in->src_ip,
			    &key) != 0)
		return -1;
	return se_dispatch_lookup(t, (unsigned int)set_idx, se_dispatch_key_hash(&key));
}

/* A request from a client: to a backend. */
static enum se_proxy_verdict
request_to_backend(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
		   const uint8_t *buf, const struct se_sip_msg *msg, const struct se_proxy_in *in,
		   const struct route_info *ri, struct se_edit_plan *plan, struct se_proxy_out *out)
{
	const struct se_dispatch_backend *b;
	struct req_plan rp;
	uint32_t ip;
	int idx;

	idx = t != NULL ? choose_backend(pp, t, buf, msg, in, ri, out) : -1;
	b = idx >= 0 ? se_dispatch_backend(t, idx) : NULL;
	if (b == NULL || b->addr.family != AF_INET)
		return verdict_drop(out, SE_STAT_DROP_NO_BACKEND);
	memcpy(&ip, b->addr.bytes, 4);

	memset(&rp, 0, sizeof(rp));
	rp.egress = SE_PROXY_INT;
	rp.dst_ip = ip;
	rp.dst_port = b->addr.port;
	rp.record_route = creates_dialog(msg);
	rp.path = msg->method_id == SE_SIP_METHOD_REGISTER;
	rp.sb = &b->addr;
	if (plan_request(pp, buf, msg, in, ri, &rp, plan) < 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_EDIT);
	se_nat_from_client(pp->nat_detect, buf, msg, in->src_ip, in->src_port, plan, &out->nat);

	out->backend = idx;
	out->dst_ip = ip;
	out->dst_port = b->addr.port;
	out->src_ip = pp->int_ip;
	out->to_internal = pp->two_sided;
	out->new_dialog = rp.record_route;
	if (rp.record_route && out->event == SE_STAT_COUNT)
		out->event = SE_STAT_PROXY_NEW_DIALOGS;
	out->reason = SE_STAT_PROXY_REQ_TO_BACKEND;
	return SE_PROXY_FORWARD;
}

/* A request from a backend: to the next Route, else the Request-URI. IP literals only. */
static enum se_proxy_verdict
request_to_client(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
		  const uint8_t *buf, const struct se_sip_msg *msg, const struct se_proxy_in *in,
		  const struct route_info *ri, struct se_edit_plan *plan, struct se_proxy_out *out)
{
	struct se_dispatch_addr src;
	struct se_sip_addr next;
	const struct se_sip_uri *target;
	struct req_plan rp;
	int idx;

	if (ri->next >= 0) {
		if (se_sip_addr_parse(buf, msg->entries[ri->next].span, &next) != 0)
			return verdict_drop(out, SE_STAT_DROP_PROXY_TARGET_BAD);
		target = &next.uri;
	} else {
		target = &msg->ruri_uri;
	}
	if (target->scheme_id == SE_SIP_SCHEME_OTHER)
		return verdict_drop(out, SE_STAT_DROP_PROXY_TARGET_BAD);
	if (target->host_type != SE_SIP_HOST_IPV4)
		return verdict_drop(out, SE_STAT_DROP_PROXY_HOSTNAME);
	if (se_proxy_uri_is_ours(pp, target))
		return verdict_drop(out, SE_STAT_DROP_PROXY_LOOP);
	if (!ip_is_unicast(target->ipv4))
		return verdict_drop(out, SE_STAT_DROP_PROXY_DST_INVALID);

	/* A dialog this backend starts stays on it: name it in our Record-Route. */
	memset(&src, 0, sizeof(src));
	src.family = AF_INET;
	memcpy(src.bytes, &in->src_ip, 4);
	src.port = in->src_port;
	idx = t != NULL ? se_dispatch_find(t, AF_INET, &in->src_ip, in->src_port) : -1;

	memset(&rp, 0, sizeof(rp));
	rp.egress = SE_PROXY_EXT;
	rp.dst_ip = target->ipv4;
	rp.dst_port = port_or_default(target->port);
	rp.record_route = creates_dialog(msg);
	rp.sb = &src;
	if (plan_request(pp, buf, msg, in, ri, &rp, plan) < 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_EDIT);
	/* Into the pinhole: the destination is the URI's host:port; the client gets its own URI. */
	if (ri->next < 0)
		se_nat_to_client(buf, msg, plan, &out->nat);

	out->backend = idx;
	out->dst_ip = rp.dst_ip;
	out->dst_port = rp.dst_port;
	out->src_ip = pp->ext_ip;
	out->to_internal = false;
	out->new_dialog = rp.record_route;
	out->reason = SE_STAT_PROXY_REQ_TO_CLIENT;
	return SE_PROXY_FORWARD;
}

/* A response: our Via on top, the next Via says where it goes (RFC 3261 16.11, RFC 3581). */
static enum se_proxy_verdict
response(const struct se_proxy_params *pp, const uint8_t *buf, const struct se_sip_msg *msg,
	 struct se_edit_plan *plan, struct se_proxy_out *out)
{
	const struct se_sip_via *v = &msg->via;
	struct se_sip_via nv;
	uint32_t dst;
	int e;

	if (v->host_type != SE_SIP_HOST_IPV4 || !is_our_ip(pp, v->ipv4) ||
	    port_or_default(v->port) != pp->sip_port || (v->flags & SE_SIP_VIA_BRANCH) == 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_VIA_NOT_OURS);
	if (se_proxy_branch_is(buf, v->branch, SE_PROXY_PROBE_BRANCH)) {
		out->reason = SE_STAT_PROXY_PROBE_REPLIES;
		return SE_PROXY_CONTROL;
	}
	if (!se_proxy_branch_is(buf, v->branch, SE_PROXY_BRANCH))
		return verdict_drop(out, SE_STAT_DROP_PROXY_VIA_NOT_OURS);

	e = list_entry(msg, SE_SIP_HDR_VIA, 1);
	if (e < 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_NO_NEXT_VIA);
	if (se_sip_via_parse(buf, msg->entries[e].span, &nv) != 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_NEXT_VIA_BAD);
	if (nv.flags & SE_SIP_VIA_RECEIVED) {
		if (!se_sip_parse_ipv4(buf + nv.received.off, nv.received.len, &dst))
			return verdict_drop(out, SE_STAT_DROP_PROXY_NEXT_VIA_BAD);
	} else if (nv.host_type == SE_SIP_HOST_IPV4) {
		dst = nv.ipv4;
	} else {
		return verdict_drop(out, SE_STAT_DROP_PROXY_HOSTNAME);
	}
	if (!ip_is_unicast(dst))
		return verdict_drop(out, SE_STAT_DROP_PROXY_DST_INVALID);
	if (remove_leading(msg, SE_SIP_HDR_VIA, 1, plan) < 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_EDIT);

	out->dst_ip = dst;
	out->dst_port = (nv.flags & SE_SIP_VIA_RPORT) && nv.rport_num != 0 ? nv.rport_num :
									     port_or_default(nv.port);
	/* Our Via carried the address of the side the request left by: the response goes back. */
	out->to_internal = pp->two_sided && v->ipv4 == pp->ext_ip;
	out->src_ip = out->to_internal ? pp->int_ip : pp->ext_ip;
	out->reason = SE_STAT_PROXY_RESPONSES;
	return SE_PROXY_FORWARD;
}

/* An OPTIONS whose Request-URI is the edge itself, without a user: monitoring pings. */
static bool
options_for_us(const struct se_proxy_params *pp, const struct se_sip_msg *msg,
	       const struct route_info *ri)
{
	if (msg->method_id != SE_SIP_METHOD_OPTIONS || ri->next >= 0)
		return false;
	return msg->ruri_uri.user.len == 0 && se_proxy_uri_is_ours(pp, &msg->ruri_uri);
}

/* With one port both sides share an address: a backend is known by its address and port. */
static bool
from_backend(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
	     const struct se_proxy_in *in)
{
	if (pp->two_sided)
		return in->from_internal;
	return t != NULL && se_dispatch_find(t, AF_INET, &in->src_ip, in->src_port) >= 0;
}

enum se_proxy_verdict
se_proxy_process(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
		 const uint8_t *buf, const struct se_sip_msg *msg, const struct se_proxy_in *in,
		 struct se_edit_plan *plan, struct se_proxy_out *out)
{
	enum se_proxy_verdict v;
	struct route_info ri;

	se_edit_reset(plan);
	memset(out, 0, sizeof(*out));
	out->backend = -1;
	out->event = SE_STAT_COUNT;

	if (!msg->is_request) {
		v = response(pp, buf, msg, plan, out);
		if (v != SE_PROXY_FORWARD)
			return v;
		if (from_backend(pp, t, in))
			se_nat_register_reply(buf, msg, out->dst_ip, out->dst_port, plan,
					      &out->nat);
		else if (pp->nat_detect != 0)
			se_nat_from_client(pp->nat_detect, buf, msg, in->src_ip, in->src_port, plan,
					   &out->nat);
		return v;
	}

	if (scan_routes(pp, buf, msg, &ri) < 0)
		return verdict_drop(out, SE_STAT_DROP_PROXY_TARGET_BAD);
	if (options_for_us(pp, msg, &ri)) {
		out->reply_code = 200;
		out->reason = SE_STAT_REPLY_OPTIONS_200;
		return SE_PROXY_REPLY;
	}
	if (msg->max_forwards == 0) {
		if (msg->method_id == SE_SIP_METHOD_ACK)
			return verdict_drop(out, SE_STAT_DROP_PROXY_ACK_MF0);
		out->reply_code = 483;
		out->reason = SE_STAT_REPLY_483;
		return SE_PROXY_REPLY;
	}

	if (from_backend(pp, t, in))
		return request_to_client(pp, t, buf, msg, in, &ri, plan, out);
	return request_to_backend(pp, t, buf, msg, in, &ri, plan, out);
}
