/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <xxhash.h>

#include "se_proxy.h"
#include "proxy_priv.h"

struct writer {
	uint8_t *p;
	size_t cap;
	size_t n;
	bool full;
};

static void
put(struct writer *w, const void *s, size_t len)
{
	if (w->full || len > w->cap - w->n) {
		w->full = true;
		return;
	}
	memcpy(w->p + w->n, s, len);
	w->n += len;
}

static void
put_str(struct writer *w, const char *s)
{
	put(w, s, strlen(s));
}

static void
put_span(struct writer *w, const uint8_t *buf, uint32_t from, uint32_t to)
{
	if (to > from)
		put(w, buf + from, to - from);
}

/* The top Via, as the edge received it: with received= and the rport value (RFC 3581). */
static void
put_top_via(struct writer *w, const uint8_t *buf, const struct se_sip_msg *msg,
	    const struct se_sip_hdr *hd, const struct se_proxy_in *in)
{
	const struct se_sip_via *v = &msg->via;
	uint32_t pos = hd->line.off, end = se_span_end(v->entry);
	char tmp[32], *p;

	if ((v->flags & SE_SIP_VIA_RPORT) && v->rport.len == 0) {
		put_span(w, buf, pos, v->rport.off);
		tmp[0] = '=';
		p = se_fmt_u32(tmp + 1, in->src_port);
		put(w, tmp, (size_t)(p - tmp));
		pos = v->rport.off;
	}
	put_span(w, buf, pos, end);
	if ((v->flags & SE_SIP_VIA_RECEIVED) == 0) {
		p = SE_FMT_LIT(tmp, ";received=");
		p = se_fmt_ipv4(p, in->src_ip);
		put(w, tmp, (size_t)(p - tmp));
	}
	put_span(w, buf, end, se_span_end(hd->line));
}

static void
put_field(struct writer *w, const uint8_t *buf, const struct se_sip_msg *msg,
	  enum se_sip_hdr_type type)
{
	uint16_t h = msg->first[type];

	if (h != SE_SIP_NONE)
		put_span(w, buf, msg->hdrs[h].line.off, se_span_end(msg->hdrs[h].line));
}

int
se_proxy_reply(const struct se_proxy_params *pp, const uint8_t *buf,
	       const struct se_sip_msg *msg, const struct se_proxy_in *in, uint16_t code,
	       const char *reason, const char *extra, uint8_t *dst, size_t cap,
	       struct se_proxy_out *out)
{
	struct writer w = { .p = dst, .cap = cap };
	char tmp[64], *p;
	uint16_t top = msg->first[SE_SIP_HDR_VIA];

	p = SE_FMT_LIT(tmp, "SIP/2.0 ");
	p = se_fmt_u32(p, code);
	*p++ = ' ';
	put(&w, tmp, (size_t)(p - tmp));
	put_str(&w, reason);
	put(&w, "\r\n", 2);

	for (uint16_t h = top; h != SE_SIP_NONE && h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != SE_SIP_HDR_VIA)
			continue;
		if (h == top)
			put_top_via(&w, buf, msg, hd, in);
		else
			put_span(&w, buf, hd->line.off, se_span_end(hd->line));
	}
	put_field(&w, buf, msg, SE_SIP_HDR_FROM);
	if (msg->to.flags & SE_SIP_ADDR_TAG) {
		put_field(&w, buf, msg, SE_SIP_HDR_TO);
	} else {
		/* Stateless, so the tag is derived: every retransmission gets the same one. */
		const struct se_sip_hdr *hd = &msg->hdrs[msg->first[SE_SIP_HDR_TO]];
		uint64_t tag = XXH3_64bits_withSeed(buf + msg->call_id.off, msg->call_id.len,
						    pp->seed);

		tag = XXH3_64bits_withSeed(buf + msg->from.tag.off, msg->from.tag.len, tag);
		tag = XXH3_64bits_withSeed(buf + msg->via.branch.off, msg->via.branch.len, tag);
		put_span(&w, buf, hd->name.off, se_span_end(hd->name));
		put(&w, ": ", 2);
		put_span(&w, buf, hd->value.off, se_span_end(hd->value));
		p = SE_FMT_LIT(tmp, ";tag=sE");
		p = se_fmt_hex64(p, tag);
		p = SE_FMT_LIT(p, "\r\n");
		put(&w, tmp, (size_t)(p - tmp));
	}
	put_field(&w, buf, msg, SE_SIP_HDR_CALL_ID);
	put_field(&w, buf, msg, SE_SIP_HDR_CSEQ);
	if (extra != NULL)
		put_str(&w, extra);
	put_str(&w, "Server: sipedge\r\nContent-Length: 0\r\n\r\n");
	if (w.full)
		return -ENOSPC;

	/* RFC 3261 18.2.2, RFC 3581: back to the source; its port only when rport asked for it. */
	out->dst_ip = in->src_ip;
	out->dst_port = (msg->via.flags & SE_SIP_VIA_RPORT) ? in->src_port :
			(msg->via.port != 0 ? msg->via.port : 5060);
	out->to_internal = pp->two_sided && in->from_internal;
	out->src_ip = out->to_internal ? pp->int_ip : pp->ext_ip;
	return (int)w.n;
}
