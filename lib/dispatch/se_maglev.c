/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted Maglev population (Eisenbud et al., NSDI 2016, section 3.4), with
 * weights handled in the spirit of Katran's and Cilium's variants: a backend
 * takes turns at claiming its next free slot at a rate proportional to its
 * weight.
 *
 * Turns are handed out in rounds over the members in canonical order. Each
 * round adds a member's weight to its credit; it then takes credit / q turns
 * in a row and keeps the remainder, with q = max(1, sum of weights / n). So a
 * round hands out about n turns whatever the weights, and the build costs
 * O(M + probes), where Katran's one-turn-per-round credit costs
 * O(M * n * max_weight / sum_weight) on skewed weights; a stride-scheduling
 * heap, tried first, spent twice as long in the heap as in the probes. After
 * r rounds a member has taken floor(r * weight / q) turns: within one turn
 * of its share. With equal weights every member takes one turn per round:
 * classic Maglev.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "dispatch_priv.h"

/* Fixed seeds: every edge must derive the same permutations. */
#define MAGLEV_SEED_OFFSET 0x5349504544474531ull /* "SIPEDGE1"; never change */
#define MAGLEV_SEED_SKIP 0x6d61676c65763031ull  /* "maglev01" */

bool
dispatch_is_prime(uint32_t n)
{
	if (n < 2)
		return false;
	if (n % 2 == 0)
		return n == 2;
	for (uint32_t d = 3; (uint64_t)d * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return true;
}

uint32_t
dispatch_next_prime(uint32_t n)
{
	while (!dispatch_is_prime(n))
		n++;
	return n;
}

uint32_t
dispatch_set_size(uint32_t explicit_size, unsigned count)
{
	uint64_t want = (uint64_t)count * SE_DISPATCH_SLOTS_PER_BACKEND;

	if (explicit_size != 0)
		return explicit_size;
	if (want <= SE_DISPATCH_DEFAULT_SIZE)
		return SE_DISPATCH_DEFAULT_SIZE;
	return dispatch_next_prime((uint32_t)want);
}

void
dispatch_maglev_permutation(const struct se_dispatch_addr *a, uint32_t size, uint64_t *offset,
			    uint64_t *skip)
{
	/*
	 * Hash a serialisation that does not depend on the host's byte order,
	 * so edges of different architectures agree too.
	 */
	uint8_t id[19];

	id[0] = a->family;
	id[1] = (uint8_t)(a->port >> 8);
	id[2] = (uint8_t)a->port;
	memcpy(id + 3, a->bytes, 16);
	*offset = XXH3_64bits_withSeed(id, sizeof(id), MAGLEV_SEED_OFFSET) % size;
	*skip = size > 1 ? XXH3_64bits_withSeed(id, sizeof(id), MAGLEV_SEED_SKIP) % (size - 1) + 1
			 : 1;
}

int
dispatch_maglev_populate(uint16_t *lookup, uint32_t size, const struct maglev_member *m,
			 unsigned n)
{
	uint64_t *credit, sum = 0, q;
	uint32_t *pos;
	uint32_t filled = 0;

	credit = calloc(n, sizeof(*credit));
	pos = malloc(n * sizeof(*pos));
	if (credit == NULL || pos == NULL) {
		free(credit);
		free(pos);
		return -ENOMEM;
	}
	for (uint32_t s = 0; s < size; s++)
		lookup[s] = SE_DISPATCH_NONE;
	for (unsigned i = 0; i < n; i++) {
		pos[i] = (uint32_t)m[i].offset;
		sum += m[i].weight;
	}
	q = sum / n > 0 ? sum / n : 1;

	while (filled < size) {
		for (unsigned i = 0; i < n && filled < size; i++) {
			uint32_t c = pos[i];
			uint32_t skip = (uint32_t)m[i].skip;

			credit[i] += m[i].weight;
			for (; credit[i] >= q && filled < size; credit[i] -= q) {
				/*
				 * Walk the permutation (offset + j * skip) mod
				 * size to the next free slot; size is prime, so
				 * the walk visits every slot and one is free
				 * while filled < size.
				 */
				while (lookup[c] != SE_DISPATCH_NONE) {
					c += skip;
					if (c >= size)
						c -= size;
				}
				lookup[c] = m[i].id;
				filled++;
				c += skip;
				if (c >= size)
					c -= size;
			}
			pos[i] = c;
		}
	}
	free(credit);
	free(pos);
	return 0;
}
