/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoders of the structured parts of SIP: URIs, name-addr / addr-spec,
 * via-parm, parameter lists and IPv4 / IPv6 literals (RFC 3261 sections 19.1,
 * 20 and 25.1). Each works on a span of the datagram and never reads outside
 * it; none allocates.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "se_sip.h"
#include "sip_priv.h"

#define R4_(n) SIP_CC_(n), SIP_CC_((n) + 1), SIP_CC_((n) + 2), SIP_CC_((n) + 3)
#define R16_(n) R4_(n), R4_((n) + 4), R4_((n) + 8), R4_((n) + 12)
#define R64_(n) R16_(n), R16_((n) + 16), R16_((n) + 32), R16_((n) + 48)

const uint16_t se_sip_cc[256] = {
	R64_(0), R64_(64), R64_(128), R64_(192)
};

const uint8_t se_sip_nib[NIB_COUNT][16] __attribute__((aligned(16))) = {
	[NIB_TOKEN] = SIP_NIB_TBL_(CC_TOKEN),
	[NIB_VAL] = SIP_NIB_TBL_(CC_VAL),
	[NIB_HOST] = SIP_NIB_TBL_(CC_HOST),
	[NIB_USER] = SIP_NIB_TBL_(CC_USER),
	[NIB_PASS] = SIP_NIB_TBL_(CC_PASS),
	[NIB_PARAM] = SIP_NIB_TBL_(CC_PARAM),
};

static inline uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

bool
se_span_eq_nocase(const uint8_t *buf, struct se_span s, const char *str, size_t slen)
{
	const uint8_t *p = buf + s.off;
	size_t i;

	if (s.len != slen)
		return false;
	for (i = 0; i < slen; i++)
		if (lower(p[i]) != lower((uint8_t)str[i]))
			return false;
	return true;
}

bool
se_sip_parse_ipv4(const uint8_t *p, size_t len, uint32_t *out)
{
	const uint8_t *end = p + len;
	uint8_t a[4];
	int part;

	if (len < 7 || len > 15)
		return false;
	for (part = 0; part < 4; part++) {
		unsigned v, d;

		if (part > 0 && (p >= end || *p++ != '.'))
			return false;
		if (p >= end || (v = (unsigned)*p - '0') > 9)
			return false;
		p++;
		/* up to two more digits */
		if (p < end && (d = (unsigned)*p - '0') <= 9) {
			v = v * 10 + d;
			p++;
			if (p < end && (d = (unsigned)*p - '0') <= 9) {
				v = v * 10 + d;
				p++;
			}
		}
		if (v > 255)
			return false;
		a[part] = (uint8_t)v;
	}
	if (p != end)
		return false;
	memcpy(out, a, 4); /* bytes in order: network byte order on any host */
	return true;
}

/* IPv6address of RFC 3261 25.1 (hex groups, one "::", optional IPv4 tail). */
static bool
ipv6_ok(const uint8_t *p, uint32_t n)
{
	uint32_t i = 0, groups = 0;
	bool dcolon = false;

	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		dcolon = true;
		i = 2;
		if (i == n)
			return true;
	} else if (n == 0 || p[0] == ':') {
		return false;
	}
	for (;;) {
		uint32_t s = i, nd = 0;

		while (i < n && cc_is(p[i], CC_HEX) && nd < 5) {
			i++;
			nd++;
		}
		if (i < n && p[i] == '.') {
			uint32_t v4;

			/* IPv4 tail counts as two groups */
			if (!se_sip_parse_ipv4(p + s, n - s, &v4))
				return false;
			groups += 2;
			break;
		}
		if (nd == 0 || nd > 4)
			return false;
		groups++;
		if (i == n)
			break;
		if (p[i] != ':')
			return false;
		i++;
		if (i < n && p[i] == ':') {
			if (dcolon)
				return false;
			dcolon = true;
			i++;
			if (i == n)
				break;
		} else if (i == n) {
			return false;
		}
		if (groups > 8)
			return false;
	}
	return dcolon ? groups <= 7 : groups == 8;
}

