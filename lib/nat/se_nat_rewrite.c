/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NAT fixes as edits: Contact URIs to the pinhole with se-alias, ;rport
 * on the top Via, and the Request-URI restored on the way back. Each Contact
 * is one edit, so a full plan leaves the others as they were, never half
 * rewritten.
 */
#include <string.h>

#include "se_nat.h"
#include "nat_priv.h"

static void
skip(struct se_nat_out *out, enum se_nat_skip why)
{
	out->any = true;
	if (out->skipped[why] < UINT8_MAX)
		out->skipped[why]++;
}

/* One past the port of a decoded URI (one past the host when it has none). */
static uint32_t
hostport_end(const uint8_t *buf, const struct se_sip_uri *u)
{
	uint32_t p = se_span_end(u->host), end = se_span_end(u->whole);

	if (p < end && buf[p] == ':')
		for (p++; p < end && buf[p] >= '0' && buf[p] <= '9'; p++)
			;
	return p;
}

/* maddr= or a transport other than UDP: the URI names where it wants to be reached. */
static bool
other_transport(const uint8_t *buf, const struct se_sip_uri *u)
{
	struct se_span v;

	if (se_sip_param_find(buf, u->params, "maddr", 5, &v))
		return true;
	return se_sip_param_find(buf, u->params, "transport", 9, &v) &&
	       !se_span_eq_nocase(buf, v, "udp", 3);
}

static enum se_nat_skip
why_not(const uint8_t *buf, const struct se_sip_addr *a, uint32_t src_ip, uint16_t src_port)
{
	const struct se_sip_uri *u = &a->uri;
	struct se_span v;

	if (a->flags & SE_SIP_ADDR_STAR)
		return SE_NAT_SKIP_STAR;
	if (u->scheme_id != SE_SIP_SCHEME_SIP)
		return SE_NAT_SKIP_SCHEME;
	if (u->host_type == SE_SIP_HOST_IPV6)
		return SE_NAT_SKIP_IPV6;
	/* no DNS name is longer than 253: se-alias takes up to 255 */
	if ((u->host_type != SE_SIP_HOST_IPV4 && u->host_type != SE_SIP_HOST_NAME) ||
	    u->host.len > 255)
		return SE_NAT_SKIP_MALFORMED;
	if (other_transport(buf, u))
		return SE_NAT_SKIP_TRANSPORT;
	if (se_sip_param_find(buf, u->params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v))
		return SE_NAT_SKIP_ALIASED;
	if (u->host_type == SE_SIP_HOST_IPV4 && u->ipv4 == src_ip &&
	    nat_port_or_default(u->port) == src_port)
		return SE_NAT_SKIP_SAME;
	return SE_NAT_SKIP_COUNT;
}

/*
 * name-addr: host[:port] -> SRC:PORT;se-alias=HOST[~PORT], in place.
 * addr-spec: the URI up to its port goes inside <>, so that se-alias is a URI
 * parameter and whatever followed stays a header parameter.
 */
static void
rewrite_one(const uint8_t *buf, const struct se_sip_addr *a, uint32_t src_ip, uint16_t src_port,
	    struct se_edit_plan *plan, struct se_nat_out *out)
{
	enum se_nat_skip why;
	uint32_t host_end, hp_end, off, len, prefix;
	bool add_angles;
	uint8_t *dst, *p;

