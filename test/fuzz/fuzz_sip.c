/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/sip: se_sip_parse() on the input, then every
 * on-demand decoder over every header value and list entry it indexed, and
 * the decoders over the raw input too. Checks invariants (every span inside
 * the datagram and inside what it was decoded from, indexes consistent) and
 * traps on a violation; ASan/UBSan catch the rest.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "se_sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* A non-empty span must lie inside [lo, hi). */
static void
in(struct se_span s, uint32_t lo, uint32_t hi)
{
	if (s.len == 0)
		return;
	CHECK(s.off >= lo && se_span_end(s) <= hi);
}

static void
check_uri(const struct se_sip_uri *u, uint32_t lo, uint32_t hi)
{
	in(u->whole, lo, hi);
	in(u->scheme, lo, hi);
	in(u->user, lo, hi);
	in(u->password, lo, hi);
	in(u->host, lo, hi);
	in(u->params, lo, hi);
	in(u->headers, lo, hi);
	in(u->opaque, lo, hi);
	CHECK(u->scheme_id <= SE_SIP_SCHEME_SIPS);
	CHECK(u->host_type <= SE_SIP_HOST_NAME);
}

static void
check_via(const struct se_sip_via *v, uint32_t lo, uint32_t hi)
{
	in(v->entry, lo, hi);
	in(v->proto, lo, hi);
	in(v->version, lo, hi);
	in(v->transport, lo, hi);
	in(v->sent_by, lo, hi);
	in(v->host, lo, hi);
	in(v->params, lo, hi);
	in(v->branch, lo, hi);
	in(v->received, lo, hi);
	in(v->rport, lo, hi);
	in(v->maddr, lo, hi);
	CHECK(v->rport.off <= hi);
	CHECK(v->transport.len > 0 && v->host.len > 0);
}

static void
check_addr(const struct se_sip_addr *a, uint32_t lo, uint32_t hi)
{
	in(a->display, lo, hi);
	in(a->uri_span, lo, hi);
	in(a->hparams, lo, hi);
	in(a->tag, lo, hi);
	if (!(a->flags & SE_SIP_ADDR_STAR))
		check_uri(&a->uri, lo, hi);
}

/* Every decoder over span s; outputs must stay inside s. */
static void
decode_all(const uint8_t *buf, struct se_span s)
{
	uint32_t lo = s.off, hi = se_span_end(s);
	struct se_sip_via v;
	struct se_sip_addr a;
	struct se_sip_uri u;
	struct se_span p;
	uint32_t ip;

	if (se_sip_via_parse(buf, s, &v) == 0)
		check_via(&v, lo, hi);
	if (se_sip_addr_parse(buf, s, &a) == 0)
		check_addr(&a, lo, hi);
	if (se_sip_uri_parse(buf, s, &u) == 0)
		check_uri(&u, lo, hi);
	if (se_sip_param_find(buf, s, "tag", 3, &p)) {
		in(p, lo, hi);
		CHECK(p.off >= lo && p.off <= hi);
	}
	(void)se_sip_parse_ipv4(buf + s.off, s.len, &ip);
	(void)se_sip_hdr_lookup(buf + s.off, s.len);
	(void)se_sip_method_lookup(buf + s.off, s.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct se_sip_hdr hdrs[48];
	struct se_sip_entry entries[48];
	struct se_sip_msg msg;
	enum se_sip_status st;
	uint32_t len = (uint32_t)size;
	uint16_t i;
	int t;

	se_sip_msg_init(&msg, hdrs, 48, entries, 48);
	st = se_sip_parse(data, size, &msg);
	CHECK((unsigned)st < SE_SIP_STATUS_COUNT);
	CHECK(se_sip_status_name(st) != NULL && se_sip_strerror(st) != NULL);
	if (size > SE_SIP_MAX_LEN) {
		CHECK(st == SE_SIP_ERR_TOO_LARGE);
		return 0;
	}
	CHECK(msg.hdr_count <= 48 && msg.entry_count <= 48);
	in(msg.start_line, 0, len);
	in(msg.method, 0, len);
	in(msg.ruri, 0, len);
	in(msg.version, 0, len);
	in(msg.reason, 0, len);
	for (i = 0; i < msg.hdr_count; i++) {
		const struct se_sip_hdr *h = &hdrs[i];

		in(h->line, 0, len);
		CHECK(h->name.len > 0);
		in(h->name, h->line.off, se_span_end(h->line));
		in(h->value, h->line.off, se_span_end(h->line));
		CHECK(h->type < SE_SIP_HDR_COUNT);
		CHECK(msg.seen & SE_SIP_SEEN(h->type));
		CHECK(msg.first[h->type] <= i);
		CHECK(h->first_entry + h->n_entries <= msg.entry_count);
		if (!se_sip_hdr_is_list((enum se_sip_hdr_type)h->type))
			CHECK(h->n_entries == 0);
		decode_all(data, h->value);
	}
	for (t = 0; t < SE_SIP_HDR_COUNT; t++) {
		if (msg.first[t] == SE_SIP_NONE)
			continue;
		CHECK(msg.first[t] < msg.hdr_count && hdrs[msg.first[t]].type == t);
	}
	for (i = 0; i < msg.entry_count; i++) {
		const struct se_sip_entry *e = &entries[i];

		CHECK(e->hdr < msg.hdr_count && e->span.len > 0);
		in(e->span, hdrs[e->hdr].value.off, se_span_end(hdrs[e->hdr].value));
		decode_all(data, e->span);
	}
	if (st == SE_SIP_OK) {
		CHECK(msg.msg_len <= len && msg.body_off <= msg.msg_len);
		CHECK(msg.msg_len == msg.body_off + msg.body_len);
		CHECK(msg.hdrs_end < msg.body_off);
		CHECK(msg.call_id.len > 0);
		in(msg.call_id, 0, len);
		in(msg.cseq_method, 0, len);
		check_via(&msg.via, 0, len);
		check_addr(&msg.from, 0, len);
		check_addr(&msg.to, 0, len);
		CHECK(msg.max_forwards >= -1 && msg.max_forwards <= 255);
		CHECK(msg.content_length == -1 || msg.content_length == msg.body_len);
		CHECK(msg.cseq <= 0x7fffffffu);
		if (msg.is_request)
			check_uri(&msg.ruri_uri, msg.ruri.off, se_span_end(msg.ruri));
	}
	if (size > 0) {
		struct se_span whole = { 0, (uint16_t)size };

		decode_all(data, whole);
	}
	return 0;
}
