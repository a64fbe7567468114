/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parse benchmark: the cost of se_sip_parse() to a full header index for a
 * realistic INVITE with SDP and a BYE. Each message is parsed in a loop long
 * enough for >= 0.2 s, five runs, median reported. Ends with the line
 * "parse: N ns/INVITE".
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "se_sip.h"

static const char invite[] =
	"INVITE sip:+4930123456789@carrier.example.net:5060;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bK-524287-1---a1b2c3d4e5f60718;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: \"Alice Example\" <sip:+4930111222333@pbx.example.org>;tag=8f3a2b1c\r\n"
	"To: \"Carrier Gateway\" <sip:+4930123456789@carrier.example.net>\r\n"
	"Call-ID: a84b4c76e66710f2ad31c0b5d8e6c2f1@198.51.100.23\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:+4930111222333@198.51.100.23:5060;transport=udp>\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, PRACK, UPDATE, REFER, NOTIFY\r\n"
	"Supported: replaces, timer, 100rel\r\n"
	"Session-Expires: 1800;refresher=uac\r\n"
	"User-Agent: ExamplePBX/16.2.1 (build 4711)\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 229\r\n"
	"\r\n"
	"v=0\r\n"
	"o=alice 2890844526 2890844526 IN IP4 198.51.100.23\r\n"
	"s=ExamplePBX call\r\n"
	"c=IN IP4 198.51.100.23\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 8 0 101\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=sendrecv\r\n";

static const char bye[] =
	"BYE sip:+4930123456789@203.0.113.80:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bK-524287-1---f00dfeedbeef0042;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: \"Alice Example\" <sip:+4930111222333@pbx.example.org>;tag=8f3a2b1c\r\n"
	"To: <sip:+4930123456789@carrier.example.net>;tag=as5e7d2c11\r\n"
	"Call-ID: a84b4c76e66710f2ad31c0b5d8e6c2f1@198.51.100.23\r\n"
	"CSeq: 314160 BYE\r\n"
	"User-Agent: ExamplePBX/16.2.1 (build 4711)\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

#define RUNS 5

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median ns per parse of msg over RUNS runs of >= 0.2 s each. */
static double
bench(const char *name, const uint8_t *msg, size_t len)
{
	struct se_sip_hdr hdrs[64];
	struct se_sip_entry entries[64];
	struct se_sip_msg m;
	double runs[RUNS];
	unsigned long iters = 1000, sink = 0;
	int r;

	se_sip_msg_init(&m, hdrs, 64, entries, 64);
	if (se_sip_parse(msg, len, &m) != SE_SIP_OK) {
		fprintf(stderr, "bench_parse: the %s does not parse\n", name);
		exit(1);
	}
	/* calibrate: iterations for about 0.25 s */
	for (;;) {
		double t0 = now_ns(), dt;
		unsigned long i;

		for (i = 0; i < iters; i++) {
			sink += (unsigned long)se_sip_parse(msg, len, &m) + m.hdr_count;
			__asm__ volatile("" : : "r"(&m) : "memory");
		}
		dt = now_ns() - t0;
		if (dt >= 2e7) {
			iters = (unsigned long)((double)iters * 2.5e8 / dt) + 1;
			break;
		}
		iters *= 4;
	}
	for (r = 0; r < RUNS; r++) {
		double t0 = now_ns();
		unsigned long i;

		for (i = 0; i < iters; i++) {
			sink += (unsigned long)se_sip_parse(msg, len, &m) + m.hdr_count;
			__asm__ volatile("" : : "r"(&m) : "memory");
		}
		runs[r] = (now_ns() - t0) / (double)iters;
	}
	qsort(runs, RUNS, sizeof(runs[0]), cmp_double);
	printf("%-7s %5zu bytes %3u headers: %7.1f ns/message %12.0f messages/s "
	       "(runs %.1f..%.1f ns, %lu iterations each)\n",
	       name, len, m.hdr_count, runs[RUNS / 2], 1e9 / runs[RUNS / 2], runs[0],
	       runs[RUNS - 1], iters);
	if (sink == 0)
		printf("(sink)\n");
	return runs[RUNS / 2];
}

int
main(void)
{
	double inv;

	inv = bench("INVITE", (const uint8_t *)invite, sizeof(invite) - 1);
	bench("BYE", (const uint8_t *)bye, sizeof(bye) - 1);
	printf("parse: %.0f ns/INVITE\n", inv);
	return 0;
}