	why = why_not(buf, a, src_ip, src_port);
	if (why != SE_NAT_SKIP_COUNT) {
		skip(out, why);
		return;
	}
	add_angles = (a->flags & SE_SIP_ADDR_NAME_ADDR) == 0;
	host_end = se_span_end(a->uri.host);
	hp_end = hostport_end(buf, &a->uri);
	/* an addr-spec URI ends at its port: ';' starts header parameters, '?' is refused */
	if (add_angles && hp_end != se_span_end(a->uri_span)) {
		skip(out, SE_NAT_SKIP_MALFORMED);
		return;
	}
	off = add_angles ? a->uri_span.off : a->uri.host.off;
	prefix = a->uri.host.off - off;
	len = (add_angles ? 2 + prefix : 0) + SE_FMT_HOSTPORT_MAX + 2 + SE_NAT_ALIAS_LEN +
	      a->uri.host.len + (hp_end - host_end);
	dst = len <= UINT16_MAX ? se_edit_reserve(plan, (uint16_t)off, (uint16_t)(hp_end - off),
						  (uint16_t)len) : NULL;
	if (dst == NULL) {
		skip(out, SE_NAT_SKIP_NO_ROOM);
		return;
	}
	p = dst;
	if (add_angles) {
		*p++ = '<';
		memcpy(p, buf + off, prefix);
		p += prefix;
	}
	p = (uint8_t *)se_fmt_hostport((char *)p, src_ip, src_port);
	*p++ = ';';
	memcpy(p, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN);
	p += SE_NAT_ALIAS_LEN;
	*p++ = '=';
	memcpy(p, buf + a->uri.host.off, a->uri.host.len);
	p += a->uri.host.len;
	if (hp_end > host_end) {
		/* ":5062" is recorded as "~5062", Kamailio's separator: ':' reads like a port */
		*p++ = '~';
		memcpy(p, buf + host_end + 1, hp_end - host_end - 1);
		p += hp_end - host_end - 1;
	}
	if (add_angles)
		*p++ = '>';
	se_edit_trim_last(plan, (uint16_t)(p - dst));
	out->any = true;
	if (out->rewritten < UINT8_MAX)
		out->rewritten++;
}

/* Every Contact entry; @p first, when it holds one, is the first entry already decoded. */
static void
fix_contacts(const uint8_t *buf, const struct se_sip_msg *msg, uint32_t src_ip,
	     uint16_t src_port, struct se_edit_plan *plan, struct se_nat_out *out,
	     const struct nat_first_contact *first)
{
	if ((msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT)) == 0)
		return;
	for (uint16_t h = msg->first[SE_SIP_HDR_CONTACT]; h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != SE_SIP_HDR_CONTACT)
			continue;
		for (unsigned int k = 0; k < hd->n_entries; k++) {
			unsigned int e = hd->first_entry + k;
			struct se_sip_addr a;
			const struct se_sip_addr *pa = &a;
			int rc;

			if (e >= msg->entry_count)
				break;
			if (first != NULL && first->entry == (int)e) {
				rc = first->rc;
				pa = &first->a;
			} else {
				rc = se_sip_addr_parse(buf, msg->entries[e].span, &a);
			}
			if (rc != 0)
				skip(out, SE_NAT_SKIP_MALFORMED);
			else
				rewrite_one(buf, pa, src_ip, src_port, plan, out);
		}
	}
}

void
se_nat_fix_contacts(const uint8_t *buf, const struct se_sip_msg *msg, uint32_t src_ip,
		    uint16_t src_port, struct se_edit_plan *plan, struct se_nat_out *out)
{
	fix_contacts(buf, msg, src_ip, src_port, plan, out, NULL);
}

/* Via entries of the message, counted up to 2. */
static unsigned int
vias_up_to_two(const struct se_sip_msg *msg)
{
	unsigned int n = 0;

	if ((msg->seen & SE_SIP_SEEN(SE_SIP_HDR_VIA)) == 0)
		return 0;
	for (uint16_t h = msg->first[SE_SIP_HDR_VIA]; h < msg->hdr_count && n < 2; h++)
		if (msg->hdrs[h].type == SE_SIP_HDR_VIA)
			n += msg->hdrs[h].n_entries;
	return n;
}

static unsigned int
contact_entries(const struct se_sip_msg *msg)
{
	unsigned int n = 0;

	if ((msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT)) == 0)
		return 0;
	for (uint16_t h = msg->first[SE_SIP_HDR_CONTACT]; h < msg->hdr_count; h++)
		if (msg->hdrs[h].type == SE_SIP_HDR_CONTACT)
			n += msg->hdrs[h].n_entries;
	return n;
}

/* force_rport: the responses of this request then follow the pinhole, not the Via port. */
static void
force_rport(const struct se_sip_msg *msg, uint16_t src_port, struct se_edit_plan *plan,
	    struct se_nat_out *out)
{
	char tmp[16], *p;