/* Host at p: "[v6]", IPv4 or a host name. Returns its end, or 0 if invalid. */
SIP_INLINE uint32_t
host_parse(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, uint8_t *type,
	   uint32_t *ipv4)
{
	uint32_t q = p, k;

	if (p >= end)
		return 0;
	if (buf[p] == '[') {
		while (q < end && buf[q] != ']')
			q++;
		if (q >= end || !ipv6_ok(buf + p + 1, q - p - 1))
			return 0;
		*type = SE_SIP_HOST_IPV6;
		return q + 1;
	}
	q = run_of(buf, p, end, lim, NIB_HOST, CC_HOST);
	if (q == p || buf[q - 1] == '-' || buf[p] == '-' || buf[p] == '.')
		return 0;
	if (cc_is(buf[p], CC_DIGIT)) {
		if (se_sip_parse_ipv4(buf + p, q - p, ipv4)) {
			*type = SE_SIP_HOST_IPV4;
			return q;
		}
		/* all digits and dots but no IPv4: RFC 3261 toplabel starts with a letter */
		for (k = p; k < q && (cc_is(buf[k], CC_DIGIT) || buf[k] == '.'); k++)
			;
		if (k == q)
			return 0;
	}
	*type = SE_SIP_HOST_NAME;
	return q;
}

/* Decimal 1..max at [p, q); 0 when not a number in range. */
SIP_INLINE uint32_t
number_in(const uint8_t *buf, uint32_t p, uint32_t q, uint32_t max)
{
	uint32_t v = 0;

	if (p == q)
		return 0;
	for (; p < q; p++) {
		if (!cc_is(buf[p], CC_DIGIT))
			return 0;
		v = v * 10 + (uint32_t)(buf[p] - '0');
		if (v > max)
			return 0;
	}
	return v;
}

/* The run of digits from p (its end in *q) as a number 1..max; 0 when empty, zero or above. */
SIP_INLINE uint32_t
digits_in(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, uint32_t max, uint32_t *q)
{
	uint32_t v;

	return digit_run(buf, p, end, lim, max, q, &v) ? v : 0;
}

/* Run of class bytes or "%HH" escapes from p; returns its end, or 0 on a bad escape. */
SIP_INLINE uint32_t
escaped_run(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, enum sip_nib nib,
	    uint16_t cls)
{
	for (;;) {
		p = run_of(buf, p, end, lim, nib, cls);
		if (p >= end || buf[p] != '%')
			return p;
		if (end - p < 3 || !cc_is(buf[p + 1], CC_HEX) || !cc_is(buf[p + 2], CC_HEX))
			return 0;
		p += 3;
	}
}

/* uric run with escapes (opaque part of other schemes): rare, scalar. */
static uint32_t
uric_run(const uint8_t *buf, uint32_t p, uint32_t end)
{
	while (p < end) {
		if (cc_is(buf[p], CC_URIC)) {
			p++;
		} else if (buf[p] == '%') {
			if (end - p < 3 || !cc_is(buf[p + 1], CC_HEX) || !cc_is(buf[p + 2], CC_HEX))
				return 0;
			p += 3;
		} else {
			break;
		}
	}
	return p;
}

int
se_sip_uri_parse(const uint8_t *buf, struct se_span s, struct se_sip_uri *uri)
{
	return se_sip_uri_decode(buf, s, se_span_end(s), uri);
}

