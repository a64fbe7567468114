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
#include <string.h>

#if defined(__SSSE3__) && !defined(SE_SIP_NO_SIMD)
#include <immintrin.h>
#define SIP_SIMD 1
#endif

#include "se_sip.h"

/*
 * Forced inlining for the small decoders called from several places: it cut
 * the instructions of one INVITE parse by 5% (callgrind; bench_parse agrees).
 */
#define SIP_INLINE static inline __attribute__((always_inline))

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

/*
 * The same classes for 16 bytes at a time (PSHUFB nibble lookup): byte b is
 * in the class when lo[b & 15] has bit (b >> 4) set; bytes >= 0x80 never are.
 */
#define SIP_NIB_(cls, l) ((uint8_t)( \
	((SIP_CC_(0x00 | (l)) & (cls)) ? 0x01 : 0) | ((SIP_CC_(0x10 | (l)) & (cls)) ? 0x02 : 0) | \
	((SIP_CC_(0x20 | (l)) & (cls)) ? 0x04 : 0) | ((SIP_CC_(0x30 | (l)) & (cls)) ? 0x08 : 0) | \
	((SIP_CC_(0x40 | (l)) & (cls)) ? 0x10 : 0) | ((SIP_CC_(0x50 | (l)) & (cls)) ? 0x20 : 0) | \
	((SIP_CC_(0x60 | (l)) & (cls)) ? 0x40 : 0) | ((SIP_CC_(0x70 | (l)) & (cls)) ? 0x80 : 0)))
#define SIP_NIB_TBL_(cls) { \
	SIP_NIB_(cls, 0), SIP_NIB_(cls, 1), SIP_NIB_(cls, 2), SIP_NIB_(cls, 3), \
	SIP_NIB_(cls, 4), SIP_NIB_(cls, 5), SIP_NIB_(cls, 6), SIP_NIB_(cls, 7), \
	SIP_NIB_(cls, 8), SIP_NIB_(cls, 9), SIP_NIB_(cls, 10), SIP_NIB_(cls, 11), \
	SIP_NIB_(cls, 12), SIP_NIB_(cls, 13), SIP_NIB_(cls, 14), SIP_NIB_(cls, 15) }

/* Classes that have a nibble table, and the index of each in se_sip_nib. */
enum sip_nib {
	NIB_TOKEN,
	NIB_VAL,
	NIB_HOST,
	NIB_USER,
	NIB_PASS,
	NIB_PARAM,
	NIB_COUNT
};

/** Nibble tables of the classes of enum sip_nib; defined in se_sip_uri.c. */
extern const uint8_t se_sip_nib[NIB_COUNT][16];

#ifdef SIP_SIMD
/* Bit i set when byte i of v is NOT in the class of nibble table lo. */
static inline unsigned
nib_outside(__m128i v, const uint8_t *lo_tbl)
{
	const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)lo_tbl);
	const __m128i hi = _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)0x80,
					 0, 0, 0, 0, 0, 0, 0, 0);
	const __m128i m0f = _mm_set1_epi8(0x0f);
	__m128i a, b;

	/* PSHUFB reads the low nibble (and gives 0 for bytes >= 0x80: in no class) */
	a = _mm_shuffle_epi8(lo, v);
	b = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), m0f));

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(a, b),
							  _mm_setzero_si128()));
}
#endif

/*
 * End of the run of class bytes starting at p, at most end. lim (>= end) is
 * how far the buffer may be read: 16-byte loads are used while they fit.
 */
static inline uint32_t
run_of(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, enum sip_nib nib,
       uint16_t cls)
{
#ifdef SIP_SIMD
	while (p < end && lim - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
		unsigned out = nib_outside(v, se_sip_nib[nib]);

		if (out != 0) {
			p += (uint32_t)__builtin_ctz(out);
			return p < end ? p : end;
		}
		p += 16;
	}
	if (p >= end)
		return end;
#else
	(void)lim;
	(void)nib;
#endif
	while (p < end && cc_is(buf[p], cls))
		p++;
	return p;
}

