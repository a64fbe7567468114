/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/nat: every detection test and both NAT steps on a
 * parsed datagram, the plan applied, and the result parsed again. Checks
 * that the edits always apply, that what the edge would send still parses
 * with the same number of Contacts, and that rewriting twice changes
 * nothing more (a rewritten Contact carries se-alias): only what found no
 * room in the plan the first time is rewritten the second. The restore of a
 * registrar's 2xx runs on its own and must leave a message that parses.
 * Every rewritten Contact, used as a Request-URI, is restored to exactly what
 * the client wrote.
 * ASan/UBSan catch the rest.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "se_edit.h"
#include "se_nat.h"
#include "se_sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

#define ROOM 8192
#define MAX 48

/* 203.0.113.10:40001, the source every message comes from */
static const uint8_t src_ip[4] = { 203, 0, 113, 10 };
#define SRC_PORT 40001

static unsigned int
contacts(const struct se_sip_msg *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->hdr_count; i++)
		if (m->hdrs[i].type == SE_SIP_HDR_CONTACT)
			n += m->hdrs[i].n_entries;
	return n;
}

static uint8_t out[ROOM + 65536 + ROOM];

/*
 * A rewritten Contact URI @p rew, used by a backend as Request-URI, comes
 * back from se_nat_to_client() as the client wrote it (@p orig).
 */