	if ((msg->via.flags & SE_SIP_VIA_RPORT) || msg->method_id == SE_SIP_METHOD_ACK)
		return;
	p = tmp;
	memcpy(p, ";rport=", 7);
	p = se_fmt_u32(p + 7, src_port);
	if (se_edit_add(plan, (uint16_t)se_span_end(msg->via.entry), 0, tmp,
			(uint16_t)(p - tmp)) != 0) {
		skip(out, SE_NAT_SKIP_NO_ROOM);
		return;
	}
	out->rport_forced = true;
}

void
se_nat_from_client(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
		   uint32_t src_ip, uint16_t src_port, struct se_edit_plan *plan,
		   struct se_nat_out *out)
{
	struct nat_first_contact first = { .entry = -1 };
	uint32_t fired;
	bool contacts = (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT)) != 0;

	if (tests == 0)
		return;
	/* 3xx-6xx Contacts are other addresses to try, not the sender's */
	if (!msg->is_request && (!contacts || msg->status <= 100 || msg->status >= 300))
		return;
	/*
	 * Found behind NAT by its Via, a message is tested no further: the
	 * Contacts are decoded once, by the rewrite. Otherwise the first
	 * Contact the tests decoded is not decoded again.
	 */
	fired = nat_detect_via(tests, msg, src_ip, src_port);
	if (fired == 0)
		fired = nat_detect_contacts(tests, buf, msg, src_ip, src_port, &first);
	if (fired == 0)
		return;
	out->any = true;
	out->detected = (uint8_t)fired;
	if (msg->is_request) {
		force_rport(msg, src_port, plan, out);
		if (contacts && vias_up_to_two(msg) > 1) {
			unsigned int n = contact_entries(msg) + out->skipped[SE_NAT_SKIP_PROXIED];

			out->skipped[SE_NAT_SKIP_PROXIED] =
				(uint8_t)(n < UINT8_MAX ? n : UINT8_MAX);
			return;
		}
	}
	fix_contacts(buf, msg, src_ip, src_port, plan, out, &first);
}

/*
 * A host the parser takes (IPv4 or a host name): the restored URI must parse
 * wherever it goes. The parser itself decides, on "sip:HOST".
 */
static bool
host_ok(const uint8_t *p, uint32_t len)
{
	uint8_t tmp[4 + 255];
	struct se_sip_uri u;
	struct se_span s = { 0, (uint16_t)(4 + len) };

	if (len == 0 || len > 255)
		return false;
	memcpy(tmp, "sip:", 4);
	memcpy(tmp + 4, p, len);
	return se_sip_uri_parse(tmp, s, &u) == 0 && u.host.len == len && u.port == 0 &&
	       (u.host_type == SE_SIP_HOST_IPV4 || u.host_type == SE_SIP_HOST_NAME);
}

/*
 * Our parameter exactly: ";se-alias=HOST[~PORT]" inside the URI's parameters,
 * HOST a host name or IPv4 address as the parser takes them, PORT 1..65535.
 * Sets *tilde to the offset of '~' (0 when there is no port).
 */
static bool
alias_ok(const uint8_t *buf, const struct se_sip_uri *u, struct se_span v, uint32_t *tilde)
{
	uint32_t p = v.off, end = se_span_end(v), port = 0, digits = 0;
	uint32_t name = (uint32_t)v.off - SE_NAT_ALIAS_LEN - 1;

	if (v.off < u->params.off + SE_NAT_ALIAS_LEN + 2 || buf[name - 1] != ';' ||
	    buf[v.off - 1] != '=')
		return false;
	*tilde = 0;
	while (p < end && buf[p] != '~')
		p++;
	if (!host_ok(buf + v.off, p - v.off))
		return false;
	if (p == end)
		return true;
	*tilde = p;
	/* as the parser reads a port: any number of digits (leading zeros), 1..65535 */
	for (p++; p < end && buf[p] >= '0' && buf[p] <= '9' && port <= 65535; p++) {
		port = port * 10 + (uint32_t)(buf[p] - '0');
		digits++;
	}
	return p == end && digits > 0 && port >= 1 && port <= 65535;
}