/* First position of byte ch in [p, end), or end; reads up to lim (>= end). */
static inline uint32_t
find_byte(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, uint8_t ch)
{
#ifdef SIP_SIMD
	const __m128i c = _mm_set1_epi8((char)ch);

#ifdef __AVX2__
	/* a URI in <> is 30-60 bytes: 32 at a time */
	while (p < end && lim - p >= 32) {
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			_mm256_loadu_si256((const __m256i *)(const void *)(buf + p)),
			_mm256_broadcastb_epi8(c)));

		if (m != 0) {
			p += (uint32_t)__builtin_ctz(m);
			return p < end ? p : end;
		}
		p += 32;
	}
#endif
	while (p < end && lim - p >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(buf + p)), c));

		if (m != 0) {
			p += (uint32_t)__builtin_ctz(m);
			return p < end ? p : end;
		}
		p += 16;
	}
	if (p >= end)
		return end;
#else
	(void)lim;
#endif
	while (p < end && buf[p] != ch)
		p++;
	return p;
}

/* SP, HT, CR or LF: one compare and a bit test, cheaper than the table here. */
static inline bool
is_lws(uint8_t c)
{
	return c <= ' ' && ((1ull << c) & ((1ull << ' ') | (1ull << '\t') | (1ull << '\r') |
					  (1ull << '\n'))) != 0;
}

/* Skip LWS (SP, HT and folding CRLF) from p, not past end. */
static inline uint32_t
skip_lws(const uint8_t *buf, uint32_t p, uint32_t end)
{
	/* most calls find no LWS at all: one test of the first byte */
	if (p >= end || buf[p] > ' ')
		return p;
	while (p < end && is_lws(buf[p]))
		p++;
	return p;
}

