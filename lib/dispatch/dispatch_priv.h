/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_DISPATCH_PRIV_H_
#define _SE_DISPATCH_PRIV_H_

/* Inside lib/dispatch only. */

#include <stdarg.h>
#include <stdint.h>

#include "se_dispatch.h"

/* Options of one set as the configuration keeps them. */
struct dispatch_set_opts {
	uint32_t set_id;
	uint32_t size; /* 0: automatic */
	uint8_t key;
};

struct se_dispatch_config {
	struct se_dispatch_backend *b; /* in the order added */
	unsigned n;
	unsigned cap;
	struct dispatch_set_opts sets[SE_DISPATCH_MAX_SETS]; /* sets given options (--set) */
	unsigned n_sets;
};

/* One backend as the Maglev builder sees it. */
struct maglev_member {
	uint64_t offset; /* first slot of its permutation */
	uint64_t skip;   /* step of its permutation, 1..size-1 */
	uint32_t weight; /* > 0 */
	uint16_t id;     /* what its slots hold */
};

/*
 * Fill lookup[0..size) (size prime, n >= 1 members, weights > 0) with member
 * ids, each member claiming slots in proportion to its weight along its own
 * permutation. Returns 0 or -ENOMEM.
 */
int dispatch_maglev_populate(uint16_t *lookup, uint32_t size, const struct maglev_member *m,
			     unsigned n);

/* Permutation of a backend in a table of @size slots, from its identity. */
void dispatch_maglev_permutation(const struct se_dispatch_addr *a, uint32_t size,
				 uint64_t *offset, uint64_t *skip);

bool dispatch_is_prime(uint32_t n);

/* Smallest prime >= n (n <= SE_DISPATCH_MAX_SIZE). */
uint32_t dispatch_next_prime(uint32_t n);

/* Table size a set gets: explicit, or automatic for @count backends. */
uint32_t dispatch_set_size(uint32_t explicit_size, unsigned count);

/* Options of @set_id, or NULL. */
const struct dispatch_set_opts *dispatch_config_set_opts(const struct se_dispatch_config *cfg,
							 uint32_t set_id);

/* Backends of @set_id in @cfg. */
unsigned dispatch_config_set_count(const struct se_dispatch_config *cfg, uint32_t set_id);

/* Decimal digits only (@p len of them, at most 10), no sign, value <= @p max. */
bool dispatch_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *out);

/* snprintf into a caller's error buffer; NULL or 0-length buffers are fine. */
void dispatch_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* _SE_DISPATCH_PRIV_H_ */
