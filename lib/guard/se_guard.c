/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guard of one worker: its source table and its reply bucket, and the
 * three questions a worker asks (before parsing, after a parse, after a
 * failed parse). The order of the checks is the cheapest refusal first:
 * ACL (one rte_lpm lookup, done by the caller), ban and bucket (one table
 * lookup) before the parser reads a byte; then what needs the parsed view.
 */
#include <errno.h>
#include <stdio.h>

#include "se_guard.h"
#include "guard_priv.h"

struct se_guard {
	const struct se_guard_params *p;
	struct se_guard_bucket reply;  /* guard replies of this worker */
	uint64_t scanner_ban_ticks;
	bool track;                    /* a source can be over a bucket or banned */
	struct se_guard_src *src;      /* right after this struct */
};

void
se_guard_params_defaults(struct se_guard_params *p)
{
	memset(p, 0, sizeof(*p));
	p->sources = SE_GUARD_DEFAULT_SOURCES;
	p->ban_s = 60;
	p->flood_reply = SE_GUARD_FLOOD_DROP;
	p->sanity = true;
	p->reply_rate = 100;
	p->reply_burst = 20;
	se_guard_ua_set_defaults(&p->ua);
}

int
se_guard_params_add_option(struct se_guard_params *p, const char *tag)
{
	size_t n = strlen(tag);

	if (n == 0 || n > SE_GUARD_OPTION_LEN)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!guard_is_token((uint8_t)tag[i]))
			return -EINVAL;
	if (p->n_options >= SE_GUARD_MAX_OPTIONS)
		return -ENOSPC;
	memcpy(p->options[p->n_options++], tag, n + 1);
	return 0;
}

size_t
se_guard_memsize(const struct se_guard_params *p)
{
	size_t s = se_guard_src_memsize(p->sources);

	if (s == 0 || p->hz == 0)
		return 0;
	return GUARD_ALIGN(sizeof(struct se_guard)) + s;
}

struct se_guard *
se_guard_init(void *mem, const struct se_guard_params *p, uint64_t now)
{
	struct se_guard *g = mem;
	struct se_guard_src_params sp;

	if (mem == NULL || se_guard_memsize(p) == 0)
		return NULL;
	memset(g, 0, sizeof(*g));
	g->p = p;
	se_guard_bucket_init(&g->reply, p->hz, p->reply_rate, p->reply_burst);
	g->reply.tat = now;
	g->scanner_ban_ticks = (uint64_t)p->scanner_ban_s * p->hz;
	g->track = p->rate != 0 || p->scanner_ban_s != 0;
	memset(&sp, 0, sizeof(sp));
	sp.slots = p->sources;
	sp.hz = p->hz;
	sp.rate = p->rate;
	sp.burst = p->burst;
	sp.ban_ticks = (uint64_t)p->ban_s * p->hz;
	sp.seed = p->seed;
	g->src = se_guard_src_init((uint8_t *)mem + GUARD_ALIGN(sizeof(*g)), &sp);
	return g->src != NULL ? g : NULL;
}

void
se_guard_prefetch(const struct se_guard *g, struct se_guard_key k, bool slot)
{
	if (g->track)
		se_guard_src_prefetch(g->src, k, slot);
}

const struct se_guard_params *
se_guard_params(const struct se_guard *g)
{
	return g->p;
}

const struct se_guard_src *
se_guard_sources(const struct se_guard *g)
{
	return g->src;
}

const char *
se_guard_phrase(uint16_t code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 420:
		return "Bad Extension";
	case 503:
		return "Service Unavailable";
	case 505:
		return "Version Not Supported";
	case 513:
		return "Message Too Large";
	default:
		return "Error";
	}
}

static uint8_t
reply_stat(uint16_t code)
{
	switch (code) {
	case 400:
		return SE_STAT_REPLY_400;
	case 420:
		return SE_STAT_REPLY_420;
	case 503:
		return SE_STAT_REPLY_503;
	case 505:
		return SE_STAT_REPLY_505;
	default:
		return SE_STAT_REPLY_513;
	}
}

static inline void
out_reset(struct se_guard_out *out)
{
	out->reason = SE_STAT_COUNT;
	out->event = SE_STAT_COUNT;
	out->fallback = SE_STAT_COUNT;
	out->code = 0;
	out->phrase = NULL;
	out->buf = NULL;
	out->extra[0] = '\0';
}

static inline enum se_guard_verdict
drop(struct se_guard_out *out, uint8_t reason)
{
	out->reason = reason;
	return SE_GUARD_DROP;
}

