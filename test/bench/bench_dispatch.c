/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/dispatch figures (scripts/bench.sh dispatch):
 * - lookup: XXH3 of a 40-byte Call-ID + Maglev slot, over a rotating set of
 *   keys; also the whole worker path (current table, key extraction, hash,
 *   lookup, backend) and the in-dialog lookup by address;
 * - table build for 8, 64 and 1024 backends.
 * Medians of several runs. Ends with "dispatch: N ns/lookup".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "se_dispatch.h"

#define N_KEYS 4096u    /* rotating set: a power of 2 */
#define KEY_LEN 40u
#define LOOKUPS 20000000u
#define RUNS 7
#define BUILD_RUNS 15

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static struct se_dispatch_config *
config_of(unsigned n)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char arg[96], err[256];

	for (unsigned i = 0; i < n; i++) {
		snprintf(arg, sizeof(arg), "10.1.%u.%u:5060,weight=%u", i / 250, 1 + i % 250,
			 1 + i % 4);
		if (se_dispatch_config_add_arg(cfg, arg, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			exit(1);
		}
	}
	return cfg;
}

/* Keys as a phone writes them: hex digits '@' host, 40 bytes. */
static uint8_t *
make_keys(void)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t *k = malloc((size_t)N_KEYS * KEY_LEN);
	uint64_t s = 1;

	for (unsigned i = 0; i < N_KEYS; i++) {
		uint8_t *p = k + (size_t)i * KEY_LEN;
		uint64_t a = rnd(&s), b = rnd(&s);

		for (int j = 0; j < 16; j++)
			p[j] = (uint8_t)hex[(a >> (4 * j)) & 15];
		for (int j = 0; j < 8; j++)
			p[16 + j] = (uint8_t)hex[(b >> (4 * j)) & 15];
		memcpy(p + 24, "@pc33.atlanta.com", 16);
	}
	return k;
}

static double
bench_lookup(const struct se_dispatch_table *t, const uint8_t *keys, uint64_t *sink)
{
	uint64_t t0 = now_ns(), acc = 0;

	for (uint32_t i = 0; i < LOOKUPS; i++) {
		const uint8_t *k = keys + (size_t)(i & (N_KEYS - 1)) * KEY_LEN;

		acc += (uint64_t)se_dispatch_lookup(t, 0, se_dispatch_hash(k, KEY_LEN));
	}
	*sink += acc;
	return (double)(now_ns() - t0) / LOOKUPS;
}

/* What a worker does per new call, on a message view it already has. */
static double
bench_worker_path(struct se_dispatch_pub *pub, uint8_t *msg_bufs, struct se_sip_msg *msg,
		  uint64_t *sink)
{
	uint64_t t0 = now_ns(), acc = 0;

	for (uint32_t i = 0; i < LOOKUPS; i++) {
		const struct se_dispatch_table *t = se_dispatch_current(pub);
		const uint8_t *buf = msg_bufs + (size_t)(i & (N_KEYS - 1)) * KEY_LEN;
		struct se_dispatch_key key;
		const struct se_dispatch_backend *b;

		if (se_dispatch_key(t, 0, buf, msg, NULL, 0, &key) != 0)
			continue;
		b = se_dispatch_backend(t, se_dispatch_lookup(t, 0, se_dispatch_key_hash(&key)));
		acc += b != NULL ? b->addr.port : 0;
	}
	*sink += acc;
	return (double)(now_ns() - t0) / LOOKUPS;
}

static double
bench_find(const struct se_dispatch_table *t, uint64_t *sink)
{
	uint64_t t0 = now_ns(), acc = 0;

	for (uint32_t i = 0; i < LOOKUPS; i++) {
		const struct se_dispatch_addr *a = &t->backends[i & 15].addr; /* 16 backends */

		acc += (uint64_t)se_dispatch_find(t, a->family, a->bytes, a->port);
	}
	*sink += acc;
	return (double)(now_ns() - t0) / LOOKUPS;
}

static double
bench_build(unsigned n, uint32_t *size)
{
	struct se_dispatch_config *cfg = config_of(n);
	double ms[BUILD_RUNS];

	for (int r = 0; r < BUILD_RUNS; r++) {
		uint64_t t0 = now_ns();
		struct se_dispatch_table *t = se_dispatch_table_build(cfg);

		ms[r] = (double)(now_ns() - t0) / 1e6;
		if (t == NULL) {
			perror("se_dispatch_table_build");
			exit(1);
		}
		*size = t->sets[0].size;
		se_dispatch_table_free(t);
	}
	se_dispatch_config_free(cfg);
	return median(ms, BUILD_RUNS);
}

int
main(void)
{
	struct se_dispatch_config *cfg = config_of(16);
	struct se_dispatch_pub pub;
	struct se_dispatch_table *t;
	struct se_sip_msg msg;
	double lk[RUNS], wp[RUNS], fd[RUNS];
	uint64_t sink = 0;
	uint8_t *keys = make_keys();
	uint32_t size;

	t = se_dispatch_table_build(cfg);
	if (t == NULL) {
		perror("se_dispatch_table_build");
		return 1;
	}
	se_dispatch_pub_init(&pub, NULL);
	se_dispatch_publish(&pub, t);
	/* Each "datagram" is just its Call-ID: the view points at bytes 0..39. */
	memset(&msg, 0, sizeof(msg));
	msg.call_id.off = 0;
	msg.call_id.len = KEY_LEN;

	for (int r = 0; r < RUNS; r++) {
		lk[r] = bench_lookup(t, keys, &sink);
		wp[r] = bench_worker_path(&pub, keys, &msg, &sink);
		fd[r] = bench_find(t, &sink);
	}
	printf("table: 16 backends, weights 1..4, %u slots; %u rotating 40-byte Call-IDs; "
	       "median of %d runs of %u\n", t->sets[0].size, N_KEYS, RUNS, LOOKUPS);
	printf("lookup (XXH3 + slot):                   %6.2f ns\n", median(lk, RUNS));
	printf("worker path (current, key, hash, slot): %6.2f ns\n", median(wp, RUNS));
	printf("find by address (in-dialog):            %6.2f ns\n", median(fd, RUNS));
	for (unsigned i = 0; i < 3; i++) {
		static const unsigned ns[3] = {8, 64, 1024};
		double ms = bench_build(ns[i], &size);

		printf("build %4u backends (%u slots):       %7.3f ms (median of %d)\n", ns[i],
		       size, ms, BUILD_RUNS);
	}
	se_dispatch_pub_fini(&pub);
	se_dispatch_config_free(cfg);
	free(keys);
	if (sink == 42)
		printf(" \n"); /* keeps the loops' results alive */
	printf("dispatch: %.1f ns/lookup\n", median(lk, RUNS));
	return 0;
}
