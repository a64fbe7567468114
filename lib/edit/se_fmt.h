/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_FMT_H_
#define _SE_FMT_H_

/**
 * @file
 * Writers for the text the edge puts into messages (lib/proxy, lib/nat):
 * each writes at @p p, never a NUL, and returns the end of what it wrote.
 * The caller sizes the buffer (SE_FMT_HOSTPORT_MAX for an address and port).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Longest "255.255.255.255:65535". */
#define SE_FMT_HOSTPORT_MAX 21

static inline char *
se_fmt_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define SE_FMT_LIT(p, lit) se_fmt_str((p), (lit), sizeof(lit) - 1)

static inline char *
se_fmt_u32(char *p, uint32_t v)
{
	char tmp[10];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static inline char *
se_fmt_ipv4(char *p, uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	for (unsigned int i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = se_fmt_u32(p, b[i]);
	}
	return p;
}

static inline char *
se_fmt_hostport(char *p, uint32_t be, uint16_t port)
{
	p = se_fmt_ipv4(p, be);
	*p++ = ':';
	return se_fmt_u32(p, port);
}

static inline char *
se_fmt_hex(char *p, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		*p++ = digits[b[i] >> 4];
		*p++ = digits[b[i] & 15];
	}
	return p;
}

static inline char *
se_fmt_hex64(char *p, uint64_t v)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return se_fmt_hex(p, b, 8);
}

#endif /* _SE_FMT_H_ */
