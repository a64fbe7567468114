/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_TEST_GUARD_H_
#define _SE_TEST_GUARD_H_

/*
 * Test inputs placed at the very end of a readable page that is followed by
 * a PROT_NONE page: reading one byte past the input faults.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guard {
	uint8_t *map;
	size_t map_len;
};

/* Copy @len bytes of @src so that they end where the guard page starts. */
static inline uint8_t *
guard_place(struct guard *g, const void *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (len + page - 1) / page + 1;
	uint8_t *p;

	g->map_len = (pages + 1) * page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED)
		return NULL;
	mprotect(g->map + pages * page, page, PROT_NONE);
	p = g->map + pages * page - len;
	memcpy(p, src, len);
	return p;
}

static inline void
guard_free(struct guard *g)
{
	if (g->map != NULL && g->map != MAP_FAILED)
		munmap(g->map, g->map_len);
	g->map = NULL;
}

#endif /* _SE_TEST_GUARD_H_ */