int
se_sip_uri_decode(const uint8_t *buf, struct se_span s, uint32_t lim, struct se_sip_uri *u)
{
	uint32_t p = s.off, end = se_span_end(s), q;

	memset(u, 0, sizeof(*u));
	u->whole = s;
	if (end - p >= 4 && (load32le(buf + p) | 0x202020) == (uint32_t)lit64("sip:", 4)) {
		/* the common case in one compare (|0x20 on the letters only) */
		q = p + 3;
		u->scheme_id = SE_SIP_SCHEME_SIP;
		u->scheme = mkspan(p, q);
	} else if (end - p >= 5 && (load32le(buf + p) | 0x20202020) == (uint32_t)lit64("sips", 4) &&
		   buf[p + 4] == ':') {
		q = p + 4;
		u->scheme_id = SE_SIP_SCHEME_SIPS;
		u->scheme = mkspan(p, q);
	} else {
		if (p >= end || !cc_is(buf[p], CC_ALPHA))
			return -EINVAL;
		for (q = p; q < end && cc_is(buf[q], CC_SCHEME); q++)
			;
		if (q >= end || buf[q] != ':')
			return -EINVAL;
		u->scheme = mkspan(p, q);
		if (tok_eq(buf + p, q - p, "sip", 3))
			u->scheme_id = SE_SIP_SCHEME_SIP;
		else if (tok_eq(buf + p, q - p, "sips", 4))
			u->scheme_id = SE_SIP_SCHEME_SIPS;
	}
	p = q + 1;
	if (u->scheme_id == SE_SIP_SCHEME_OTHER) {
		/* scheme and opaque only: a proxy passes what it does not know */
		q = uric_run(buf, p, end);
		if (q != end || p == end)
			return -EINVAL;
		u->opaque = mkspan(p, end);
		return 0;
	}

	/*
	 * userinfo in one pass: a run of user bytes ended by '@' is the user; by
	 * ':' it may be user:password@ or host:port. '@' cannot appear unescaped
	 * after the host part, so anything else means there is no userinfo.
	 */
	q = escaped_run(buf, p, end, lim, NIB_USER, CC_USER);
	if (q != 0 && q < end && (buf[q] == '@' || buf[q] == ':')) {
		uint32_t at = q;

		if (buf[q] == ':') {
			at = escaped_run(buf, q + 1, end, lim, NIB_PASS, CC_PASS);
			if (at == 0 || at >= end || buf[at] != '@')
				at = 0;
		}
		if (at != 0) {
			if (q == p)
				return -EINVAL;
			u->user = mkspan(p, q);
			if (buf[q] == ':') {
				u->password = mkspan(q + 1, at);
				u->flags |= SE_SIP_URI_PASSWORD;
			}
			p = at + 1;
		}
	}
	q = host_parse(buf, p, end, lim, &u->host_type, &u->ipv4);
	if (q == 0)
		return -EINVAL;
	u->host = mkspan(p, q);
	p = q;
	if (p < end && buf[p] == ':') {
		u->port = (uint16_t)digits_in(buf, p + 1, end, lim, 65535, &q);
		if (u->port == 0)
			return -EINVAL;
		p = q;
	}
	if (p < end && buf[p] == ';') {
		uint32_t ps = p;

		while (p < end && buf[p] == ';') {
			q = escaped_run(buf, p + 1, end, lim, NIB_PARAM, CC_PARAM);
			if (q == 0 || q == p + 1)
				return -EINVAL; /* empty or badly escaped name */
			if (q - p == 3 && (buf[p + 1] | 0x20) == 'l' && (buf[p + 2] | 0x20) == 'r')
				u->flags |= SE_SIP_URI_LR;
			if (q < end && buf[q] == '=') {
				uint32_t vs = q + 1;

				q = escaped_run(buf, vs, end, lim, NIB_PARAM, CC_PARAM);
				if (q == 0 || q == vs)
					return -EINVAL;
			}
			p = q;
		}
		u->params = mkspan(ps, p);
	}
	if (p < end && buf[p] == '?') {
		q = uric_run(buf, p + 1, end);
		if (q == 0 || q != end)
			return -EINVAL;
		/* hname "=" hvalue *( "&" ... ): '=' and '&' are in CC_USER */
		u->headers = mkspan(p + 1, end);
		p = end;
	}
	return p == end ? 0 : -EINVAL;
}

bool
se_sip_param_find(const uint8_t *buf, struct se_span list, const char *name, size_t nlen,
		  struct se_span *value)
{
	uint32_t p = list.off, end = se_span_end(list);