/*
 * The URI as the client wrote it: host and port from the se-alias value at
 * @p v (checked by alias_ok()), the parameter removed. One edit from the host
 * to the parameter's end, the parameters between copied.
 */
static bool
restore_uri(const uint8_t *buf, const struct se_sip_uri *u, struct se_span v, uint32_t tilde,
	    struct se_edit_plan *plan)
{
	uint32_t vend = se_span_end(v), hp_end = hostport_end(buf, u);
	uint32_t host_len = (tilde != 0 ? tilde : vend) - v.off;
	uint32_t port_len = tilde != 0 ? vend - tilde : 0; /* "~5062" becomes ":5062" */
	uint32_t pstart = (uint32_t)v.off - SE_NAT_ALIAS_LEN - 2;
	uint32_t keep = pstart - hp_end;
	uint8_t *dst, *p;

	dst = se_edit_reserve(plan, u->host.off, (uint16_t)(vend - u->host.off),
			      (uint16_t)(host_len + port_len + keep));
	if (dst == NULL)
		return false;
	p = dst;
	memcpy(p, buf + v.off, host_len);
	p += host_len;
	if (port_len > 0) {
		*p++ = ':';
		memcpy(p, buf + tilde + 1, port_len - 1);
		p += port_len - 1;
	}
	memcpy(p, buf + hp_end, keep);
	return true;
}

bool
se_nat_to_client(const uint8_t *buf, const struct se_sip_msg *msg, struct se_edit_plan *plan,
		 struct se_nat_out *out)
{
	const struct se_sip_uri *u = &msg->ruri_uri;
	struct se_span v;
	uint32_t tilde;

	if (!msg->is_request || u->scheme_id != SE_SIP_SCHEME_SIP || u->params.len == 0 ||
	    !se_sip_param_find(buf, u->params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v))
		return false;
	if (u->host_type != SE_SIP_HOST_IPV4 || !alias_ok(buf, u, v, &tilde)) {
		skip(out, SE_NAT_SKIP_ALIAS_BAD);
		return false;
	}
	if (!restore_uri(buf, u, v, tilde, plan)) {
		skip(out, SE_NAT_SKIP_NO_ROOM);
		return true;
	}
	out->any = true;
	out->to_pinhole = true;
	return true;
}

void
se_nat_register_reply(const uint8_t *buf, const struct se_sip_msg *msg, uint32_t dst_ip,
		      uint16_t dst_port, struct se_edit_plan *plan, struct se_nat_out *out)
{
	if (msg->is_request || msg->status < 200 || msg->status >= 300 ||
	    msg->cseq_method_id != SE_SIP_METHOD_REGISTER ||
	    (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT)) == 0)
		return;
	for (uint16_t h = msg->first[SE_SIP_HDR_CONTACT]; h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != SE_SIP_HDR_CONTACT)
			continue;
		for (unsigned int k = 0; k < hd->n_entries; k++) {
			unsigned int e = hd->first_entry + k;
			const struct se_sip_uri *u;
			struct se_sip_addr a;
			struct se_span v;
			uint32_t tilde;

			if (e >= msg->entry_count)
				break;
			u = &a.uri;
			/* only this client's own bindings: the ones that name its pinhole */
			if (se_sip_addr_parse(buf, msg->entries[e].span, &a) != 0 ||
			    (a.flags & SE_SIP_ADDR_STAR) || u->scheme_id != SE_SIP_SCHEME_SIP ||
			    u->host_type != SE_SIP_HOST_IPV4 || u->ipv4 != dst_ip ||
			    nat_port_or_default(u->port) != dst_port ||
			    !se_sip_param_find(buf, u->params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v))
				continue;
			if (!alias_ok(buf, u, v, &tilde)) {
				skip(out, SE_NAT_SKIP_ALIAS_BAD);
				continue;
			}
			if (!restore_uri(buf, u, v, tilde, plan)) {
				skip(out, SE_NAT_SKIP_NO_ROOM);
				continue;
			}
			out->any = true;
			if (out->restored < UINT8_MAX)
				out->restored++;
		}
	}
}
