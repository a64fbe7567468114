/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the NAT step costs on the proxy path: for each message, copy + parse
 * + se_proxy_process() + se_edit_apply() in ns/message with --nat-detect none
 * and with the default tests, median of 5 runs, and the difference:
 *   public-invite   a client not behind NAT: the detection alone
 *   nated-invite    Via and Contact private, source port changed: one Contact
 *   nated-register  two Contacts, Path added by the proxy
 *   nated-200       the callee's 200 from behind NAT: one Contact
 *   to-pinhole      the registrar's INVITE with se-alias in the Request-URI
 * usage: bench_nat
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "se_dispatch.h"
#include "se_edit.h"
#include "se_nat.h"
#include "se_proxy.h"
#include "se_sip.h"

#define HEAD 128
#define ROOM 2048
#define RUNS 5

struct msg_case {
	const char *name;
	const char *text;
	const char *src;
	uint16_t sport;
	bool from_internal;
};

#define SDP "v=0\r\no=a 1 1 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\n" \
	"m=audio 4000 RTP/AVP 0\r\n"
#define INVITE_HEAD(via, contact) "INVITE sip:bob@example.com SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP " via ";branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\n" \
	"To: Bob <sip:bob@example.com>\r\nFrom: Alice <sip:alice@example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 INVITE\r\n" \
	"Contact: <sip:alice@" contact ">\r\nUser-Agent: bench/1\r\n" \
	"Content-Type: application/sdp\r\nContent-Length: 93\r\n\r\n" SDP

static const struct msg_case cases[] = {
	{ "public-invite", INVITE_HEAD("203.0.113.10:5062", "203.0.113.10:5062"), "203.0.113.10",
	  5062, false },
	{ "nated-invite", INVITE_HEAD("192.168.1.20:5062", "192.168.1.20:5062"), "203.0.113.10",
	  40001, false },
	{ "nated-register", "REGISTER sip:example.com SIP/2.0\r\n"
	  "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKreg1;rport\r\nMax-Forwards: 70\r\n"
	  "To: <sip:alice@example.com>\r\nFrom: <sip:alice@example.com>;tag=r1\r\n"
	  "Call-ID: reg-1@pc33\r\nCSeq: 7 REGISTER\r\nSupported: path\r\n"
	  "Contact: <sip:alice@192.168.1.20:5062>;expires=3600;+sip.instance=\"<urn:uuid:1>\", "
	  "<sip:alice@192.168.1.20:5064;transport=udp>;expires=3600\r\n"
	  "Expires: 3600\r\nContent-Length: 0\r\n\r\n", "203.0.113.10", 40001, false },
	{ "nated-200", "SIP/2.0 200 OK\r\n"
	  "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKsE0011223344556677\r\n"
	  "Via: SIP/2.0/UDP 198.51.100.11:5060;branch=z9hG4bKkam1\r\n"
	  "Record-Route: <sip:203.0.113.1:5060;lr;sb=c633640b13c4>\r\n"
	  "To: <sip:alice@example.com>;tag=a1\r\nFrom: <sip:bob@example.com>;tag=b1\r\n"
	  "Call-ID: call-1@h\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@192.168.1.20:5062>\r\n"
	  "Content-Type: application/sdp\r\nContent-Length: 93\r\n\r\n" SDP,
	  "203.0.113.10", 40001, false },
	{ "to-pinhole", "INVITE sip:alice@203.0.113.10:40001;se-alias=192.168.1.20~5062 SIP/2.0\r\n"
	  "Via: SIP/2.0/UDP 198.51.100.11:5060;branch=z9hG4bKkam1\r\n"
	  "Route: <sip:198.51.100.1:5060;lr>\r\nMax-Forwards: 69\r\n"
	  "To: <sip:alice@example.com>\r\nFrom: <sip:bob@example.com>;tag=b1\r\n"
	  "Call-ID: call-1@h\r\nCSeq: 1 INVITE\r\nContact: <sip:bob@203.0.113.20:5070>\r\n"
	  "Content-Length: 0\r\n\r\n", "198.51.100.11", 5060, true },
};

