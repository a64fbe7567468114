/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _GUARD_PRIV_H_
#define _GUARD_PRIV_H_

/* What the parts of lib/guard share; never included from outside the folder. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Round up to a cache line. */
#define GUARD_ALIGN(x) (((size_t)(x) + 63) & ~(size_t)63)

static inline uint8_t
guard_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* token characters of RFC 3261 25.1: alphanum and -.!%*_+`'~ */
static inline bool
guard_is_token(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '!' || c == '%' || c == '*' || c == '_' || c == '+' ||
	       c == '`' || c == '\'' || c == '~';
}

#endif /* _GUARD_PRIV_H_ */
