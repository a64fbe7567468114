/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SIP_PRIV_H_
#define _SIP_PRIV_H_

/*
 * Private to lib/sip: the character-class table and the decoders shared by
 * se_sip.c and se_sip_uri.c. Positions inside the parser are uint32_t so that
 * "offset + length" never wraps.
 */

#include <stdbool.h>
#include <stdint.h>

#include "se_sip.h"

/* Character classes (RFC 3261 section 25.1), one bit each. */
#define CC_TOKEN  (1u << 0)  /* token: alphanum - . ! % * _ + ` ' ~ */
#define CC_LWS    (1u << 1)  /* SP HT CR LF: inside a value CR/LF only occur as folding */
#define CC_DIGIT  (1u << 2)
#define CC_HEX    (1u << 3)
#define CC_ALPHA  (1u << 4)
#define CC_HOST   (1u << 5)  /* hostname and IPv4: alphanum - . */
#define CC_SCHEME (1u << 6)  /* alphanum + - . */
#define CC_USER   (1u << 7)  /* unreserved / user-unreserved: & = + $ , ; ? / */
#define CC_PASS   (1u << 8)  /* unreserved & = + $ , */
#define CC_PARAM  (1u << 9)  /* paramchar without escapes: unreserved [ ] / : & + $ */
#define CC_HNV    (1u << 10) /* hname/hvalue without escapes: unreserved [ ] / ? : + $ */
#define CC_URIC   (1u << 11) /* uric: reserved / unreserved (escapes checked apart) */
#define CC_LIST   (1u << 12) /* bytes the list splitter looks at: , " < */
#define CC_VAL    (1u << 13) /* gen-value without quotes: token / host ([ ] :) */

#define SIP_ISALNUM_(c) (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') || \
			 ((c) >= 'A' && (c) <= 'Z'))
#define SIP_MARK_(c) ((c) == '-' || (c) == '_' || (c) == '.' || (c) == '!' || (c) == '~' || \
		      (c) == '*' || (c) == '\'' || (c) == '(' || (c) == ')')
#define SIP_UNRES_(c) (SIP_ISALNUM_(c) || SIP_MARK_(c))
#define SIP_TOKEN_(c) (SIP_ISALNUM_(c) || (c) == '-' || (c) == '.' || (c) == '!' || \
		       (c) == '%' || (c) == '*' || (c) == '_' || (c) == '+' || (c) == '`' || \
		       (c) == '\'' || (c) == '~')
#define SIP_RESERVED_(c) ((c) == ';' || (c) == '/' || (c) == '?' || (c) == ':' || \
			  (c) == '@' || (c) == '&' || (c) == '=' || (c) == '+' || \
			  (c) == '$' || (c) == ',')

/* The class bits of byte c, as a constant expression (builds the table). */
#define SIP_CC_(c) ((uint16_t)( \
	(SIP_TOKEN_(c) ? CC_TOKEN : 0) | \
	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n' ? CC_LWS : 0) | \
	((c) >= '0' && (c) <= '9' ? CC_DIGIT : 0) | \
	(((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'f') || \
	 ((c) >= 'A' && (c) <= 'F') ? CC_HEX : 0) | \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ? CC_ALPHA : 0) | \
	(SIP_ISALNUM_(c) || (c) == '-' || (c) == '.' ? CC_HOST : 0) | \
	(SIP_ISALNUM_(c) || (c) == '+' || (c) == '-' || (c) == '.' ? CC_SCHEME : 0) | \
	(SIP_UNRES_(c) || (c) == '&' || (c) == '=' || (c) == '+' || (c) == '$' || \
	 (c) == ',' || (c) == ';' || (c) == '?' || (c) == '/' ? CC_USER : 0) | \
	(SIP_UNRES_(c) || (c) == '&' || (c) == '=' || (c) == '+' || (c) == '$' || \
	 (c) == ',' ? CC_PASS : 0) | \
	(SIP_UNRES_(c) || (c) == '[' || (c) == ']' || (c) == '/' || (c) == ':' || \
	 (c) == '&' || (c) == '+' || (c) == '$' ? CC_PARAM : 0) | \
	(SIP_UNRES_(c) || (c) == '[' || (c) == ']' || (c) == '/' || (c) == '?' || \
	 (c) == ':' || (c) == '+' || (c) == '$' ? CC_HNV : 0) | \
	(SIP_UNRES_(c) || SIP_RESERVED_(c) ? CC_URIC : 0) | \
	((c) == ',' || (c) == '"' || (c) == '<' ? CC_LIST : 0) | \
	(SIP_TOKEN_(c) || (c) == ':' || (c) == '[' || (c) == ']' ? CC_VAL : 0)))

/** Class bits of every byte; defined once in se_sip_uri.c, read-only. */
extern const uint16_t se_sip_cc[256];

static inline bool
cc_is(uint8_t c, uint16_t cls)
{
	return (se_sip_cc[c] & cls) != 0;
}

/* Skip LWS (SP, HT and folding CRLF) from p, not past end. */
static inline uint32_t
skip_lws(const uint8_t *buf, uint32_t p, uint32_t end)
{
	while (p < end && cc_is(buf[p], CC_LWS))
		p++;
	return p;
}

/* Last position after trimming LWS off the end of [p, end). */
static inline uint32_t
trim_lws_end(const uint8_t *buf, uint32_t p, uint32_t end)
{
	while (end > p && cc_is(buf[end - 1], CC_LWS))
		end--;
	return end;
}

static inline struct se_span
mkspan(uint32_t off, uint32_t end)
{
	struct se_span s = { (uint16_t)off, (uint16_t)(end - off) };
	return s;
}

/* Outcome of the internal address decoder, finer than the public -errno. */
enum sip_addr_rc {
	SIP_ADDR_OK = 0,
	SIP_ADDR_BAD,    /* malformed */
	SIP_ADDR_QUOTE,  /* quoted string without closing quote */
	SIP_ADDR_ANGLE,  /* '<' without '>' */
};

/** se_sip_addr_parse() with the defect told apart (enum sip_addr_rc). */
int se_sip_addr_decode(const uint8_t *buf, struct se_span s, struct se_sip_addr *addr);

/**
 * Skip a quoted string that starts at the '"' at p, honouring backslash
 * escapes. Returns the position after the closing quote, or end + 1 when
 * the string does not end before end.
 */
uint32_t se_sip_skip_quoted(const uint8_t *buf, uint32_t p, uint32_t end);

#endif /* _SIP_PRIV_H_ */