	for (;;) {
		uint32_t ns, ne, vs, ve;

		while (p < end && (buf[p] == ';' || cc_is(buf[p], CC_LWS)))
			p++;
		if (p >= end)
			return false;
		ns = p;
		while (p < end && buf[p] != ';' && buf[p] != '=' && !cc_is(buf[p], CC_LWS))
			p++;
		ne = p;
		p = skip_lws(buf, p, end);
		vs = ve = ne;
		if (p < end && buf[p] == '=') {
			p = skip_lws(buf, p + 1, end);
			vs = p;
			if (p < end && buf[p] == '"') {
				bool ok = true;

				p = skip_quoted(buf, p, end, end, &ok);
				if (p > end)
					p = end;
			} else {
				while (p < end && buf[p] != ';' && !cc_is(buf[p], CC_LWS))
					p++;
			}
			ve = p;
		}
		if (se_span_eq_nocase(buf, mkspan(ns, ne), name, nlen)) {
			value->off = (uint16_t)vs;
			value->len = (uint16_t)(ve - vs);
			return true;
		}
		while (p < end && buf[p] != ';') {
			if (buf[p] == '"') {
				bool ok = true;

				p = skip_quoted(buf, p, end, end, &ok);
				if (p > end)
					return false;
			} else {
				p++;
			}
		}
	}
}

/*
 * Walk a generic-param list "; name [= value]" strictly (RFC 3261 25.1:
 * SEMI, EQUAL with LWS around them; value token / host / quoted-string), and
 * hand each parameter to the caller. Returns false on a malformed list.
 */
struct param_cb {
	uint32_t ns, ne, vs, ve; /* name and value; vs == ve == ne when no value */
	bool has_value;
};

SIP_INLINE uint32_t
param_next(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, struct param_cb *pc)
{
	/* at a ';' (checked by the caller); LWS is rare, so each test reads one byte */
	p++;
	if (p < end && buf[p] <= ' ')
		p = skip_lws(buf, p, end);
	pc->ns = p;
	p = run_of(buf, p, end, lim, NIB_TOKEN, CC_TOKEN);
	pc->ne = p;
	if (pc->ne == pc->ns)
		return 0;
	pc->vs = pc->ve = pc->ne;
	pc->has_value = false;
	if (p < end && buf[p] <= ' ')
		p = skip_lws(buf, p, end);
	if (p < end && buf[p] == '=') {
		p++;
		if (p < end && buf[p] <= ' ')
			p = skip_lws(buf, p, end);
		pc->vs = p;
		if (p < end && buf[p] == '"') {
			bool ok = true;
			uint32_t q = skip_quoted(buf, p, end, lim, &ok);

			if (q > end || !ok)
				return 0;
			p = q;
		} else {
			p = run_of(buf, p, end, lim, NIB_VAL, CC_VAL);
		}
		pc->ve = p;
		if (pc->ve == pc->vs)
			return 0;
		pc->has_value = true;
		if (p < end && buf[p] <= ' ')
			p = skip_lws(buf, p, end);
	}
	if (p < end && buf[p] != ';')
		return 0;
	return p;
}

int
se_sip_via_parse(const uint8_t *buf, struct se_span s, struct se_sip_via *via)
{
	return se_sip_via_decode(buf, s, se_span_end(s), via);
}

