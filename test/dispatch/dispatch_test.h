/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_DISPATCH_TEST_H_
#define _SE_DISPATCH_TEST_H_

/* Helpers shared by the lib/dispatch tests. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "se_dispatch.h"

/* splitmix64: a fixed-seed generator, so every run sees the same keys. */
static inline uint64_t
test_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#define TEST_CALL_ID_LEN 40

/* A 40-byte Call-ID like a phone makes: 24 hex digits '@' a host name. */
static inline void
test_call_id(uint64_t *s, char out[TEST_CALL_ID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	static const char host[] = "@pc33.atlanta.com";
	uint64_t a = test_rand(s), b = test_rand(s);

	for (int i = 0; i < 16; i++)
		out[i] = hex[(a >> (4 * i)) & 15];
	for (int i = 0; i < 7; i++)
		out[16 + i] = hex[(b >> (4 * i)) & 15];
	out[23] = hex[(b >> 28) & 15];
	memcpy(out + 24, host, 16); /* 24 + 16 = 40: no NUL, as on the wire */
}

/* A configuration from --backend arguments; the test fails on a bad one. */
static inline struct se_dispatch_config *
test_config(const char *const *args, unsigned n)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	cr_assert(not(eq(ptr, cfg, NULL)));
	for (unsigned i = 0; i < n; i++) {
		int rc = se_dispatch_config_add_arg(cfg, args[i], err, sizeof(err));

		cr_assert(ge(int, rc, 0), "%s: %s", args[i], err);
	}
	return cfg;
}

/* Add backend number i (< 64000): 10.1.x.y:5060 with this weight, prio and set. */
static inline void
test_add_numbered(struct se_dispatch_config *cfg, unsigned i, unsigned weight, int32_t prio,
		  uint32_t set)
{
	char arg[96], err[256] = "";
	int rc;

	snprintf(arg, sizeof(arg), "10.1.%u.%u:5060,weight=%u,prio=%d,set=%u", i / 250,
		 1 + i % 250, weight, prio, set);
	rc = se_dispatch_config_add_arg(cfg, arg, err, sizeof(err));
	cr_assert(ge(int, rc, 0), "%s: %s", arg, err);
}

static inline struct se_dispatch_table *
test_build(const struct se_dispatch_config *cfg)
{
	struct se_dispatch_table *t = se_dispatch_table_build(cfg);

	cr_assert(not(eq(ptr, t, NULL)), "build failed: %s", strerror(errno));
	cr_assert(eq(u64, t->magic, SE_DISPATCH_TABLE_MAGIC));
	return t;
}

/* Backend chosen for a key, as an address (NULL: none). */
static inline const struct se_dispatch_addr *
test_pick(const struct se_dispatch_table *t, unsigned set_idx, const void *key, size_t len)
{
	int b = se_dispatch_lookup(t, set_idx, se_dispatch_hash(key, len));

	return b < 0 ? NULL : &t->backends[b].addr;
}

static inline bool
test_same_addr(const struct se_dispatch_addr *a, const struct se_dispatch_addr *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, sizeof(*a)) == 0;
}

#endif /* _SE_DISPATCH_TEST_H_ */
