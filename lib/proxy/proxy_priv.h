/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _PROXY_PRIV_H_
#define _PROXY_PRIV_H_

/* Text formatting for what the proxy writes into messages. */

#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

/* Longest "255.255.255.255:65535". */
#define PROXY_HOSTPORT_MAX 21

static inline char *
fmt_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define FMT_LIT(p, lit) fmt_str((p), (lit), sizeof(lit) - 1)

static inline char *
fmt_u32(char *p, uint32_t v)
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
fmt_ipv4(char *p, uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	for (unsigned int i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = fmt_u32(p, b[i]);
	}
	return p;
}

static inline char *
fmt_hostport(char *p, uint32_t be, uint16_t port)
{
	p = fmt_ipv4(p, be);
	*p++ = ':';
	return fmt_u32(p, port);
}

static inline char *
fmt_hex(char *p, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		*p++ = digits[b[i] >> 4];
		*p++ = digits[b[i] & 15];
	}
	return p;
}

static inline char *
fmt_hex64(char *p, uint64_t v)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return fmt_hex(p, b, 8);
}

#endif /* _PROXY_PRIV_H_ */