int
se_sip_via_decode(const uint8_t *buf, struct se_span s, uint32_t lim, struct se_sip_via *via)
{
	uint32_t p = s.off, end = se_span_end(s), q, sb;
	struct se_span *parts[3];
	int i;

	memset(via, 0, sizeof(*via));
	via->entry = s;
	parts[0] = &via->proto;
	parts[1] = &via->version;
	parts[2] = &via->transport;
	p = skip_lws(buf, p, end);
	/* one 8-byte compare: |0x20 on the three letters only */
	if (end - p >= 9 && (load64le(buf + p) | 0x202020) == lit64("sip/2.0/", 8) &&
	    cc_is(buf[p + 8], CC_TOKEN)) {
		/* "SIP/2.0/" without LWS, the common case: straight to the transport */
		via->proto = mkspan(p, p + 3);
		via->version = mkspan(p + 4, p + 7);
		p += 8;
		if (end - p >= 4 && (load32le(buf + p) == (uint32_t)lit64("UDP ", 4) ||
				     load32le(buf + p) == (uint32_t)lit64("TCP ", 4) ||
				     load32le(buf + p) == (uint32_t)lit64("TLS ", 4)))
			q = p + 3; /* the usual transports: their run ends at the SP */
		else
			q = run_of(buf, p, end, lim, NIB_TOKEN, CC_TOKEN);
		if (q == p)
			return -EINVAL;
		via->transport = mkspan(p, q);
		p = q;
	} else {
		for (i = 0; i < 3; i++) {
			if (i > 0) {
				/* SLASH = SWS "/" SWS */
				p = skip_lws(buf, p, end);
				if (p >= end || buf[p] != '/')
					return -EINVAL;
				p = skip_lws(buf, p + 1, end);
			}
			q = run_of(buf, p, end, lim, NIB_TOKEN, CC_TOKEN);
			if (q == p)
				return -EINVAL;
			*parts[i] = mkspan(p, q);
			p = q;
		}
	}
	q = skip_lws(buf, p, end);
	if (q == p)
		return -EINVAL; /* LWS between sent-protocol and sent-by */
	p = sb = q;
	q = host_parse(buf, p, end, lim, &via->host_type, &via->ipv4);
	if (q == 0)
		return -EINVAL;
	via->host = mkspan(p, q);
	p = q;
	q = skip_lws(buf, p, end);
	if (q < end && buf[q] == ':') {
		via->port = (uint16_t)digits_in(buf, skip_lws(buf, q + 1, end), end, lim, 65535,
						 &q);
		if (via->port == 0)
			return -EINVAL;
		p = q;
	}
	via->sent_by = mkspan(sb, p);
	p = skip_lws(buf, p, end);
	if (p < end && buf[p] != ';')
		return -EINVAL;
	if (p < end)
		via->params = mkspan(p, end);
	while (p < end) {
		struct param_cb pc;
		uint32_t n, nl;

		p = param_next(buf, p, end, lim, &pc);
		if (p == 0)
			return -EINVAL;
		n = pc.ns;
		nl = pc.ne - pc.ns;
		if (tok_eq_lim(buf, n, nl, lim, "branch", 6)) {
			if (!pc.has_value)
				return -EINVAL;
			if (via->flags & SE_SIP_VIA_BRANCH)
				continue;
			via->branch = mkspan(pc.vs, pc.ve);
			via->flags |= SE_SIP_VIA_BRANCH;
		} else if (tok_eq_lim(buf, n, nl, lim, "received", 8)) {
			if (!pc.has_value)
				return -EINVAL;
			if (via->flags & SE_SIP_VIA_RECEIVED)
				continue;
			via->received = mkspan(pc.vs, pc.ve);
			via->flags |= SE_SIP_VIA_RECEIVED;
		} else if (tok_eq_lim(buf, n, nl, lim, "rport", 5)) {
			if (via->flags & SE_SIP_VIA_RPORT)
				continue;
			if (pc.has_value) {
				via->rport_num = (uint16_t)number_in(buf, pc.vs, pc.ve, 65535);
				if (via->rport_num == 0)
					return -EINVAL;
			}
			via->rport = mkspan(pc.vs, pc.ve);
			via->flags |= SE_SIP_VIA_RPORT;
		} else if (tok_eq_lim(buf, n, nl, lim, "maddr", 5)) {
			if (!pc.has_value)
				return -EINVAL;
			via->maddr = mkspan(pc.vs, pc.ve);
			via->flags |= SE_SIP_VIA_MADDR;
		} else if (tok_eq_lim(buf, n, nl, lim, "ttl", 3)) {
			uint32_t v = 0, k;

			if (!pc.has_value || pc.ve - pc.vs > 3)
				return -EINVAL;
			for (k = pc.vs; k < pc.ve; k++) {
				if (!cc_is(buf[k], CC_DIGIT))
					return -EINVAL;
				v = v * 10 + (uint32_t)(buf[k] - '0');
			}
			if (v > 255)
				return -EINVAL;
			via->flags |= SE_SIP_VIA_TTL;
		}
	}
	return 0;
}