#define NB_CASES (sizeof(cases) / sizeof(cases[0]))

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t sink;

/* ns per message of the whole SIP path for one case, one run of about 0.1 s */
static double
run_case(const struct se_proxy_params *pp, const struct se_dispatch_table *t,
	 const struct msg_case *c)
{
	static uint8_t work[ROOM];
	static struct se_sip_hdr hdrs[96];
	static struct se_sip_entry ents[128];
	static struct se_edit_plan plan;
	struct se_proxy_in in = { .src_port = c->sport, .from_internal = c->from_internal };
	size_t len = strlen(c->text);
	struct se_sip_msg msg;
	unsigned int reps = 0;
	double t0 = now_ns(), t1;

	inet_pton(AF_INET, c->src, &in.src_ip);
	se_sip_msg_init(&msg, hdrs, 96, ents, 128);
	do {
		for (unsigned int i = 0; i < 1000; i++) {
			struct se_proxy_out out;
			uint8_t *p = work + HEAD;
			int32_t shift;
			uint16_t nlen;

			memcpy(p, c->text, len);
			if (se_sip_parse(p, len, &msg) != SE_SIP_OK ||
			    se_proxy_process(pp, t, p, &msg, &in, &plan, &out) !=
			    SE_PROXY_FORWARD ||
			    se_edit_apply(&plan, p, msg.msg_len, HEAD,
					  (uint16_t)(ROOM - HEAD - len), &shift, &nlen) != 0) {
				fprintf(stderr, "%s: not forwarded\n", c->name);
				exit(1);
			}
			sink += nlen + out.nat.rewritten;
		}
		reps++;
		t1 = now_ns();
	} while (t1 - t0 < 1e8);
	return (t1 - t0) / (reps * 1000.0);
}

int
main(void)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_proxy_params pp = { .sip_port = 5060, .two_sided = true, .call_set = 1,
				      .register_set = 1, .seed = 42 };
	struct se_dispatch_table *t;
	double res[2][RUNS], step[NB_CASES];
	char err[128];

	inet_pton(AF_INET, "203.0.113.1", &pp.ext_ip);
	inet_pton(AF_INET, "198.51.100.1", &pp.int_ip);
	se_proxy_init(&pp);
	se_dispatch_config_add_arg(cfg, "198.51.100.11:5060", err, sizeof(err));
	se_dispatch_config_add_arg(cfg, "198.51.100.12:5060", err, sizeof(err));
	t = se_dispatch_table_build(cfg);
	if (t == NULL)
		return 1;
	printf("ns/message, copy+parse+proxy+edit, median of %d runs\n", RUNS);
	printf("  %-15s %9s %9s %9s\n", "message", "nat off", "nat on", "NAT step");
	for (size_t k = 0; k < NB_CASES; k++) {
		double med[2];

		for (int run = 0; run < RUNS; run++) {
			for (int on = 0; on < 2; on++) {
				pp.nat_detect = on ? SE_NAT_DETECT_DEFAULT : 0;
				res[on][run] = run_case(&pp, t, &cases[k]);
			}
		}
		for (int on = 0; on < 2; on++) {
			qsort(res[on], RUNS, sizeof(double), cmp_double);
			med[on] = res[on][RUNS / 2];
		}
		step[k] = med[1] - med[0];
		printf("  %-15s %9.1f %9.1f %9.1f\n", cases[k].name, med[0], med[1], step[k]);
	}
	printf("(sink %llu)\n", (unsigned long long)(sink & 1));
	printf("nat: %.1f ns to detect, %.1f ns to rewrite one Contact (%s)\n", step[0], step[1],
	       cases[1].name);
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
	return 0;
}