static void
round_trip(const uint8_t *orig, struct se_span ou, const uint8_t *rew, struct se_span ru)
{
	static const char tail[] = " SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.21;branch=z9hG4bKrt\r\n"
		"To: <sip:a@b>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: rt\r\nCSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	static uint8_t req[ROOM + 65536 + ROOM];
	static struct se_sip_hdr h[MAX];
	static struct se_sip_entry e[MAX];
	static struct se_edit_plan p;
	struct se_sip_msg m;
	struct se_nat_out o;
	uint8_t *r = req + ROOM;
	size_t n = 0;
	int32_t shift;
	uint16_t len;

	memcpy(r, "INVITE ", 7);
	n = 7;
	memcpy(r + n, rew + ru.off, ru.len);
	n += ru.len;
	memcpy(r + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	se_sip_msg_init(&m, h, MAX, e, MAX);
	/* a Request-URI cannot carry what some Contacts do (URI headers) */
	if (n > SE_SIP_MAX_LEN || se_sip_parse(r, n, &m) != SE_SIP_OK)
		return;
	se_edit_reset(&p);
	memset(&o, 0, sizeof(o));
	CHECK(se_nat_to_client(r, &m, &p, &o) && o.to_pinhole);
	CHECK(se_edit_apply(&p, r, (uint16_t)n, ROOM, ROOM, &shift, &len) == 0);
	se_sip_msg_init(&m, h, MAX, e, MAX);
	CHECK(se_sip_parse(r + shift, len, &m) == SE_SIP_OK);
	CHECK(m.ruri.len == ou.len && memcmp(r + shift + m.ruri.off, orig + ou.off, ou.len) == 0);
}

/* Contact entry k of a message, decoded (false when there is none or it is bad). */
static bool
contact_k(const uint8_t *buf, const struct se_sip_msg *m, unsigned int k, struct se_sip_addr *a)
{
	for (unsigned int i = 0; i < m->entry_count; i++)
		if (m->hdrs[m->entries[i].hdr].type == SE_SIP_HDR_CONTACT && k-- == 0)
			return se_sip_addr_parse(buf, m->entries[i].span, a) == 0;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct se_sip_hdr hdrs[MAX], ohdrs[MAX];
	static struct se_sip_entry ents[MAX], oents[MAX];
	static struct se_edit_plan plan;
	struct se_sip_msg msg, omsg;
	struct se_nat_out no;
	const uint32_t via = SE_NAT_VIA_PRIVATE | SE_NAT_VIA_RECEIVED | SE_NAT_VIA_RPORT_DIFFERS;
	uint32_t ip, fired;
	int32_t shift;
	uint16_t len;

	memcpy(&ip, src_ip, 4);
	se_sip_msg_init(&msg, hdrs, MAX, ents, MAX);
	if (size > SE_SIP_MAX_LEN || se_sip_parse(data, size, &msg) != SE_SIP_OK)
		return 0;
	fired = se_nat_detect(SE_NAT_DETECT_ALL, data, &msg, ip, SRC_PORT);
	CHECK((fired & ~SE_NAT_DETECT_ALL) == 0);
	if (!msg.is_request)
		CHECK((fired & via) == 0);

	se_edit_reset(&plan);
	memset(&no, 0, sizeof(no));
	se_nat_from_client(SE_NAT_DETECT_ALL, data, &msg, ip, SRC_PORT, &plan, &no);
	/* the NAT step stops at the Via tests when one of them fires */
	if (fired & via)
		fired &= via;
	CHECK(no.detected == fired || (!msg.is_request && no.detected == 0));
	if (msg.is_request)
		(void)se_nat_to_client(data, &msg, &plan, &no);
	CHECK(plan.n <= SE_EDIT_MAX && plan.scratch_len <= SE_EDIT_SCRATCH);

	memcpy(out + ROOM, data, msg.msg_len);
	CHECK(se_edit_apply(&plan, out + ROOM, msg.msg_len, ROOM, ROOM, &shift, &len) == 0);
	CHECK((int32_t)len == (int32_t)msg.msg_len + plan.growth);
	se_sip_msg_init(&omsg, ohdrs, MAX, oents, MAX);
	CHECK(se_sip_parse(out + ROOM + shift, len, &omsg) == SE_SIP_OK);
	CHECK(omsg.hdr_count == msg.hdr_count && contacts(&omsg) == contacts(&msg));
	CHECK(omsg.body_len == msg.body_len);

	/* each rewritten Contact comes back as the client wrote it */
	for (unsigned int k = 0; no.rewritten > 0 && k < contacts(&msg); k++) {
		struct se_sip_addr ai, ao;
		struct se_span v;

		if (!contact_k(data, &msg, k, &ai) || !contact_k(out + ROOM + shift, &omsg, k, &ao))
			continue;
		if (ai.uri.scheme_id != SE_SIP_SCHEME_SIP ||
		    se_sip_param_find(data, ai.uri.params, SE_NAT_ALIAS, SE_NAT_ALIAS_LEN, &v) ||
		    !se_sip_param_find(out + ROOM + shift, ao.uri.params, SE_NAT_ALIAS,
				       SE_NAT_ALIAS_LEN, &v))
			continue;
		round_trip(data, ai.uri_span, out + ROOM + shift, ao.uri_span);
	}

	/* once rewritten, a Contact is never rewritten again */
	if (no.rewritten > 0) {
		struct se_nat_out again;

		se_edit_reset(&plan);
		memset(&again, 0, sizeof(again));
		se_nat_fix_contacts(out + ROOM + shift, &omsg, ip, SRC_PORT, &plan, &again);
		CHECK(again.rewritten + again.skipped[SE_NAT_SKIP_NO_ROOM] ==
		      no.skipped[SE_NAT_SKIP_NO_ROOM]);
	}

	/* a registrar's answer on its way to the client at the same address */
	se_edit_reset(&plan);
	memset(&no, 0, sizeof(no));
	se_nat_register_reply(data, &msg, ip, SRC_PORT, &plan, &no);
	CHECK(no.restored <= contacts(&msg));
	memcpy(out + ROOM, data, msg.msg_len);
	CHECK(se_edit_apply(&plan, out + ROOM, msg.msg_len, ROOM, ROOM, &shift, &len) == 0);
	se_sip_msg_init(&omsg, ohdrs, MAX, oents, MAX);
	CHECK(se_sip_parse(out + ROOM + shift, len, &omsg) == SE_SIP_OK);
	CHECK(contacts(&omsg) == contacts(&msg));
	return 0;
}
