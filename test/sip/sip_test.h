/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SIP_TEST_H_
#define _SIP_TEST_H_

/*
 * Helpers for the lib/sip tests: every parser input is copied to the end of
 * a mapping whose next page is PROT_NONE, so that reading one byte past the
 * datagram crashes the test instead of passing silently.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "se_sip.h"

/** Typed truth asserts (the new assert API takes no leading '!'). */
#define assert_true(x) cr_assert(eq(int, !!(x), 1), "%s", #x)
#define assert_false(x) cr_assert(eq(int, !!(x), 0), "not %s", #x)

/** A copy of some bytes that ends right before an inaccessible page. */
struct guarded {
	uint8_t *map;    /**< the mapping */
	size_t map_len;  /**< its length, guard page included */
	uint8_t *data;   /**< the copy: data[len] is the first byte of the guard page */
	size_t len;      /**< length of the copy */
};

static inline void
guard_put(struct guarded *g, const void *bytes, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + page - 1) / page * page;

	g->map_len = body + page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert(g->map != MAP_FAILED, "mmap failed");
	cr_assert(mprotect(g->map + body, page, PROT_NONE) == 0, "mprotect failed");
	g->data = g->map + body - len;
	g->len = len;
	if (len != 0)
		memcpy(g->data, bytes, len);
}

static inline void
guard_free(struct guarded *g)
{
	if (g->map != NULL)
		munmap(g->map, g->map_len);
	g->map = NULL;
}

/** Storage for one parse: the message, its arrays and the guarded input. */
struct parsed {
	struct guarded g;
	struct se_sip_hdr hdrs[128];
	struct se_sip_entry entries[128];
	struct se_sip_msg msg;
	enum se_sip_status st;
};

/** Parse len bytes at bytes (copied before a guard page) into p. */
static inline enum se_sip_status
parse_bytes(struct parsed *p, const void *bytes, size_t len)
{
	guard_put(&p->g, bytes, len);
	se_sip_msg_init(&p->msg, p->hdrs, 128, p->entries, 128);
	p->st = se_sip_parse(p->g.data, p->g.len, &p->msg);
	return p->st;
}

/** Parse a C string (without its NUL). */
static inline enum se_sip_status
parse_str(struct parsed *p, const char *s)
{
	return parse_bytes(p, s, strlen(s));
}

static inline void
parsed_free(struct parsed *p)
{
	guard_free(&p->g);
}

/** Assert that span s of buf holds exactly the n bytes at want. */
#define assert_span_mem(buf, s, want, n) do { \
	struct se_span s_ = (s); \
	size_t n_ = (n); \
	cr_assert(eq(sz, (size_t)s_.len, n_), "span length %u, expected %zu", s_.len, n_); \
	cr_assert(memcmp((buf) + s_.off, (want), n_) == 0, "span is \"%.*s\", expected \"%.*s\"", \
		  (int)s_.len, (const char *)(buf) + s_.off, (int)n_, (const char *)(want)); \
} while (0)

/** Assert that span s of buf holds exactly the C string want. */
#define assert_span(buf, s, want) assert_span_mem(buf, s, want, strlen(want))

/** A span of a C string held in a guarded copy, for the on-demand decoders. */
static inline struct se_span
span_all(const struct guarded *g)
{
	struct se_span s = { 0, (uint16_t)g->len };
	return s;
}

/** Read a whole file into memory (test input), or fail the test. */
static inline uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	cr_assert(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert(buf != NULL);
	cr_assert(fread(buf, 1, (size_t)n, f) == (size_t)n, "short read on %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/** Path of a corpus file: $SE_CORPUS_DIR/name (set by test/sip/meson.build). */
static inline void
corpus_path(char *out, size_t n, const char *name)
{
	const char *dir = getenv("SE_CORPUS_DIR");
	int r;

	cr_assert(dir != NULL, "SE_CORPUS_DIR is not set");
	r = snprintf(out, n, "%s/%s", dir, name);
	cr_assert(r > 0 && (size_t)r < n, "corpus path too long");
}

#endif /* _SIP_TEST_H_ */