/* A reply if the worker's reply bucket has a token, else a counted drop. */
static enum se_guard_verdict
reply(struct se_guard *g, uint16_t code, const uint8_t *buf, uint64_t now,
      struct se_guard_out *out)
{
	if (!se_guard_bucket_take(&g->reply, now))
		return drop(out, SE_STAT_DROP_GUARD_REPLY_LIMIT);
	out->code = code;
	out->phrase = se_guard_phrase(code);
	out->reason = reply_stat(code);
	out->buf = buf;
	return SE_GUARD_REPLY;
}

enum se_guard_verdict
se_guard_pre(struct se_guard *g, struct se_guard_key src, enum se_guard_acl_action acl,
	     uint64_t now, struct se_guard_out *out)
{
	bool evicted = false;
	uint64_t left = 0;

	out_reset(out);
	if (acl == SE_GUARD_ACL_DENY)
		return drop(out, SE_STAT_DROP_GUARD_ACL);
	if (acl == SE_GUARD_ACL_ALLOW) {
		/* a listed peer: no bucket, no ban */
		out->event = SE_STAT_GUARD_ACL_ALLOWED;
		return SE_GUARD_PASS;
	}
	if (!g->track)
		return SE_GUARD_PASS;
	switch (se_guard_src_check(g->src, src, now, &evicted)) {
	case SE_GUARD_SRC_PASS:
		if (evicted)
			out->event = SE_STAT_GUARD_EVICTIONS;
		return SE_GUARD_PASS;
	case SE_GUARD_SRC_OVER:
		out->reason = SE_STAT_DROP_GUARD_RATE;
		break;
	case SE_GUARD_SRC_BAN:
		out->reason = SE_STAT_DROP_GUARD_RATE;
		out->event = SE_STAT_GUARD_BANS;
		break;
	case SE_GUARD_SRC_BANNED:
	default:
		out->reason = SE_STAT_DROP_GUARD_BANNED;
		break;
	}
	if (g->p->flood_reply != SE_GUARD_FLOOD_503 || !se_guard_bucket_take(&g->reply, now))
		return SE_GUARD_DROP;
	(void)se_guard_src_banned(g->src, src, now, &left);
	out->fallback = out->reason;
	out->reason = SE_STAT_REPLY_503;
	out->code = 503;
	out->phrase = se_guard_phrase(503);
	/* Retry-After: what is left of the ban, rounded up; a second when only over the bucket */
	snprintf(out->extra, sizeof(out->extra), "Retry-After: %llu\r\n",
		 (unsigned long long)(left != 0 ? (left + g->p->hz - 1) / g->p->hz : 1));
	return SE_GUARD_REPLY;
}

/* --- after a parse ------------------------------------------------------ */

static bool
is_scanner(const struct se_guard_ua *ua, const uint8_t *buf, const struct se_sip_msg *msg)
{
	if (ua->n == 0 || !(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_USER_AGENT)))
		return false;
	for (uint16_t i = msg->first[SE_SIP_HDR_USER_AGENT]; i < msg->hdr_count; i++) {
		const struct se_sip_hdr *h = &msg->hdrs[i];

		if (h->type == SE_SIP_HDR_USER_AGENT &&
		    se_guard_ua_match(ua, buf + h->value.off, h->value.len))
			return true;
	}
	return false;
}

static bool
option_known(const struct se_guard_params *p, const uint8_t *tag, size_t n)
{
	for (uint32_t i = 0; i < p->n_options; i++) {
		const char *o = p->options[i];
		size_t k;

		for (k = 0; k < n && o[k] != '\0'; k++)
			if (guard_lower(tag[k]) != guard_lower((uint8_t)o[k]))
				break;
		if (k == n && o[k] == '\0')
			return true;
	}
	return false;
}

/*
 * "Unsupported: a, b\r\n" for the option tags of every Proxy-Require field
 * the edge does not accept (RFC 3261 16.3 item 4, 20.40). Only token bytes
 * are copied: whatever else a field holds separates tags. Returns false
 * when every tag is accepted.
 */
static bool
unsupported(const struct se_guard_params *p, const uint8_t *buf, const struct se_sip_msg *msg,
	    char *extra, size_t cap)
{
	static const char head[] = "Unsupported: ";
	size_t n = sizeof(head) - 1, limit = cap - 3; /* room for CRLF and NUL */
	bool any = false;

	memcpy(extra, head, n);
	for (uint16_t i = msg->first[SE_SIP_HDR_PROXY_REQUIRE]; i < msg->hdr_count; i++) {
		const struct se_sip_hdr *h = &msg->hdrs[i];
		uint32_t q = h->value.off, e = se_span_end(h->value);

		if (h->type != SE_SIP_HDR_PROXY_REQUIRE)
			continue;
		while (q < e) {
			uint32_t s;

			while (q < e && !guard_is_token(buf[q]))
				q++;
			for (s = q; q < e && guard_is_token(buf[q]); q++)
				;
			if (q == s || option_known(p, buf + s, q - s))
				continue;
			/* a tag that does not fit is left out; the answer is 420 all the same */
			if (n + (any ? 2 : 0) + (q - s) <= limit) {
				if (any) {
					memcpy(extra + n, ", ", 2);
					n += 2;
				}
				memcpy(extra + n, buf + s, q - s);
				n += q - s;
			}
			any = true;
		}
	}
	memcpy(extra + n, "\r\n", 3);
	return any;
}

