/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SIP part of the proxy path without I/O: for every datagram of a pcap
 * (test/bench/gen_sip_pcap.py, the replay benchmark's traffic), copied into
 * a buffer with an mbuf's headroom (as a NIC or net_pcap puts it in cache),
 * the cumulative cost of
 *   copy       the copy alone (the baseline, subtracted below)
 *   parse      + se_sip_parse()
 *   decide     + se_proxy_process() (Maglev over 3 backends, the edit plan)
 *   edit       + se_edit_apply() in place
 * in ns/message, median of 5 runs over the whole pcap. It shows what the
 * replay benchmark's proxy mode spends above its L2/L3 path.
 * usage: bench_proxy PCAP
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "se_dispatch.h"
#include "se_edit.h"
#include "se_proxy.h"
#include "se_sip.h"

#define HEAD 128
#define ROOM 2048
#define RUNS 5
#define MAX_MSGS 65536

struct dgram {
	uint8_t *data;
	uint16_t len;
	uint32_t src_ip;
	uint16_t src_port;
};

static struct dgram msgs[MAX_MSGS];
static unsigned int nb_msgs;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The UDP payloads of an Ethernet/IPv4 pcap as gen_sip_pcap.py writes it. */
static int
load(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t hdr[24], rec[16], frame[65536];

	if (f == NULL || fread(hdr, 1, 24, f) != 24)
		return -1;
	while (nb_msgs < MAX_MSGS && fread(rec, 1, 16, f) == 16) {
		uint32_t incl;
		unsigned int ihl;
		struct dgram *d;

		memcpy(&incl, rec + 8, 4);
		if (incl > sizeof(frame) || fread(frame, 1, incl, f) != incl)
			break;
		ihl = (frame[14] & 15u) * 4;
		if (incl < 14 + ihl + 8)
			continue;
		d = &msgs[nb_msgs++];
		d->len = (uint16_t)(incl - 14 - ihl - 8);
		d->data = malloc(ROOM);
		memcpy(d->data + HEAD, frame + 14 + ihl + 8, d->len);
		memcpy(&d->src_ip, frame + 14 + 12, 4);
		d->src_port = (uint16_t)(frame[14 + ihl] << 8 | frame[14 + ihl + 1]);
	}
	fclose(f);
	return nb_msgs > 0 ? 0 : -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static uint8_t work[ROOM];
	static struct se_sip_hdr hdrs[96];
	static struct se_sip_entry ents[128];
	static struct se_edit_plan plan;
	static const char *const names[] = { "copy", "parse", "decide", "edit" };
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	struct se_proxy_params pp = { .sip_port = 5060, .two_sided = true, .call_set = 1,
				      .register_set = 1, .seed = 42 };
	struct se_sip_msg msg;
	double res[4][RUNS], med[4];
	char err[128];
	uint64_t sink = 0;

	if (argc != 2 || load(argv[1]) != 0) {
		fprintf(stderr, "usage: %s PCAP (an Ethernet/IPv4/UDP capture)\n", argv[0]);
		return 2;
	}
	inet_pton(AF_INET, "203.0.113.1", &pp.ext_ip);
	inet_pton(AF_INET, "198.51.100.1", &pp.int_ip);
	se_proxy_init(&pp);
	se_dispatch_config_add_arg(cfg, "198.51.100.11:5060", err, sizeof(err));
	se_dispatch_config_add_arg(cfg, "198.51.100.12:5060", err, sizeof(err));
	se_dispatch_config_add_arg(cfg, "198.51.100.13:5060", err, sizeof(err));
	t = se_dispatch_table_build(cfg);
	se_sip_msg_init(&msg, hdrs, 96, ents, 128);

	for (int run = 0; run < RUNS; run++) {
		for (int stage = 0; stage < 4; stage++) {
			unsigned int reps = 0;
			double t0 = now_ns(), t1;

			do {
				for (unsigned int i = 0; i < nb_msgs; i++) {
					const struct dgram *d = &msgs[i];
					struct se_proxy_in in = { .src_ip = d->src_ip,
								  .src_port = d->src_port };
					struct se_proxy_out out;
					uint8_t *p = work + HEAD;
					int32_t shift;
					uint16_t nlen;

					/* edits are in place: every stage works on a fresh copy */
					memcpy(p, d->data + HEAD, d->len);
					sink += p[d->len / 2];
					if (stage == 0)
						continue;
					if (se_sip_parse(p, d->len, &msg) != SE_SIP_OK)
						continue;
					sink += msg.hdr_count;
					if (stage == 1)
						continue;
					if (se_proxy_process(&pp, t, p, &msg, &in, &plan, &out) !=
					    SE_PROXY_FORWARD)
						continue;
					sink += out.dst_port;
					if (stage == 3 && se_edit_apply(&plan, p, msg.msg_len, HEAD,
									ROOM - HEAD - d->len, &shift,
									&nlen) == 0)
						sink += nlen;
				}
				reps++;
				t1 = now_ns();
			} while (t1 - t0 < 2e8);
			res[stage][run] = (t1 - t0) / ((double)reps * nb_msgs);
		}
	}
	for (int stage = 0; stage < 4; stage++) {
		qsort(res[stage], RUNS, sizeof(double), cmp_double);
		med[stage] = res[stage][RUNS / 2];
	}
	printf("%u datagrams, ns/message (median of %d runs), each stage's own cost:\n", nb_msgs,
	       RUNS);
	printf("  %-7s %7.1f ns (baseline)\n", names[0], med[0]);
	for (int stage = 1; stage < 4; stage++)
		printf("  %-7s %7.1f ns\n", names[stage], med[stage] - med[stage - 1]);
	printf("(sink %llu)\n", (unsigned long long)(sink & 1));
	printf("proxy: %.1f ns/message\n", med[3] - med[0]);
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
	return 0;
}