int
se_sip_addr_decode(const uint8_t *buf, struct se_span s, uint32_t lim, struct se_sip_addr *a)
{
	uint32_t p = s.off, end = se_span_end(s), q;

	memset(a, 0, sizeof(*a));
	p = skip_lws(buf, p, end);
	end = trim_lws_end(buf, p, end);
	if (p >= end)
		return SIP_ADDR_BAD;
	if (buf[p] == '*') {
		if (skip_lws(buf, p + 1, end) != end)
			return SIP_ADDR_BAD;
		a->flags = SE_SIP_ADDR_STAR;
		a->uri_span = mkspan(p, p + 1);
		return SIP_ADDR_OK;
	}
	if (buf[p] == '"') {
		bool ok = true;

		q = skip_quoted(buf, p, end, lim, &ok);
		if (q > end)
			return SIP_ADDR_QUOTE;
		if (!ok)
			return SIP_ADDR_BAD;
		a->display = mkspan(p, q);
		p = skip_lws(buf, q, end);
		if (p >= end || buf[p] != '<')
			return SIP_ADDR_BAD;
	} else {
		/* *(token LWS) "<", or an addr-spec */
		for (q = p; q < end && cc_is(buf[q], CC_TOKEN | CC_LWS); q++)
			;
		if (q < end && buf[q] == '<') {
			a->display = mkspan(p, trim_lws_end(buf, p, q));
			p = q;
		}
	}
	if (buf[p] == '<') {
		uint32_t gt;

		gt = find_byte(buf, p + 1, end, lim, '>');
		if (gt >= end)
			return SIP_ADDR_ANGLE;
		a->uri_span = mkspan(p + 1, gt);
		a->flags |= SE_SIP_ADDR_NAME_ADDR;
		p = gt + 1;
	} else {
		/*
		 * addr-spec: every ';' after the URI starts a header parameter,
		 * and a URI with ',', '?' or ';' needs <> (RFC 3261 section 20).
		 */
		for (q = p; q < end && buf[q] != ';' && !cc_is(buf[q], CC_LWS); q++)
			if (buf[q] == '?' || buf[q] == ',')
				return SIP_ADDR_BAD;
		a->uri_span = mkspan(p, q);
		p = q;
	}
	p = skip_lws(buf, p, end);
	if (p < end) {
		if (buf[p] != ';')
			return SIP_ADDR_BAD;
		a->hparams = mkspan(p, end);
		while (p < end) {
			struct param_cb pc;

			p = param_next(buf, p, end, lim, &pc);
			if (p == 0)
				return SIP_ADDR_BAD;
			if (!(a->flags & SE_SIP_ADDR_TAG) &&
			    tok_eq(buf + pc.ns, pc.ne - pc.ns, "tag", 3)) {
				if (!pc.has_value)
					return SIP_ADDR_BAD;
				a->tag = mkspan(pc.vs, pc.ve);
				a->flags |= SE_SIP_ADDR_TAG;
			}
		}
	}
	if (se_sip_uri_decode(buf, a->uri_span, lim, &a->uri) != 0)
		return SIP_ADDR_BAD;
	return SIP_ADDR_OK;
}

int
se_sip_addr_parse(const uint8_t *buf, struct se_span s, struct se_sip_addr *addr)
{
	switch (se_sip_addr_decode(buf, s, se_span_end(s), addr)) {
	case SIP_ADDR_OK:
		return 0;
	case SIP_ADDR_QUOTE:
	case SIP_ADDR_ANGLE:
		return -EBADMSG;
	default:
		return -EINVAL;
	}
}