/* Last position after trimming LWS off the end of [p, end). */
static inline uint32_t
trim_lws_end(const uint8_t *buf, uint32_t p, uint32_t end)
{
	if (end <= p || buf[end - 1] > ' ')
		return end;
	while (end > p && is_lws(buf[end - 1]))
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

/*
 * The decoders behind the public ones. lim (>= the span's end) is how far the
 * buffer may be read, so that 16-byte loads can run past a short span; the
 * public functions pass the span's end, se_sip_parse() the datagram's length.
 */
/** se_sip_addr_parse() with the defect told apart (enum sip_addr_rc). */
int se_sip_addr_decode(const uint8_t *buf, struct se_span s, uint32_t lim,
		       struct se_sip_addr *addr);
/** se_sip_uri_parse() with a read limit. */
int se_sip_uri_decode(const uint8_t *buf, struct se_span s, uint32_t lim, struct se_sip_uri *uri);
/** se_sip_via_parse() with a read limit. */
int se_sip_via_decode(const uint8_t *buf, struct se_span s, uint32_t lim, struct se_sip_via *via);

/*
 * Compare a token (or a URI scheme) with a lowercase literal: |0x20 lowers
 * the letters and maps no other token byte onto a letter or '-'.
 */
static inline bool
tok_eq(const uint8_t *p, uint32_t n, const char *lit, uint32_t litlen)
{
	uint32_t i;

	if (n != litlen)
		return false;
	for (i = 0; i < n; i++)
		if ((uint8_t)(p[i] | 0x20) != (uint8_t)lit[i])
			return false;
	return true;
}

/* The 8 bytes at p as a little-endian number; the caller knows they are in the buffer. */
static inline uint64_t
load64le(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The 4 bytes at p as a little-endian number; the caller knows they are in the buffer. */
static inline uint32_t
load32le(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* The first n (<= 8) bytes of a literal as a little-endian number: a constant once inlined. */
static inline uint64_t
lit64(const char *lit, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)(uint8_t)lit[i] << (8 * i);
	return v;
}

/*
 * tok_eq() for a literal of at most 8 bytes, with one 8-byte compare when
 * the bytes up to p + 8 may be read (p + 8 <= lim, p a buffer offset).
 */
static inline bool
tok_eq_lim(const uint8_t *buf, uint32_t p, uint32_t n, uint32_t lim, const char *lit,
	   uint32_t litlen)
{
	uint64_t mask;

	if (n != litlen)
		return false;
	if (lim - p < 8)
		return tok_eq(buf + p, n, lit, litlen);
	mask = n >= 8 ? UINT64_MAX : (1ull << (8 * n)) - 1;
	return ((load64le(buf + p) | 0x2020202020202020ull) & mask) == lit64(lit, litlen);
}

/*
 * The run of ASCII digits from p, before end, as a number: sets *q to its
 * end and *out to its value; false when the run is empty or its value
 * exceeds max (< 2^32). lim (>= end) is how far the buffer may be read.
 * Where 8 bytes fit, up to 7 digits are found and converted in one step
 * (SWAR: digit bytes by their nibbles, then pairs, quads and the whole by
 * multiply-and-shift), which covers the ports, CSeq numbers, Max-Forwards
 * and Content-Lengths of real traffic; longer runs go byte by byte.
 */
static inline bool
digit_run(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, uint32_t max, uint32_t *q,
	  uint32_t *out)
{
	uint32_t s = p, d;
	uint64_t v = 0;

	if (lim - p >= 8) {
		uint64_t w = load64le(buf + p), lo = w & 0x0f0f0f0f0f0f0f0full;
		/* non-zero bytes: high nibble not 3, or low nibble above 9 */
		uint64_t nd = ((w & 0xf0f0f0f0f0f0f0f0ull) ^ 0x3030303030303030ull) |
			      ((lo + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull);
		uint32_t k = nd == 0 ? 8 : (uint32_t)__builtin_ctzll(nd) / 8;

		if (k > end - p)
			k = end - p;
		if (k < 8) {
			*q = p + k;
			if (k == 0)
				return false;
			/* the k digits to the top bytes, first digit highest: leading zeros */
			v = lo << (64 - 8 * k);
			v = (v * 10 + (v >> 8)) & 0x00ff00ff00ff00ffull;
			v = (v * 100 + (v >> 16)) & 0x0000ffff0000ffffull;
			v = (v * 10000 + (v >> 32)) & 0xffffffffull;
			*out = (uint32_t)v;
			return v <= max;
		}
	}
	for (; p < end && (d = (uint32_t)buf[p] - '0') <= 9; p++) {
		v = v * 10 + d;
		if (v > max)
			v = (uint64_t)max + 1; /* stays above max without overflowing */
	}
	*q = p;
	*out = (uint32_t)v;
	return p != s && v <= max;
}

/*
 * Skip a quoted string that starts at the '"' at p, honouring backslash
 * escapes; reads up to lim (>= end). Returns the position after the closing
 * quote, or end + 1 when the string does not end before end. *ok is cleared
 * when it holds a byte qdtext / quoted-pair do not allow (RFC 3261 25.1:
 * controls other than HT, DEL, an escaped CR, LF or non-ASCII byte); raw
 * CR and LF are folding inside a validated header value.
 */
static inline uint32_t
skip_quoted(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim, bool *ok)
{
	for (p++; p < end; p++) {
		uint8_t c;

#ifdef SIP_SIMD
		/* to the next '"', '\\', control byte or DEL, 16 bytes at a time */
		while (lim - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
			__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
					     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
				_mm_or_si128(ctl, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)))));

			if (m != 0) {
				p += (uint32_t)__builtin_ctz(m);
				break;
			}
			p += 16;
		}
		if (p >= end)
			break;
#else
		(void)lim;
#endif
		c = buf[p];
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (++p >= end)
				break;
			c = buf[p];
			if (c == '\r' || c == '\n' || c >= 0x80)
				*ok = false;
		} else if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
			*ok = false;
		}
	}
	return end + 1;
}

#endif /* _SIP_PRIV_H_ */