/* Is a request without a To tag headed for a trusted set (the proxy's choice of set)? */
static bool
for_trusted_set(const struct se_guard_params *p, const struct se_sip_msg *msg)
{
	if (msg->to.flags & SE_SIP_ADDR_TAG)
		return false;
	return msg->method_id == SE_SIP_METHOD_REGISTER ? p->trusted_registers : p->trusted_calls;
}

enum se_guard_verdict
se_guard_parsed(struct se_guard *g, const uint8_t *buf, size_t len, const struct se_sip_msg *msg,
		struct se_guard_key src, enum se_guard_acl_action acl, uint64_t now,
		struct se_guard_out *out)
{
	const struct se_guard_params *p = g->p;
	bool evicted = false;

	out_reset(out);
	if (!msg->is_request) {
		if (p->max_size != 0 && len > p->max_size)
			return drop(out, SE_STAT_DROP_GUARD_TOO_LARGE);
		return SE_GUARD_PASS;
	}
	if (acl != SE_GUARD_ACL_ALLOW) {
		/* a scanner's probes are out of dialog: in-dialog requests are not scanned */
		if (!(msg->to.flags & SE_SIP_ADDR_TAG) && is_scanner(&p->ua, buf, msg)) {
			if (se_guard_src_offence(g->src, src, now, g->scanner_ban_ticks, &evicted))
				out->event = SE_STAT_GUARD_BANS;
			else if (evicted)
				out->event = SE_STAT_GUARD_EVICTIONS;
			return drop(out, SE_STAT_DROP_GUARD_SCANNER);
		}
		if (for_trusted_set(p, msg)) {
			(void)se_guard_src_offence(g->src, src, now, 0, &evicted);
			if (evicted)
				out->event = SE_STAT_GUARD_EVICTIONS;
			return drop(out, SE_STAT_DROP_GUARD_UNTRUSTED);
		}
	}
	if (p->max_size != 0 && len > p->max_size) {
		if (!se_guard_can_answer(msg) || !p->sanity)
			return drop(out, SE_STAT_DROP_GUARD_TOO_LARGE);
		return reply(g, 513, buf, now, out);
	}
	if (p->sanity && (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_PROXY_REQUIRE)) &&
	    msg->method_id != SE_SIP_METHOD_ACK && msg->method_id != SE_SIP_METHOD_CANCEL &&
	    unsupported(p, buf, msg, out->extra, sizeof(out->extra))) {
		enum se_guard_verdict v = reply(g, 420, buf, now, out);

		if (v != SE_GUARD_REPLY)
			out->extra[0] = '\0';
		return v;
	}
	out->extra[0] = '\0';
	return SE_GUARD_PASS;
}

/* --- after a failed parse ----------------------------------------------- */

/* Leave the last indexed field out of the view (the parser stopped inside it). */
static void
drop_last_field(struct se_sip_msg *msg)
{
	msg->hdr_count--;
	for (unsigned int t = 0; t < SE_SIP_HDR_COUNT; t++)
		if (msg->first[t] != SE_SIP_NONE && msg->first[t] >= msg->hdr_count) {
			msg->first[t] = SE_SIP_NONE;
			msg->seen &= ~SE_SIP_SEEN(t);
		}
}

static bool
call_id_ok(const uint8_t *buf, struct se_span v)
{
	if (v.len == 0)
		return false;
	for (uint32_t i = v.off; i < se_span_end(v); i++)
		if (buf[i] <= 0x20 || buf[i] == 0x7f)
			return false;
	return true;
}

/*
 * Find and decode what a reply is made of: the top Via, Call-ID, CSeq, From
 * and To, from the header index the parser left. When the parser stopped
 * after checking To, they were all decoded already; when it stopped before
 * the end of the header section, the field it was reading (the last one
 * indexed, if it is a list being split) is left out.
 */
