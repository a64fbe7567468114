/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guard's own cost without I/O, on the replay benchmark's traffic
 * (test/bench/gen_sip_pcap.py): per datagram, in ns, median of 21 runs of
 * 50 ms each over the whole capture (the stages interleaved, so that a
 * neighbour's load spreads over all of them),
 *   pre        se_guard_pre() of a source within its bucket (the normal case:
 *              one table lookup, LRU move, token taken)
 *   pre-churn  the same with a table 16 times too small: every datagram of a
 *              new source evicts the least recently seen one
 *   parsed     se_guard_parsed() right after se_sip_parse(), as the worker
 *              calls it (User-Agent scan, trusted, size, Proxy-Require): the
 *              difference between a parse followed by three calls and a
 *              parse followed by one, halved
 *   parse      se_sip_parse(), for scale
 *   banned     se_guard_pre() of a banned source (FLOOD_PCAP's flooders)
 * The ACL lookup (rte_lpm, one table load) needs EAL and is left out here;
 * scripts/bench/guard.sh measures it in place, with I/O.
 * usage: bench_guard PCAP FLOOD_PCAP
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "se_guard.h"
#include "se_sip.h"

#define RUNS 21
#define MAX_MSGS 65536

struct dgram {
	uint8_t *data;
	uint16_t len;
	uint32_t src_ip;
};

struct capture {
	struct dgram d[MAX_MSGS];
	unsigned int n;
};

static struct capture normal, flood;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The UDP payloads of an Ethernet/IPv4 pcap; only_flood: those from 100.64.0.0/10. */
static int
load(const char *path, struct capture *c, bool only_flood)
{
	FILE *f = fopen(path, "rb");
	static uint8_t frame[65536];
	uint8_t hdr[24], rec[16];

	if (f == NULL || fread(hdr, 1, 24, f) != 24)
		return -1;
	while (c->n < MAX_MSGS && fread(rec, 1, 16, f) == 16) {
		uint32_t incl, src;
		unsigned int ihl;
		struct dgram *d;

		memcpy(&incl, rec + 8, 4);
		if (incl > sizeof(frame) || fread(frame, 1, incl, f) != incl)
			break;
		ihl = (frame[14] & 15u) * 4;
		if (incl < 14 + ihl + 8)
			continue;
		memcpy(&src, frame + 14 + 12, 4);
		if (only_flood && (ntohl(src) & 0xffc00000u) != 0x64400000u)
			continue;
		d = &c->d[c->n++];
		d->len = (uint16_t)(incl - 14 - ihl - 8);
		d->data = malloc(d->len);
		memcpy(d->data, frame + 14 + ihl + 8, d->len);
		d->src_ip = src;
	}
	fclose(f);
	return c->n > 0 ? 0 : -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct se_guard *
guard(struct se_guard_params *p, uint32_t sources, uint32_t rate, uint32_t burst)
{
	size_t sz;
	void *mem;

	se_guard_params_defaults(p);
	p->hz = 1000000000ull;
	p->seed = 42;
	p->sources = sources;
	p->rate = rate;
	p->burst = burst;
	p->ban_s = 3600;
	sz = (se_guard_memsize(p) + 63) & ~(size_t)63;
	mem = aligned_alloc(64, sz);
	memset(mem, 0, sz);
	return se_guard_init(mem, p, (uint64_t)now_ns());
}

enum stage { LOOP, PRE, CHURN, PARSE, PARSED1, PARSED3, LOOP_FLOOD, BANNED, NB_STAGES };

static struct se_guard *g_ok, *g_churn, *g_ban;
static struct se_sip_msg msg;

/* One datagram through one stage; returns something for the sink. */
static uint64_t
one(enum stage stage, const struct dgram *d, uint64_t now)
{
	struct se_guard_key k = se_guard_key_v4(d->src_ip);
	struct se_guard_out out;
	uint64_t sink = d->data[d->len / 2];

	switch (stage) {
	case PRE:
		return sink + se_guard_pre(g_ok, k, SE_GUARD_ACL_NONE, now, &out);
	case CHURN:
		return sink + se_guard_pre(g_churn, k, SE_GUARD_ACL_NONE, now, &out);
	case BANNED:
		return sink + se_guard_pre(g_ban, k, SE_GUARD_ACL_NONE, now, &out);
	case PARSE:
	case PARSED1:
	case PARSED3:
		if (se_sip_parse(d->data, d->len, &msg) != SE_SIP_OK)
			return sink;
		sink += msg.hdr_count;
		for (int c = stage == PARSED3 ? 3 : stage == PARSED1 ? 1 : 0; c > 0; c--)
			sink += se_guard_parsed(g_ok, d->data, d->len, &msg, k, SE_GUARD_ACL_NONE,
						now, &out);
		return sink;
	default:
		return sink;
	}
}

int
main(int argc, char **argv)
{
	static struct se_sip_hdr hdrs[96];
	static struct se_sip_entry ents[128];
	struct se_guard_params p_ok, p_churn, p_ban;
	double res[NB_STAGES][RUNS], med[NB_STAGES];
	uint64_t sink = 0;

	if (argc != 3 || load(argv[1], &normal, false) != 0 || load(argv[2], &flood, true) != 0) {
		fprintf(stderr, "usage: %s PCAP FLOOD_PCAP (gen_sip_pcap.py --flood-share)\n",
			argv[0]);
		return 2;
	}
	/* a bucket no source of the capture ever empties, even replayed at full speed */
	g_ok = guard(&p_ok, SE_GUARD_DEFAULT_SOURCES, 10000000, 100000000);
	g_churn = guard(&p_churn, 256, 10000000, 100000000);
	/* the flooders banned by their first few datagrams */
	g_ban = guard(&p_ban, SE_GUARD_DEFAULT_SOURCES, 1, 1);
	for (unsigned int i = 0; i < flood.n; i++)
		se_guard_pre(g_ban, se_guard_key_v4(flood.d[i].src_ip), SE_GUARD_ACL_NONE,
			     (uint64_t)now_ns(), &(struct se_guard_out){ 0 });
	se_sip_msg_init(&msg, hdrs, 96, ents, 128);

	for (int run = 0; run < RUNS; run++) {
		for (int stage = 0; stage < NB_STAGES; stage++) {
			const struct capture *c = stage >= LOOP_FLOOD ? &flood : &normal;
			unsigned int reps = 0;
			double t0 = now_ns(), t1;

			do {
				uint64_t now = (uint64_t)now_ns();

				for (unsigned int i = 0; i < c->n; i++)
					sink += one((enum stage)stage, &c->d[i], now);
				reps++;
				t1 = now_ns();
			} while (t1 - t0 < 5e7);
			res[stage][run] = (t1 - t0) / ((double)reps * c->n);
		}
	}
	for (int stage = 0; stage < NB_STAGES; stage++) {
		qsort(res[stage], RUNS, sizeof(double), cmp_double);
		med[stage] = res[stage][RUNS / 2];
	}
	printf("%u datagrams (%u from flooders), ns/datagram (median of %d runs):\n", normal.n,
	       flood.n, RUNS);
	printf("  %-10s %6.1f ns (baseline: the loop itself)\n", "loop", med[LOOP]);
	printf("  %-10s %6.1f ns (a source within its bucket; %u tracked)\n", "pre",
	       med[PRE] - med[LOOP], se_guard_src_used(se_guard_sources(g_ok)));
	printf("  %-10s %6.1f ns (256 slots: evictions all the time)\n", "pre-churn",
	       med[CHURN] - med[LOOP]);
	printf("  %-10s %6.1f ns (se_sip_parse, for scale)\n", "parse", med[PARSE] - med[LOOP]);
	printf("  %-10s %6.1f ns (scanner, trusted, size, Proxy-Require checks)\n", "parsed",
	       (med[PARSED3] - med[PARSED1]) / 2);
	printf("  %-10s %6.1f ns (a banned source)\n", "banned", med[BANNED] - med[LOOP_FLOOD]);
	printf("(sink %llu)\n", (unsigned long long)(sink & 1));
	printf("guard: %.1f ns/datagram (pre + parsed), banned: %.1f ns\n",
	       med[PRE] - med[LOOP] + (med[PARSED3] - med[PARSED1]) / 2,
	       med[BANNED] - med[LOOP_FLOOD]);
	return 0;
}
