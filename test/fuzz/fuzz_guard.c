/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/guard's questions on hostile input: the input is
 * parsed, then se_guard_parsed() or se_guard_unparsed() decides; a reply is
 * built with lib/proxy's se_proxy_reply() from the view the guard salvaged
 * (or from its rebuilt copy) and must fit and parse as a response. The
 * scanner list, the prefix and rate parsers run over the raw input too.
 * ASan/UBSan catch any read outside the input.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "se_guard.h"
#include "se_proxy.h"
#include "se_sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static struct se_guard_params gp;
static struct se_proxy_params pp;
static struct se_guard *g;
static uint64_t now = 1000000000ull;

static void
setup(void)
{
	static uint8_t mem[64 * 1024] __attribute__((aligned(64)));

	se_guard_params_defaults(&gp);
	gp.hz = 1000000000ull;
	gp.sources = 64;
	gp.rate = 5;
	gp.max_size = 600;
	gp.scanner_ban_s = 10;
	gp.trusted_registers = true;
	gp.reply_rate = 1000000;
	gp.reply_burst = 1000000;
	(void)se_guard_params_add_option(&gp, "sec-agree");
	CHECK(se_guard_memsize(&gp) <= sizeof(mem));
	g = se_guard_init(mem, &gp, now);
	CHECK(g != NULL);
	pp.ext_ip = 0x0100710bu;
	pp.int_ip = 0x016433c6u;
	pp.sip_port = 5060;
	pp.two_sided = true;
	pp.seed = 5;
}

static void
check_reply(const struct se_guard_out *out, const struct se_sip_msg *msg)
{
	static uint8_t r[SE_PROXY_REPLY_MAX];
	static struct se_sip_hdr rh[64];
	static struct se_sip_entry re[64];
	struct se_proxy_in in = { .src_ip = 0x0a00000au, .src_port = 40000 };
	struct se_proxy_out po;
	struct se_sip_msg rm;
	int n;

	CHECK(out->code >= 400 && out->code <= 599 && out->phrase != NULL && out->buf != NULL);
	CHECK(se_guard_can_answer(msg));
	CHECK(strlen(out->extra) < sizeof(out->extra));
	n = se_proxy_reply(&pp, out->buf, msg, &in, out->code, out->phrase,
			   out->extra[0] ? out->extra : NULL, r, sizeof(r), &po);
	if (n < 0)
		return; /* -ENOSPC: the worker drops it, counted */
	CHECK((size_t)n <= sizeof(r));
	se_sip_msg_init(&rm, rh, 64, re, 64);
	/* the reply repeats the request's fields: it parses as far as they do */
	if (se_sip_parse(r, (size_t)n, &rm) == SE_SIP_OK) {
		CHECK(!rm.is_request && rm.status == out->code);
		CHECK(rm.to.flags & SE_SIP_ADDR_TAG);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct se_sip_hdr hdrs[96];
	static struct se_sip_entry entries[128];
	static uint8_t fix[SE_GUARD_FIX_MAX];
	struct se_guard_key k = se_guard_key_v4(size >= 4 ? (uint32_t)data[0] << 24 | data[1] : 7);
	struct se_guard_out out;
	struct se_sip_msg msg;
	enum se_sip_status st;
	enum se_guard_verdict v;
	char text[64];

	if (g == NULL)
		setup();
	now += 1000000;
	(void)se_guard_pre(g, k, SE_GUARD_ACL_NONE, now, &out);
	CHECK(out.reason <= SE_STAT_COUNT && out.event <= SE_STAT_COUNT);

	se_sip_msg_init(&msg, hdrs, 96, entries, 128);
	st = se_sip_parse(data, size, &msg);
	if (st == SE_SIP_OK)
		v = se_guard_parsed(g, data, size, &msg, k, SE_GUARD_ACL_NONE, now, &out);
	else
		v = se_guard_unparsed(g, data, size, st, &msg, fix, sizeof(fix), now, &out);
	CHECK(v == SE_GUARD_PASS || v == SE_GUARD_DROP || v == SE_GUARD_REPLY);
	CHECK(st == SE_SIP_OK || v != SE_GUARD_PASS);
	if (v == SE_GUARD_DROP)
		CHECK(out.reason < SE_STAT_COUNT);
	if (v == SE_GUARD_REPLY) {
		CHECK(out.buf == data || out.buf == fix);
		check_reply(&out, &msg);
	}

	(void)se_guard_ua_match(&gp.ua, data, size);
	if (size < sizeof(text)) {
		struct se_guard_prefix p;
		uint32_t r, b;

		memcpy(text, data, size);
		text[size] = '\0';
		if (se_guard_prefix_parse(text, &p) == 0)
			CHECK(p.depth <= (p.family == AF_INET ? 32 : 128));
		if (se_guard_rate_parse(text, &r, &b) == 0)
			CHECK(r > 0 && b > 0);
	}
	return 0;
}