static bool
salvage(const uint8_t *buf, enum se_sip_status st, struct se_sip_msg *msg)
{
	const struct se_sip_hdr *h;
	uint16_t i;

	if (!msg->is_request)
		return false;
	switch (st) {
	case SE_SIP_OK:
	case SE_SIP_ERR_MAX_FORWARDS:
	case SE_SIP_ERR_CONTENT_LENGTH:
	case SE_SIP_ERR_CONTENT_LENGTH_MISMATCH:
	case SE_SIP_ERR_BODY_SHORT:
		return true; /* checked after Via, Call-ID, CSeq, From and To */
	case SE_SIP_ERR_EMPTY:
	case SE_SIP_ERR_TOO_LARGE:
	case SE_SIP_ERR_START_LINE:
	case SE_SIP_ERR_METHOD:
	case SE_SIP_ERR_REQUEST_URI:
	case SE_SIP_ERR_VERSION:
	case SE_SIP_ERR_STATUS_CODE:
		return false; /* no header was read */
	default:
		break;
	}
	if (msg->hdrs_end == 0 && msg->hdr_count > 0 &&
	    se_sip_hdr_is_list((enum se_sip_hdr_type)msg->hdrs[msg->hdr_count - 1].type))
		drop_last_field(msg);

	i = msg->first[SE_SIP_HDR_VIA];
	if (i == SE_SIP_NONE || msg->hdrs[i].n_entries == 0 ||
	    msg->hdrs[i].first_entry >= msg->entry_count ||
	    se_sip_via_parse(buf, msg->entries[msg->hdrs[i].first_entry].span, &msg->via) != 0)
		return false;
	i = msg->first[SE_SIP_HDR_CALL_ID];
	if (i == SE_SIP_NONE || !call_id_ok(buf, msg->hdrs[i].value))
		return false;
	msg->call_id = msg->hdrs[i].value;
	i = msg->first[SE_SIP_HDR_CSEQ];
	if (i == SE_SIP_NONE || msg->hdrs[i].value.len == 0)
		return false;
	i = msg->first[SE_SIP_HDR_FROM];
	if (i == SE_SIP_NONE)
		return false;
	h = &msg->hdrs[i];
	if (se_sip_addr_parse(buf, h->value, &msg->from) != 0 ||
	    (msg->from.flags & SE_SIP_ADDR_STAR))
		return false;
	i = msg->first[SE_SIP_HDR_TO];
	if (i == SE_SIP_NONE)
		return false;
	h = &msg->hdrs[i];
	return se_sip_addr_parse(buf, h->value, &msg->to) == 0 &&
	       !(msg->to.flags & SE_SIP_ADDR_STAR);
}

/*
 * A copy of a request with the start line "METHOD sip:invalid SIP/2.0": the
 * method kept (CSeq must repeat it), what follows the start line unchanged.
 * Returns its length, or -ENOSPC.
 */
static int
rebuild(const uint8_t *buf, size_t len, const struct se_sip_msg *msg, uint8_t *fix, size_t cap)
{
	static const char line[] = " sip:invalid SIP/2.0";
	size_t rest = se_span_end(msg->start_line), m = msg->method.len;
	size_t n = m + sizeof(line) - 1 + (len - rest);

	if (rest > len || n > cap || n > SE_SIP_MAX_LEN)
		return -ENOSPC;
	memcpy(fix, buf + msg->method.off, m);
	memcpy(fix + m, line, sizeof(line) - 1);
	memcpy(fix + m + sizeof(line) - 1, buf + rest, len - rest);
	return (int)n;
}

enum se_guard_verdict
se_guard_unparsed(struct se_guard *g, const uint8_t *buf, size_t len, enum se_sip_status st,
		  struct se_sip_msg *msg, uint8_t *fix, size_t fix_cap, uint64_t now,
		  struct se_guard_out *out)
{
	const struct se_guard_params *p = g->p;
	const uint8_t *from = buf;
	uint16_t code;

	out_reset(out);
	if (!p->sanity || st == SE_SIP_ERR_EMPTY || st == SE_SIP_OK || st >= SE_SIP_STATUS_COUNT)
		return drop(out, SE_STAT_DROP_SIP_PARSE);
	code = p->max_size != 0 && len > p->max_size ? 513 : st == SE_SIP_ERR_VERSION ? 505 : 400;
	if ((st == SE_SIP_ERR_VERSION || st == SE_SIP_ERR_REQUEST_URI) && msg->is_request &&
	    msg->method.len != 0) {
		int n = rebuild(buf, len, msg, fix, fix_cap);

		if (n < 0)
			return drop(out, SE_STAT_DROP_SIP_PARSE);
		from = fix;
		st = se_sip_parse(fix, (size_t)n, msg);
	}
	if (!salvage(from, st, msg) || !se_guard_can_answer(msg))
		return drop(out, SE_STAT_DROP_SIP_PARSE);
	return reply(g, code, from, now, out);
}
