/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * se_sip_parse(): start line, header index, list splitting and the checks a
 * proxy relies on. The header section is walked once; the body is never
 * scanned. Where the time goes and how it is kept down:
 *  - line ends: masks of the LF and control bytes of 64 bytes at a time
 *    (one AVX-512BW compare each, two AVX2 or four SSE2), shared by every
 *    line of the block; the last block is the 64 bytes that end at len (a
 *    datagram under 64 bytes is read byte by byte), so nothing is read past
 *    len;
 *  - header names: one 16-byte load finds the colon, and the type comes from
 *    a table on (first letter, length) and one 16-byte compare with the
 *    lowercase name; only unknown names pay for the token check (PSHUFB
 *    nibble lookup of the token class, sip_priv.h); rare forms (space
 *    before the colon, folding, control bytes) are out of line;
 *  - values: the usual single SP after the colon and a value with no LWS
 *    at either end cost two byte tests; each field is stored as two 8-byte
 *    words (hdr_set());
 *  - list values: commas, quotes and '<' are found 32 bytes at a time;
 *  - the start line: the method's token run gives the first SP and one
 *    8-byte compare of " SIP/2.0" the last; numbers (CSeq, Max-Forwards,
 *    Content-Length, ports) of up to 7 digits are read in one SWAR step;
 *  - counters stay in locals during the scan (stores through hdrs could
 *    alias them), vector constants are made once per message (GCC rebuilds
 *    them per use otherwise), and the decoders take a read limit so that
 *    their runs can use 16-byte loads past a short span but inside the
 *    datagram.
 * Checks that need the whole index (presence, duplicates, the CSeq method
 * against the request's) run after the scan, in a fixed order. Build with
 * -DSE_SIP_NO_SIMD for the scalar code alone (the tests run both).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "se_sip.h"
#include "sip_priv.h"

/* Header types that may appear once only (a second one is a defect). */
#define SINGLETONS (SE_SIP_SEEN(SE_SIP_HDR_CALL_ID) | SE_SIP_SEEN(SE_SIP_HDR_CSEQ) | \
		    SE_SIP_SEEN(SE_SIP_HDR_FROM) | SE_SIP_SEEN(SE_SIP_HDR_TO) | \
		    SE_SIP_SEEN(SE_SIP_HDR_MAX_FORWARDS) | \
		    SE_SIP_SEEN(SE_SIP_HDR_CONTENT_LENGTH))
#define LISTS (SE_SIP_SEEN(SE_SIP_HDR_VIA) | SE_SIP_SEEN(SE_SIP_HDR_ROUTE) | \
	       SE_SIP_SEEN(SE_SIP_HDR_RECORD_ROUTE) | SE_SIP_SEEN(SE_SIP_HDR_CONTACT) | \
	       SE_SIP_SEEN(SE_SIP_HDR_PATH))

/* "No line end before the end of the datagram." */
#define NO_EOL UINT32_MAX

/*
 * Line ends come from masks built 64 bytes at a time: one pass over a block
 * marks its LF bytes and its odd control bytes, and the lines in the block
 * take their ends from the LF mask one bit after the other. Header lines are
 * ~40 bytes, so a search per line would pay its setup for each and load most
 * blocks twice. A control byte is odd unless it is an LF or the byte before
 * one (a CR, or a control the line check sees anyway); in the usual message
 * no block has an odd byte, so lines need no check of their own. Blocks
 * advance by 63 bytes: the last byte of one is the first of the next, where
 * it is judged with the byte that follows it.
 */
#if defined(SIP_SIMD) && defined(__AVX512BW__)
typedef __m512i blk_vec;
#define BLK_SET1 _mm512_set1_epi8
#elif defined(SIP_SIMD) && defined(__AVX2__)
typedef __m256i blk_vec;
#define BLK_SET1 _mm256_set1_epi8
#elif defined(SIP_SIMD)
typedef __m128i blk_vec;
#define BLK_SET1 _mm_set1_epi8
#endif

struct eol_blk {
	uint32_t base; /* offset of bit 0 */
	uint64_t lf;   /* LF bytes not yet taken as a line end */
	uint64_t odd;  /* control bytes neither LF nor just before one */
#ifdef SIP_SIMD
	/*
	 * LF and 0x1f in every byte, made once: GCC would rebuild them from a
	 * general register for every block unless an empty asm hides their value.
	 */
	blk_vec k_lf, k_1f;
#endif
};

static inline void
blk_init(struct eol_blk *b)
{
#ifdef SIP_SIMD
	b->k_lf = BLK_SET1('\n');
	b->k_1f = BLK_SET1(0x1f);
	__asm__("" : "+v"(b->k_lf), "+v"(b->k_1f));
#else
	(void)b;
#endif
}

/* Masks of the 64 bytes from base, or of those before len (the rest read as 0). */
static inline void
blk_load(const uint8_t *buf, uint32_t len, uint32_t base, struct eol_blk *b)
{
	uint64_t lf = 0, ctl = 0;
	uint32_t i;

	b->base = base;
#ifdef SIP_SIMD
	if (len >= 64) {
		/* a short last block: load the 64 bytes that end at len, drop what precedes base */
		uint32_t at = len - base < 64 ? len - 64 : base, shift = base - at;
#if defined(__AVX512BW__)
		__m512i v = _mm512_loadu_si512((const void *)(buf + at));

		(void)i;
		lf = _mm512_cmpeq_epi8_mask(v, b->k_lf);
		ctl = _mm512_cmple_epu8_mask(v, b->k_1f);
#elif defined(__AVX2__)
		for (i = 0; i < 64; i += 32) {
			__m256i v = _mm256_loadu_si256(
				(const __m256i *)(const void *)(buf + at + i));

			lf |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				_mm256_cmpeq_epi8(v, b->k_lf)) << i;
			ctl |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
				_mm256_min_epu8(v, b->k_1f), v)) << i;
		}
#else
		for (i = 0; i < 64; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + at + i));

			lf |= (uint64_t)(uint32_t)_mm_movemask_epi8(
				_mm_cmpeq_epi8(v, b->k_lf)) << i;
			ctl |= (uint64_t)(uint32_t)_mm_movemask_epi8(
				_mm_cmpeq_epi8(_mm_min_epu8(v, b->k_1f), v)) << i;
		}
#endif
		lf >>= shift;
		ctl >>= shift;
	} else
#endif
	{
		for (i = 0; i < 64 && base + i < len; i++) {
			lf |= (uint64_t)(buf[base + i] == '\n') << i;
			ctl |= (uint64_t)(buf[base + i] <= 0x1f) << i;
		}
	}
	b->lf = lf;
	/* bit 63 is bit 0 of the next block (its follower is not in this one) */
	b->odd = ctl & ~lf & ~(lf >> 1) & (UINT64_MAX >> 1);
}

/* Odd control bytes of b in [x, e): x may precede the block, e (>= its base) follow it. */
static inline bool
blk_odd_in(const struct eol_blk *b, uint32_t x, uint32_t e)
{
	uint32_t lo = x > b->base ? x - b->base : 0, hi = e - b->base;
	uint64_t m = b->odd;

	if (hi < 64)
		m &= (1ull << hi) - 1;
	return lo < 64 && (m >> lo) != 0;
}

/*
 * End of the line that holds x, which follows the last line end taken from
 * b (lines are read in order): returns the position of its terminator (the
 * CR of CRLF, or a bare LF) and sets *next past it, or returns NO_EOL when
 * the datagram ends first. A control byte that may be a defect in [x, end of
 * line) sets *ctl; has_bad_ctl() then tells an HT from a real one.
 */
static inline uint32_t
blk_line_end(const uint8_t *buf, uint32_t len, struct eol_blk *b, uint32_t x, uint32_t *next,
	     bool *ctl)
{
	uint32_t q, le;
	uint8_t c;

	while (b->lf == 0) {
		if (b->odd != 0 && blk_odd_in(b, x, UINT32_MAX))
			*ctl = true;
		if (len - b->base <= 64)
			return NO_EOL;
		blk_load(buf, len, b->base + 63, b);
		/* bit 0 was bit 63 of the last block: an LF there is taken already */
		b->lf &= ~1ull;
	}
	q = b->base + (uint32_t)__builtin_ctzll(b->lf);
	b->lf &= b->lf - 1;
	/* q > x here, or q == x at an empty value that follows ':' or SP */
	c = buf[q - 1];
	le = c == '\r' ? q - 1 : q;
	if (c < 0x20 && c != '\r' && q > x)
		*ctl = true;
	if (b->odd != 0 && blk_odd_in(b, x, le))
		*ctl = true;
	*next = q + 1;
	return le;
}

/*
 * [p, e) holds a control byte other than HT (a NUL, a bare CR, ...); the
 * CRLF or LF between folded lines does not count. The masks only say that
 * some control byte is there; this tells an HT from a defect.
 */
static bool
has_bad_ctl(const uint8_t *buf, uint32_t p, uint32_t e)
{
	for (; p < e; p++) {
		uint8_t c = buf[p];

		if (c > 0x1f || c == '\t' || c == '\n')
			continue;
		if (c == '\r' && p + 1 < e && buf[p + 1] == '\n')
			continue;
		return true;
	}
	return false;
}

/*
 * A field holds a control byte: allowed only as a quoted-pair inside a
 * quoted string (RFC 3261 25.1; RFC 4475 3.1.1.2 has NUL, BEL and DEL so).
 * CR and LF are allowed only as a line end or folding.
 */
static bool
field_ctl_ok(const uint8_t *buf, uint32_t p, uint32_t end)
{
	bool inq = false;

	for (; p < end; p++) {
		uint8_t c = buf[p];

		if (inq && c == '\\') {
			if (p + 1 >= end || buf[p + 1] == '\r' || buf[p + 1] == '\n')
				return false;
			p++;
			continue;
		}
		if (c == '"') {
			inq = !inq;
		} else if (c == '\r') {
			if (p + 1 >= end || buf[p + 1] != '\n')
				return false;
		} else if (c < 0x20 && c != '\t' && c != '\n') {
			return false;
		}
	}
	return true;
}

/* Compare a token (header names are tokens) with a lowercase literal. */
static inline bool
name_is(const uint8_t *p, const char *lit, uint32_t n)
{
	return tok_eq(p, n, lit, n);
}

/* Compact forms, indexed by the lowercase letter. */
static const uint8_t compact[26] = {
	['c' - 'a'] = SE_SIP_HDR_CONTENT_TYPE,
	['e' - 'a'] = SE_SIP_HDR_CONTENT_ENCODING,
	['f' - 'a'] = SE_SIP_HDR_FROM,
	['i' - 'a'] = SE_SIP_HDR_CALL_ID,
	['k' - 'a'] = SE_SIP_HDR_SUPPORTED,
	['l' - 'a'] = SE_SIP_HDR_CONTENT_LENGTH,
	['m' - 'a'] = SE_SIP_HDR_CONTACT,
	['o' - 'a'] = SE_SIP_HDR_EVENT,
	['r' - 'a'] = SE_SIP_HDR_REFER_TO,
	['s' - 'a'] = SE_SIP_HDR_SUBJECT,
	['t' - 'a'] = SE_SIP_HDR_TO,
	['u' - 'a'] = SE_SIP_HDR_ALLOW_EVENTS,
	['v' - 'a'] = SE_SIP_HDR_VIA,
};

/* Classify a header name made of token bytes: dispatch on the first letter. */
static inline enum se_sip_hdr_type
classify(const uint8_t *p, uint32_t n)
{
	uint8_t c = (uint8_t)(p[0] | 0x20);

	if (c < 'a' || c > 'z')
		return SE_SIP_HDR_OTHER;
	if (n == 1)
		return (enum se_sip_hdr_type)compact[c - 'a'];
	p++;
	n--;
	switch (c) {
	case 'a':
		if (n == 11 && name_is(p, "llow-events", 11))
			return SE_SIP_HDR_ALLOW_EVENTS;
		break;
	case 'c':
		switch (n) {
		case 3:
			if (name_is(p, "seq", 3))
				return SE_SIP_HDR_CSEQ;
			break;
		case 6:
			if (name_is(p, "all-id", 6))
				return SE_SIP_HDR_CALL_ID;
			if (name_is(p, "ontact", 6))
				return SE_SIP_HDR_CONTACT;
			break;
		case 11:
			if (name_is(p, "ontent-type", 11))
				return SE_SIP_HDR_CONTENT_TYPE;
			break;
		case 13:
			if (name_is(p, "ontent-length", 13))
				return SE_SIP_HDR_CONTENT_LENGTH;
			break;
		case 15:
			if (name_is(p, "ontent-encoding", 15))
				return SE_SIP_HDR_CONTENT_ENCODING;
			break;
		}
		break;
	case 'e':
		if (n == 6 && name_is(p, "xpires", 6))
			return SE_SIP_HDR_EXPIRES;
		if (n == 4 && name_is(p, "vent", 4))
			return SE_SIP_HDR_EVENT;
		break;
	case 'f':
		if (n == 3 && name_is(p, "rom", 3))
			return SE_SIP_HDR_FROM;
		break;
	case 'm':
		if (n == 11 && name_is(p, "ax-forwards", 11))
			return SE_SIP_HDR_MAX_FORWARDS;
		break;
	case 'p':
		if (n == 3 && name_is(p, "ath", 3))
			return SE_SIP_HDR_PATH;
		if (n == 12 && name_is(p, "roxy-require", 12))
			return SE_SIP_HDR_PROXY_REQUIRE;
		break;
	case 'r':
		if (n == 4 && name_is(p, "oute", 4))
			return SE_SIP_HDR_ROUTE;
		if (n == 11 && name_is(p, "ecord-route", 11))
			return SE_SIP_HDR_RECORD_ROUTE;
		if (n == 6 && name_is(p, "equire", 6))
			return SE_SIP_HDR_REQUIRE;
		if (n == 7 && name_is(p, "efer-to", 7))
			return SE_SIP_HDR_REFER_TO;
		break;
	case 's':
		if (n == 8 && name_is(p, "upported", 8))
			return SE_SIP_HDR_SUPPORTED;
		if (n == 6 && name_is(p, "ubject", 6))
			return SE_SIP_HDR_SUBJECT;
		if (n == 5 && name_is(p, "erver", 5))
			return SE_SIP_HDR_SERVER;
		break;
	case 't':
		if (n == 1 && name_is(p, "o", 1))
			return SE_SIP_HDR_TO;
		break;
	case 'u':
		if (n == 9 && name_is(p, "ser-agent", 9))
			return SE_SIP_HDR_USER_AGENT;
		break;
	case 'v':
		if (n == 2 && name_is(p, "ia", 2))
			return SE_SIP_HDR_VIA;
		break;
	}
	return SE_SIP_HDR_OTHER;
}

#ifdef SIP_SIMD
/* Full names in lowercase, for the 16-byte compare (Content-Encoding takes the scalar path). */
static const char lc_names[SE_SIP_HDR_COUNT][16] __attribute__((aligned(16))) = {
	[SE_SIP_HDR_VIA] = "via",
	[SE_SIP_HDR_CALL_ID] = "call-id",
	[SE_SIP_HDR_FROM] = "from",
	[SE_SIP_HDR_TO] = "to",
	[SE_SIP_HDR_CSEQ] = "cseq",
	[SE_SIP_HDR_CONTACT] = "contact",
	[SE_SIP_HDR_MAX_FORWARDS] = "max-forwards",
	[SE_SIP_HDR_ROUTE] = "route",
	[SE_SIP_HDR_RECORD_ROUTE] = "record-route",
	[SE_SIP_HDR_PATH] = "path",
	[SE_SIP_HDR_CONTENT_LENGTH] = "content-length",
	[SE_SIP_HDR_CONTENT_TYPE] = "content-type",
	[SE_SIP_HDR_USER_AGENT] = "user-agent",
	[SE_SIP_HDR_EXPIRES] = "expires",
	[SE_SIP_HDR_REQUIRE] = "require",
	[SE_SIP_HDR_PROXY_REQUIRE] = "proxy-require",
	[SE_SIP_HDR_SUPPORTED] = "supported",
	[SE_SIP_HDR_SUBJECT] = "subject",
	[SE_SIP_HDR_EVENT] = "event",
	[SE_SIP_HDR_REFER_TO] = "refer-to",
	[SE_SIP_HDR_ALLOW_EVENTS] = "allow-events",
	[SE_SIP_HDR_SERVER] = "server",
};

/* The one candidate for (first letter, length); Call-ID and Contact share (c, 7). */
#define FL_(ch, n) [(ch) - 'a'][n]
static const uint8_t by_first_len[26][16] = {
	FL_('a', 12) = SE_SIP_HDR_ALLOW_EVENTS,
	FL_('c', 4) = SE_SIP_HDR_CSEQ,
	FL_('c', 7) = SE_SIP_HDR_CALL_ID,
	FL_('c', 12) = SE_SIP_HDR_CONTENT_TYPE,
	FL_('c', 14) = SE_SIP_HDR_CONTENT_LENGTH,
	FL_('e', 5) = SE_SIP_HDR_EVENT,
	FL_('e', 7) = SE_SIP_HDR_EXPIRES,
	FL_('f', 4) = SE_SIP_HDR_FROM,
	FL_('m', 12) = SE_SIP_HDR_MAX_FORWARDS,
	FL_('p', 4) = SE_SIP_HDR_PATH,
	FL_('p', 13) = SE_SIP_HDR_PROXY_REQUIRE,
	FL_('r', 5) = SE_SIP_HDR_ROUTE,
	FL_('r', 7) = SE_SIP_HDR_REQUIRE,
	FL_('r', 8) = SE_SIP_HDR_REFER_TO,
	FL_('r', 12) = SE_SIP_HDR_RECORD_ROUTE,
	FL_('s', 6) = SE_SIP_HDR_SERVER,
	FL_('s', 7) = SE_SIP_HDR_SUBJECT,
	FL_('s', 9) = SE_SIP_HDR_SUPPORTED,
	FL_('t', 2) = SE_SIP_HDR_TO,
	FL_('u', 10) = SE_SIP_HDR_USER_AGENT,
	FL_('v', 3) = SE_SIP_HDR_VIA,
};
#undef FL_

/*
 * Classify the name made of the first n (1..15) bytes of v, whatever they
 * are: one table look-up on (first letter, length), one 16-byte compare.
 * |0x20 folds the case of letters; the one other byte it maps onto a name
 * byte is CR (onto '-'), so bytes below 0x20 never match.
 */
static inline enum se_sip_hdr_type
classify16v(__m128i v, uint32_t n, __m128i k20)
{
	uint32_t c = (uint32_t)(((uint32_t)_mm_cvtsi128_si32(v) & 0xff) | 0x20) - 'a';
	uint32_t full = (1u << n) - 1, t;
	__m128i lv, ctl;

	if (c >= 26)
		return SE_SIP_HDR_OTHER;
	if (n == 1)
		return (enum se_sip_hdr_type)compact[c];
	t = by_first_len[c][n];
	if (t == SE_SIP_HDR_OTHER)
		return SE_SIP_HDR_OTHER;
	lv = _mm_or_si128(v, k20);
	ctl = _mm_cmpgt_epi8(k20, v); /* signed: bytes >= 0x80 too, which match nothing */
	for (;;) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(ctl, _mm_cmpeq_epi8(lv,
			_mm_load_si128((const __m128i *)(const void *)lc_names[t]))));

		if ((m & full) == full)
			return (enum se_sip_hdr_type)t;
		if (t != SE_SIP_HDR_CALL_ID)
			return SE_SIP_HDR_OTHER;
		t = SE_SIP_HDR_CONTACT; /* the other name of (c, 7) */
	}
}

#endif

enum se_sip_hdr_type
se_sip_hdr_lookup(const uint8_t *p, size_t len)
{
	size_t i;

	if (len == 0 || len > 64)
		return SE_SIP_HDR_OTHER;
	for (i = 0; i < len; i++)
		if (!cc_is(p[i], CC_TOKEN))
			return SE_SIP_HDR_OTHER;
	return classify(p, (uint32_t)len);
}

static const char *const method_names[SE_SIP_METHOD_COUNT] = {
	[SE_SIP_METHOD_OTHER] = "OTHER",
	[SE_SIP_METHOD_INVITE] = "INVITE",
	[SE_SIP_METHOD_ACK] = "ACK",
	[SE_SIP_METHOD_BYE] = "BYE",
	[SE_SIP_METHOD_CANCEL] = "CANCEL",
	[SE_SIP_METHOD_OPTIONS] = "OPTIONS",
	[SE_SIP_METHOD_REGISTER] = "REGISTER",
	[SE_SIP_METHOD_PRACK] = "PRACK",
	[SE_SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SE_SIP_METHOD_NOTIFY] = "NOTIFY",
	[SE_SIP_METHOD_PUBLISH] = "PUBLISH",
	[SE_SIP_METHOD_INFO] = "INFO",
	[SE_SIP_METHOD_REFER] = "REFER",
	[SE_SIP_METHOD_MESSAGE] = "MESSAGE",
	[SE_SIP_METHOD_UPDATE] = "UPDATE",
};

const char *
se_sip_method_name(enum se_sip_method m)
{
	if ((unsigned)m >= SE_SIP_METHOD_COUNT)
		return "OTHER";
	return method_names[m];
}

enum se_sip_method
se_sip_method_lookup(const uint8_t *p, size_t len)
{
#define M_(name, id) do { if (memcmp(p, name, sizeof(name) - 1) == 0) return id; } while (0)
	switch (len) {
	case 3:
		M_("ACK", SE_SIP_METHOD_ACK);
		M_("BYE", SE_SIP_METHOD_BYE);
		break;
	case 4:
		M_("INFO", SE_SIP_METHOD_INFO);
		break;
	case 5:
		M_("PRACK", SE_SIP_METHOD_PRACK);
		M_("REFER", SE_SIP_METHOD_REFER);
		break;
	case 6:
		M_("INVITE", SE_SIP_METHOD_INVITE);
		M_("CANCEL", SE_SIP_METHOD_CANCEL);
		M_("NOTIFY", SE_SIP_METHOD_NOTIFY);
		M_("UPDATE", SE_SIP_METHOD_UPDATE);
		break;
	case 7:
		M_("OPTIONS", SE_SIP_METHOD_OPTIONS);
		M_("PUBLISH", SE_SIP_METHOD_PUBLISH);
		M_("MESSAGE", SE_SIP_METHOD_MESSAGE);
		break;
	case 8:
		M_("REGISTER", SE_SIP_METHOD_REGISTER);
		break;
	case 9:
		M_("SUBSCRIBE", SE_SIP_METHOD_SUBSCRIBE);
		break;
	}
#undef M_
	return SE_SIP_METHOD_OTHER;
}

static const char *const hdr_names[SE_SIP_HDR_COUNT] = {
	[SE_SIP_HDR_OTHER] = "Other",
	[SE_SIP_HDR_VIA] = "Via",
	[SE_SIP_HDR_CALL_ID] = "Call-ID",
	[SE_SIP_HDR_FROM] = "From",
	[SE_SIP_HDR_TO] = "To",
	[SE_SIP_HDR_CSEQ] = "CSeq",
	[SE_SIP_HDR_CONTACT] = "Contact",
	[SE_SIP_HDR_MAX_FORWARDS] = "Max-Forwards",
	[SE_SIP_HDR_ROUTE] = "Route",
	[SE_SIP_HDR_RECORD_ROUTE] = "Record-Route",
	[SE_SIP_HDR_PATH] = "Path",
	[SE_SIP_HDR_CONTENT_LENGTH] = "Content-Length",
	[SE_SIP_HDR_CONTENT_TYPE] = "Content-Type",
	[SE_SIP_HDR_USER_AGENT] = "User-Agent",
	[SE_SIP_HDR_EXPIRES] = "Expires",
	[SE_SIP_HDR_REQUIRE] = "Require",
	[SE_SIP_HDR_PROXY_REQUIRE] = "Proxy-Require",
	[SE_SIP_HDR_SUPPORTED] = "Supported",
	[SE_SIP_HDR_SUBJECT] = "Subject",
	[SE_SIP_HDR_CONTENT_ENCODING] = "Content-Encoding",
	[SE_SIP_HDR_EVENT] = "Event",
	[SE_SIP_HDR_REFER_TO] = "Refer-To",
	[SE_SIP_HDR_ALLOW_EVENTS] = "Allow-Events",
	[SE_SIP_HDR_SERVER] = "Server",
};

const char *
se_sip_hdr_name(enum se_sip_hdr_type t)
{
	if ((unsigned)t >= SE_SIP_HDR_COUNT)
		return "Other";
	return hdr_names[t];
}

static const struct {
	const char *name;
	const char *text;
} status_str[SE_SIP_STATUS_COUNT] = {
	[SE_SIP_OK] = { "ok", "parsed" },
	[SE_SIP_ERR_EMPTY] = { "empty", "empty datagram (keep-alive)" },
	[SE_SIP_ERR_TOO_LARGE] = { "too_large", "message too large" },
	[SE_SIP_ERR_START_LINE] = { "start_line", "malformed start line" },
	[SE_SIP_ERR_METHOD] = { "method", "method is not a token" },
	[SE_SIP_ERR_REQUEST_URI] = { "request_uri", "malformed Request-URI" },
	[SE_SIP_ERR_VERSION] = { "version", "SIP version is not SIP/2.0" },
	[SE_SIP_ERR_STATUS_CODE] = { "status_code", "status code not 100..699" },
	[SE_SIP_ERR_HEADER_NAME] = { "header_name", "malformed header name" },
	[SE_SIP_ERR_TRUNCATED] = { "truncated", "header section not terminated" },
	[SE_SIP_ERR_TOO_MANY_HEADERS] = { "too_many_headers", "too many header fields" },
	[SE_SIP_ERR_TOO_MANY_ENTRIES] = { "too_many_entries", "too many list entries" },
	[SE_SIP_ERR_BAD_CHAR] = { "bad_char", "control character in a header" },
	[SE_SIP_ERR_UNTERMINATED_QUOTE] = { "unterminated_quote", "unterminated quoted string" },
	[SE_SIP_ERR_UNTERMINATED_ANGLE] = { "unterminated_angle", "'<' without '>'" },
	[SE_SIP_ERR_NO_VIA] = { "no_via", "missing Via" },
	[SE_SIP_ERR_NO_CALL_ID] = { "no_call_id", "missing Call-ID" },
	[SE_SIP_ERR_NO_CSEQ] = { "no_cseq", "missing CSeq" },
	[SE_SIP_ERR_NO_FROM] = { "no_from", "missing From" },
	[SE_SIP_ERR_NO_TO] = { "no_to", "missing To" },
	[SE_SIP_ERR_VIA] = { "via", "malformed top Via" },
	[SE_SIP_ERR_FROM] = { "from", "malformed From" },
	[SE_SIP_ERR_TO] = { "to", "malformed To" },
	[SE_SIP_ERR_CALL_ID] = { "call_id", "malformed Call-ID" },
	[SE_SIP_ERR_CALL_ID_MISMATCH] = { "call_id_mismatch", "two different Call-IDs" },
	[SE_SIP_ERR_CSEQ] = { "cseq", "malformed CSeq" },
	[SE_SIP_ERR_CSEQ_MISMATCH] = { "cseq_mismatch", "CSeq repeated or method mismatch" },
	[SE_SIP_ERR_FROM_TO_DUPLICATE] = { "from_to_duplicate", "more than one From or To" },
	[SE_SIP_ERR_MAX_FORWARDS] = { "max_forwards", "malformed Max-Forwards" },
	[SE_SIP_ERR_CONTENT_LENGTH] = { "content_length", "malformed Content-Length" },
	[SE_SIP_ERR_CONTENT_LENGTH_MISMATCH] = { "content_length_mismatch",
						 "two different Content-Lengths" },
	[SE_SIP_ERR_BODY_SHORT] = { "body_short", "body shorter than Content-Length" },
};

const char *
se_sip_strerror(enum se_sip_status st)
{
	if ((unsigned)st >= SE_SIP_STATUS_COUNT)
		return "unknown status";
	return status_str[st].text;
}

const char *
se_sip_status_name(enum se_sip_status st)
{
	if ((unsigned)st >= SE_SIP_STATUS_COUNT)
		return "unknown";
	return status_str[st].name;
}

void
se_sip_msg_init(struct se_sip_msg *msg, struct se_sip_hdr *hdrs, uint16_t hdr_cap,
		struct se_sip_entry *entries, uint16_t entry_cap)
{
	memset(msg, 0, sizeof(*msg));
	msg->hdrs = hdrs;
	msg->hdr_cap = hdrs == NULL ? 0 : hdr_cap;
	msg->entries = entries;
	msg->entry_cap = entries == NULL ? 0 : entry_cap;
	memset(msg->first, 0xff, sizeof(msg->first));
	msg->max_forwards = -1;
	msg->content_length = -1;
}

/* "SIP/2.0", case-insensitively (RFC 3261 7.1). */
static inline bool
is_sip20(const uint8_t *p, uint32_t n)
{
	return n == 7 && (p[0] | 0x20) == 's' && (p[1] | 0x20) == 'i' && (p[2] | 0x20) == 'p' &&
	       p[3] == '/' && p[4] == '2' && p[5] == '.' && p[6] == '0';
}

static enum se_sip_status
parse_request_line(const uint8_t *buf, uint32_t p, uint32_t le, uint32_t len,
		   struct se_sip_msg *msg)
{
	uint32_t sp1, sp2;
	bool tok;

	/* where the method's token run ends at an SP, that is the first SP */
	sp1 = run_of(buf, p, le, len, NIB_TOKEN, CC_TOKEN);
	tok = sp1 < le && buf[sp1] == ' ';
	while (sp1 < le && buf[sp1] != ' ')
		sp1++;
	if (sp1 == p || sp1 >= le)
		return SE_SIP_ERR_START_LINE;
	/* " SIP/2.0" in one compare (|0x20 on the letters): then its SP is the last one */
	if (le - p >= 9 && (load64le(buf + le - 8) | 0x20202000) == lit64(" sip/2.0", 8)) {
		sp2 = le - 8;
	} else {
		for (sp2 = le - 1; buf[sp2] != ' '; sp2--)
			;
	}
	if (sp2 == sp1 || sp2 + 1 == le)
		return SE_SIP_ERR_START_LINE; /* two elements, or SP before CRLF (trws) */
	if (buf[sp1 + 1] == ' ' || buf[sp2 - 1] == ' ' || buf[sp1 + 1] == '\t' ||
	    buf[sp2 - 1] == '\t')
		return SE_SIP_ERR_START_LINE; /* more than one SP between elements (lwsstart) */
	if (!tok)
		return SE_SIP_ERR_METHOD;
	msg->is_request = true;
	msg->method = mkspan(p, sp1);
	msg->method_id = (uint8_t)se_sip_method_lookup(buf + p, sp1 - p);
	msg->ruri = mkspan(sp1 + 1, sp2);
	msg->version = mkspan(sp2 + 1, le);
	if (!is_sip20(buf + sp2 + 1, le - sp2 - 1))
		return SE_SIP_ERR_VERSION;
	/* LWS inside (lwsruri), <> around it (ltgtruri): the URI parser rejects both */
	if (se_sip_uri_decode(buf, msg->ruri, len, &msg->ruri_uri) != 0)
		return SE_SIP_ERR_REQUEST_URI;
	/* headers are not allowed in a Request-URI (RFC 3261 19.1.1, RFC 4475 3.1.2.11) */
	if (msg->ruri_uri.scheme_id != SE_SIP_SCHEME_OTHER && msg->ruri_uri.headers.len != 0)
		return SE_SIP_ERR_REQUEST_URI;
	if (msg->ruri_uri.scheme_id != SE_SIP_SCHEME_OTHER &&
	    buf[se_span_end(msg->ruri) - 1] == '?')
		return SE_SIP_ERR_REQUEST_URI;
	return SE_SIP_OK;
}

static enum se_sip_status
parse_status_line(const uint8_t *buf, uint32_t p, uint32_t le, struct se_sip_msg *msg)
{
	uint32_t sp1, sp2, code = 0, q;

	for (sp1 = p; sp1 < le && buf[sp1] != ' '; sp1++)
		;
	if (sp1 >= le)
		return SE_SIP_ERR_START_LINE;
	msg->is_request = false;
	msg->version = mkspan(p, sp1);
	if (!is_sip20(buf + p, sp1 - p))
		return SE_SIP_ERR_VERSION;
	for (sp2 = sp1 + 1; sp2 < le && buf[sp2] != ' '; sp2++)
		;
	if (sp2 - sp1 - 1 != 3)
		return sp2 == sp1 + 1 ? SE_SIP_ERR_START_LINE : SE_SIP_ERR_STATUS_CODE;
	for (q = sp1 + 1; q < sp2; q++) {
		if (!cc_is(buf[q], CC_DIGIT))
			return SE_SIP_ERR_STATUS_CODE;
		code = code * 10 + (uint32_t)(buf[q] - '0');
	}
	if (code < 100 || code > 699)
		return SE_SIP_ERR_STATUS_CODE;
	if (sp2 >= le)
		return SE_SIP_ERR_START_LINE; /* the SP before a (maybe empty) reason is required */
	msg->status = (uint16_t)code;
	msg->reason = mkspan(sp2 + 1, le);
	return SE_SIP_OK;
}

/* Add one list entry [s, e) of header h, trimmed; empty ones are skipped. */
static inline enum se_sip_status
add_entry(const uint8_t *buf, struct se_sip_msg *msg, struct se_sip_hdr *h, uint16_t hidx,
	  uint32_t s, uint32_t e, bool strict)
{
	struct se_sip_entry *en;

	s = skip_lws(buf, s, e);
	e = trim_lws_end(buf, s, e);
	if (s == e)
		return strict ? SE_SIP_ERR_VIA : SE_SIP_OK;
	if (msg->entry_count >= msg->entry_cap || h->n_entries == UINT8_MAX)
		return SE_SIP_ERR_TOO_MANY_ENTRIES;
	en = &msg->entries[msg->entry_count++];
	en->span = mkspan(s, e);
	en->hdr = hidx;
	h->n_entries++;
	return SE_SIP_OK;
}

/* First ',', '"' or '<' in [p, end), or end; reads up to lim (>= end). */
static inline uint32_t
find_list_byte(const uint8_t *buf, uint32_t p, uint32_t end, uint32_t lim)
{
#ifdef SIP_SIMD
#if defined(__AVX2__)
	/* list values are 50-100 bytes: 32 at a time */
	while (p < end && lim - p >= 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(buf + p));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8(',')),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8('<'))));

		if (m != 0) {
			p += (uint32_t)__builtin_ctz(m);
			return p < end ? p : end;
		}
		p += 32;
	}
#endif
	while (p < end && lim - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
			_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
			_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
			_mm_cmpeq_epi8(v, _mm_set1_epi8('<'))));

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
	while (p < end && !cc_is(buf[p], CC_LIST))
		p++;
	return p;
}

/*
 * Split a list value on commas outside quoted strings and <...>. An empty
 * entry is skipped, except in the first Via field, where it makes the top
 * Via malformed (RFC 4475 3.1.2.1: "Via: SIP/2.0/UDP 192.0.2.15;;,;,," is
 * answered with 400).
 */
static enum se_sip_status
split_list(const uint8_t *buf, uint32_t lim, struct se_sip_msg *msg, struct se_sip_hdr *h,
	   uint16_t hidx, bool strict)
{
	uint32_t p = h->value.off, end = se_span_end(h->value), s = p;
	enum se_sip_status st;

	h->first_entry = msg->entry_count;
	for (;;) {
		p = find_list_byte(buf, p, end, lim);
		if (p >= end)
			break;
		if (buf[p] == '"') {
			bool ok = true;

			p = skip_quoted(buf, p, end, lim, &ok);
			if (p > end)
				return SE_SIP_ERR_UNTERMINATED_QUOTE;
		} else if (buf[p] == '<') {
			p = find_byte(buf, p + 1, end, lim, '>');
			if (p >= end)
				return SE_SIP_ERR_UNTERMINATED_ANGLE;
			p++;
		} else {
			st = add_entry(buf, msg, h, hidx, s, p, strict);
			if (st != SE_SIP_OK)
				return st;
			s = ++p;
		}
	}
	return add_entry(buf, msg, h, hidx, s, end, strict);
}

/* 1*DIGIT at exactly [p, e), no greater than max (< 2^32); lim as for digit_run(). */
static inline bool
decimal(const uint8_t *buf, uint32_t p, uint32_t e, uint32_t lim, uint32_t max, uint32_t *out)
{
	uint32_t q;

	return digit_run(buf, p, e, lim, max, &q, out) && q == e;
}

static enum se_sip_status
check_cseq(const uint8_t *buf, uint32_t lim, struct se_sip_msg *msg, const struct se_sip_hdr *h)
{
	uint32_t p = h->value.off, e = se_span_end(h->value), q, n;

	/* digits and value in one pass; the LWS after them is required */
	if (!digit_run(buf, p, e, lim, INT32_MAX, &q, &n))
		return SE_SIP_ERR_CSEQ;
	p = skip_lws(buf, q, e);
	if (p == q || p == e)
		return SE_SIP_ERR_CSEQ;
	/* a request's CSeq repeats its method, a token already checked and looked up */
	if (msg->is_request && e - p == msg->method.len && e - p <= 8 && lim - p >= 8 &&
	    lim - msg->method.off >= 8 &&
	    ((load64le(buf + p) ^ load64le(buf + msg->method.off)) &
	     (UINT64_MAX >> (64 - 8 * (e - p)))) == 0) {
		msg->cseq_method_id = msg->method_id;
	} else {
		if (run_of(buf, p, e, lim, NIB_TOKEN, CC_TOKEN) != e)
			return SE_SIP_ERR_CSEQ;
		msg->cseq_method_id = (uint8_t)se_sip_method_lookup(buf + p, e - p);
	}
	msg->cseq = n;
	msg->cseq_method = mkspan(p, e);
	return SE_SIP_OK;
}

static enum se_sip_status
check_addr(const uint8_t *buf, uint32_t lim, const struct se_sip_hdr *h, struct se_sip_addr *a,
	   enum se_sip_status bad)
{
	switch (se_sip_addr_decode(buf, h->value, lim, a)) {
	case SIP_ADDR_OK:
		/* "*" is for Contact only */
		return (a->flags & SE_SIP_ADDR_STAR) ? bad : SE_SIP_OK;
	case SIP_ADDR_QUOTE:
		return SE_SIP_ERR_UNTERMINATED_QUOTE;
	case SIP_ADDR_ANGLE:
		return SE_SIP_ERR_UNTERMINATED_ANGLE;
	default:
		return bad;
	}
}

static inline bool
span_eq(const uint8_t *buf, struct se_span a, struct se_span b)
{
	return a.len == b.len && memcmp(buf + a.off, buf + b.off, a.len) == 0;
}

/* The checks that need the whole index, in the documented order. */
static enum se_sip_status
check_essentials(const uint8_t *buf, uint32_t len, struct se_sip_msg *msg, uint32_t dups)
{
	const struct se_sip_hdr *h;
	enum se_sip_status st;
	uint32_t i, v, q;

	if (!(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_VIA)))
		return SE_SIP_ERR_NO_VIA;
	h = &msg->hdrs[msg->first[SE_SIP_HDR_VIA]];
	if (h->n_entries == 0 ||
	    se_sip_via_decode(buf, msg->entries[h->first_entry].span, len, &msg->via) != 0)
		return SE_SIP_ERR_VIA;

	if (!(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CALL_ID)))
		return SE_SIP_ERR_NO_CALL_ID;
	h = &msg->hdrs[msg->first[SE_SIP_HDR_CALL_ID]];
	msg->call_id = h->value;
	if (h->value.len == 0)
		return SE_SIP_ERR_CALL_ID;
	q = h->value.off;
#ifdef SIP_SIMD
	/* any byte <= 0x20 (SP, HT, CR, LF and controls already refused) */
	for (; len - q >= 16 && q < se_span_end(h->value); q += 16) {
		__m128i blk = _mm_loadu_si128((const __m128i *)(const void *)(buf + q));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_min_epu8(blk, _mm_set1_epi8(0x20)), blk));

		if (m != 0 && q + (uint32_t)__builtin_ctz(m) < se_span_end(h->value))
			return SE_SIP_ERR_CALL_ID;
	}
#endif
	for (; q < se_span_end(h->value); q++)
		if (cc_is(buf[q], CC_LWS))
			return SE_SIP_ERR_CALL_ID;
	if (dups & SE_SIP_SEEN(SE_SIP_HDR_CALL_ID))
		for (i = msg->first[SE_SIP_HDR_CALL_ID] + 1u; i < msg->hdr_count; i++)
			if (msg->hdrs[i].type == SE_SIP_HDR_CALL_ID &&
			    !span_eq(buf, msg->hdrs[i].value, msg->call_id))
				return SE_SIP_ERR_CALL_ID_MISMATCH;

	if (!(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CSEQ)))
		return SE_SIP_ERR_NO_CSEQ;
	st = check_cseq(buf, len, msg, &msg->hdrs[msg->first[SE_SIP_HDR_CSEQ]]);
	if (st != SE_SIP_OK)
		return st;
	if (dups & SE_SIP_SEEN(SE_SIP_HDR_CSEQ))
		return SE_SIP_ERR_CSEQ_MISMATCH;
	/*
	 * RFC 4475 3.1.2.17/18; ACK and CANCEL carry their own method too. Known
	 * methods match by their exact bytes, so equal ids of one are equal spans.
	 */
	if (msg->is_request && (msg->method_id != msg->cseq_method_id ||
				(msg->method_id == SE_SIP_METHOD_OTHER &&
				 !span_eq(buf, msg->method, msg->cseq_method))))
		return SE_SIP_ERR_CSEQ_MISMATCH;

	if (!(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_FROM)))
		return SE_SIP_ERR_NO_FROM;
	if (dups & SE_SIP_SEEN(SE_SIP_HDR_FROM))
		return SE_SIP_ERR_FROM_TO_DUPLICATE;
	st = check_addr(buf, len, &msg->hdrs[msg->first[SE_SIP_HDR_FROM]], &msg->from,
			SE_SIP_ERR_FROM);
	if (st != SE_SIP_OK)
		return st;
	if (!(msg->seen & SE_SIP_SEEN(SE_SIP_HDR_TO)))
		return SE_SIP_ERR_NO_TO;
	if (dups & SE_SIP_SEEN(SE_SIP_HDR_TO))
		return SE_SIP_ERR_FROM_TO_DUPLICATE;
	st = check_addr(buf, len, &msg->hdrs[msg->first[SE_SIP_HDR_TO]], &msg->to, SE_SIP_ERR_TO);
	if (st != SE_SIP_OK)
		return st;

	if (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_MAX_FORWARDS)) {
		h = &msg->hdrs[msg->first[SE_SIP_HDR_MAX_FORWARDS]];
		if (!decimal(buf, h->value.off, se_span_end(h->value), len, 255, &v) ||
		    (dups & SE_SIP_SEEN(SE_SIP_HDR_MAX_FORWARDS)))
			return SE_SIP_ERR_MAX_FORWARDS;
		msg->max_forwards = (int16_t)v;
	}

	if (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTENT_LENGTH)) {
		h = &msg->hdrs[msg->first[SE_SIP_HDR_CONTENT_LENGTH]];
		if (!decimal(buf, h->value.off, se_span_end(h->value), len, INT32_MAX, &v))
			return SE_SIP_ERR_CONTENT_LENGTH;
		if (dups & SE_SIP_SEEN(SE_SIP_HDR_CONTENT_LENGTH)) {
			i = msg->first[SE_SIP_HDR_CONTENT_LENGTH] + 1u;
			for (; i < msg->hdr_count; i++) {
				uint32_t w, e;

				h = &msg->hdrs[i];
				if (h->type != SE_SIP_HDR_CONTENT_LENGTH)
					continue;
				e = se_span_end(h->value);
				if (!decimal(buf, h->value.off, e, len, INT32_MAX, &w))
					return SE_SIP_ERR_CONTENT_LENGTH;
				if (w != v)
					return SE_SIP_ERR_CONTENT_LENGTH_MISMATCH;
			}
		}
		msg->content_length = (int32_t)v;
		/* RFC 3261 18.3: fewer octets than announced is an error on UDP */
		if (v > len - msg->body_off)
			return SE_SIP_ERR_BODY_SHORT;
		msg->body_len = (uint16_t)v;
	} else {
		/* no Content-Length on UDP: the body is the rest of the datagram */
		msg->body_len = (uint16_t)(len - msg->body_off);
	}
	msg->msg_len = (uint16_t)(msg->body_off + msg->body_len);
	return SE_SIP_OK;
}

/* Reset what a previous parse left, keep the caller's arrays. */
static inline void
msg_reset(struct se_sip_msg *msg)
{
	struct se_sip_hdr *hdrs = msg->hdrs;
	struct se_sip_entry *entries = msg->entries;
	uint16_t hcap = msg->hdr_cap, ecap = msg->entry_cap;

	se_sip_msg_init(msg, hdrs, hcap, entries, ecap);
}

/*
 * The vector constants of name_fast(), made once per message: GCC would
 * rebuild each from a general register on every header (three instructions
 * apiece) unless an empty asm hides their value.
 */
struct name_k {
#ifdef SIP_SIMD
	__m128i colon; /* ':' in every byte */
	__m128i sp;    /* ' ' in every byte */
#else
	int unused;
#endif
};

static inline void
name_k_init(struct name_k *k)
{
#ifdef SIP_SIMD
	k->colon = _mm_set1_epi8(':');
	k->sp = _mm_set1_epi8(' ');
	__asm__("" : "+x"(k->colon), "+x"(k->sp));
#else
	k->unused = 0;
#endif
}

/*
 * The name of the field at ns, the common way: a colon among its first 16
 * bytes, right after a name the tables know or after token bytes. Sets *ne
 * and returns the type; returns SE_SIP_HDR_COUNT when name_slow() must
 * decide (no colon in reach, whitespace before it, a bad byte).
 */
static inline enum se_sip_hdr_type
name_fast(const uint8_t *buf, uint32_t len, uint32_t ns, uint32_t *ne, const struct name_k *k)
{
#ifdef SIP_SIMD
	__m128i v;
	enum se_sip_hdr_type t;
	uint32_t n;

	if (len - ns < 16)
		return SE_SIP_HDR_COUNT;
	v = _mm_loadu_si128((const __m128i *)(const void *)(buf + ns));
	n = (uint32_t)__builtin_ctz((unsigned)_mm_movemask_epi8(
		_mm_cmpeq_epi8(v, k->colon)) | 0x10000u);
	if (n == 0 || n == 16)
		return SE_SIP_HDR_COUNT;
	t = classify16v(v, n, k->sp);
	/* an unknown name: it must still be all token bytes up to the colon */
	if (t == SE_SIP_HDR_OTHER &&
	    (uint32_t)__builtin_ctz(nib_outside(v, se_sip_nib[NIB_TOKEN])) != n)
		return SE_SIP_HDR_COUNT;
	*ne = ns + n;
	return t;
#else
	(void)buf;
	(void)len;
	(void)ns;
	(void)ne;
	(void)k;
	return SE_SIP_HDR_COUNT;
#endif
}

/*
 * The name at ns in any form name_fast() leaves: sets *ne past the token and
 * *vs past the colon, and returns the type, or SE_SIP_HDR_COUNT with the
 * defect in *st. Out of line, so that the hot loop keeps its registers.
 */
static __attribute__((noinline)) enum se_sip_hdr_type
name_slow(const uint8_t *buf, uint32_t len, uint32_t ns, uint32_t *ne_out, uint32_t *vs,
	  enum se_sip_status *st)
{
	uint32_t ne = run_of(buf, ns, len, len, NIB_TOKEN, CC_TOKEN), p = ne;

	if (ne >= len || buf[ne] != ':') {
		/* the uncommon forms: whitespace before the colon, or no colon */
		while (p < len && (buf[p] == ' ' || buf[p] == '\t'))
			p++;
		if (p >= len) {
			*st = SE_SIP_ERR_TRUNCATED;
			return SE_SIP_HDR_COUNT;
		}
		if (buf[p] != ':') {
			*st = SE_SIP_ERR_HEADER_NAME;
			return SE_SIP_HDR_COUNT;
		}
	}
	if (ne == ns) {
		*st = SE_SIP_ERR_HEADER_NAME;
		return SE_SIP_HDR_COUNT;
	}
	*ne_out = ne;
	*vs = p + 1;
	return classify(buf + ns, ne - ns);
}

/*
 * The rest of a field whose first line ends at *le: its continuation lines,
 * and the check of the control bytes blk_line_end() saw (ctl). Updates *le
 * and *next. Folding is rare: it reads its lines with masks of its own, and
 * the caller starts afresh at *next.
 */
static __attribute__((noinline)) enum se_sip_status
field_rest(const uint8_t *buf, uint32_t len, uint32_t vs, uint32_t *le, uint32_t *next,
	   bool ctl)
{
	struct eol_blk b;

	if (*next < len && (buf[*next] == ' ' || buf[*next] == '\t')) {
		blk_init(&b);
		blk_load(buf, len, *next, &b);
		do {
			*le = blk_line_end(buf, len, &b, *next, next, &ctl);
			if (*le == NO_EOL)
				return SE_SIP_ERR_TRUNCATED;
		} while (*next < len && (buf[*next] == ' ' || buf[*next] == '\t'));
	}
	if (ctl && has_bad_ctl(buf, vs, *le) && !field_ctl_ok(buf, vs, *le))
		return SE_SIP_ERR_BAD_CHAR;
	return SE_SIP_OK;
}

/*
 * Fill one index entry with two 8-byte stores. Offsets and lengths are below
 * 2^16 (len <= SE_SIP_MAX_LEN), so the fields need no masking: built field
 * by field, the compiler truncates each one and merges them itself, which
 * costs a third more instructions in the hottest loop of the parser.
 */
static inline void
hdr_set(struct se_sip_hdr *h, uint64_t ns, uint64_t ne, uint64_t next, uint64_t vs, uint64_t ve,
	uint64_t first_entry, uint64_t type)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w[2];

	_Static_assert(sizeof(*h) == 16 && offsetof(struct se_sip_hdr, line) == 0 &&
		       offsetof(struct se_sip_hdr, name) == 4 &&
		       offsetof(struct se_sip_hdr, value) == 8 &&
		       offsetof(struct se_sip_hdr, first_entry) == 12 &&
		       offsetof(struct se_sip_hdr, n_entries) == 14 &&
		       offsetof(struct se_sip_hdr, type) == 15, "se_sip_hdr layout");
	w[0] = ns | (next - ns) << 16 | ns << 32 | (ne - ns) << 48;
	w[1] = vs | (ve - vs) << 16 | first_entry << 32 | type << 56; /* n_entries 0 */
	memcpy(h, w, sizeof(w));
#else
	h->line = mkspan((uint32_t)ns, (uint32_t)next);
	h->name = mkspan((uint32_t)ns, (uint32_t)ne);
	h->value = mkspan((uint32_t)vs, (uint32_t)ve);
	h->first_entry = (uint16_t)first_entry;
	h->n_entries = 0;
	h->type = (uint8_t)type;
#endif
}

/*
 * Index the header fields from pos to the empty line; *bp holds pos. The
 * counters and the line masks live in locals (stores through hdrs could
 * alias the message's fields) and are written back on every exit, so an
 * error leaves what was found before it. c is the first byte of the line at
 * pos, read once for both questions it answers: is the line a continuation,
 * and is it the empty line.
 */
static enum se_sip_status
scan_headers(const uint8_t *buf, uint32_t len, uint32_t pos, struct eol_blk *bp,
	     struct se_sip_msg *msg, uint32_t *body_off, uint32_t *dups_out)
{
	struct se_sip_hdr *const hdrs = msg->hdrs;
	const uint32_t cap = msg->hdr_cap;
	uint32_t hc = 0, seen = 0, dups = 0;
	enum se_sip_status st = SE_SIP_OK;
	struct eol_blk b = *bp;
	struct name_k k;
	uint8_t c;

	name_k_init(&k);
	if (pos >= len) {
		st = SE_SIP_ERR_TRUNCATED;
		goto out;
	}
	c = buf[pos];
	for (;;) {
		struct se_sip_hdr *h;
		uint32_t ns, ne, vs, ve, le, next, bit;
		enum se_sip_hdr_type t;
		bool ctl = false;

		/* names start above SP; CR and LF start the empty line */
		if (c <= ' ' && (c == '\r' || c == '\n')) {
			msg->hdrs_end = (uint16_t)pos;
			if (c == '\n')
				pos++;
			else if (pos + 1 < len && buf[pos + 1] == '\n')
				pos += 2;
			else
				st = pos + 1 >= len ? SE_SIP_ERR_TRUNCATED : SE_SIP_ERR_BAD_CHAR;
			break;
		}
		ns = pos;
		t = name_fast(buf, len, ns, &ne, &k);
		if (t != SE_SIP_HDR_COUNT) {
			vs = ne + 1;
		} else {
			t = name_slow(buf, len, ns, &ne, &vs, &st);
			if (t == SE_SIP_HDR_COUNT)
				break;
		}
		le = blk_line_end(buf, len, &b, vs, &next, &ctl);
		if (le == NO_EOL) {
			st = SE_SIP_ERR_TRUNCATED;
			break;
		}
		c = next < len ? buf[next] : 0;
		/* continuation lines fold into this field; one compare when they do not */
		if (ctl || (c <= ' ' && (c == ' ' || c == '\t'))) {
			st = field_rest(buf, len, vs, &le, &next, ctl);
			if (st != SE_SIP_OK)
				break;
			if (next < len) {
				c = buf[next];
				blk_load(buf, len, next, &b);
			}
		}
		/*
		 * The usual single SP after the colon, then a value with no LWS at
		 * either end. buf[le] is the line's CR or LF, so vs <= le may be read.
		 */
		vs += buf[vs] == ' ';
		if (buf[vs] > ' ' && buf[le - 1] > ' ') {
			ve = le;
		} else {
			vs = skip_lws(buf, vs, le);
			ve = trim_lws_end(buf, vs, le);
		}
		if (hc >= cap) {
			st = SE_SIP_ERR_TOO_MANY_HEADERS;
			break;
		}
		h = &hdrs[hc];
		hdr_set(h, ns, ne, next, vs, ve, msg->entry_count, t);
		bit = SE_SIP_SEEN(t);
		if (seen & bit) {
			dups |= bit;
		} else {
			seen |= bit;
			msg->first[t] = (uint16_t)hc;
		}
		hc++;
		if (LISTS & bit) {
			st = split_list(buf, len, msg, h, (uint16_t)(hc - 1),
					t == SE_SIP_HDR_VIA && !(dups & bit));
			if (st != SE_SIP_OK)
				break;
		}
		pos = next;
		if (pos >= len) {
			st = SE_SIP_ERR_TRUNCATED;
			break;
		}
	}
out:
	msg->hdr_count = (uint16_t)hc;
	msg->seen = seen;
	*body_off = pos;
	*dups_out = dups;
	return st;
}

enum se_sip_status
se_sip_parse(const uint8_t *buf, size_t len_, struct se_sip_msg *msg)
{
	uint32_t len, pos, le, next, dups = 0;
	struct eol_blk b;
	enum se_sip_status st;
	bool ctl = false, eol;

	msg_reset(msg);
	if (len_ > SE_SIP_MAX_LEN)
		return SE_SIP_ERR_TOO_LARGE;
	len = (uint32_t)len_;

	/* RFC 3261 7.5: CRLFs before the start line are ignored */
	for (pos = 0; pos < len && (buf[pos] == '\r' || buf[pos] == '\n'); pos++)
		;
	if (pos == len)
		return SE_SIP_ERR_EMPTY;
	if (buf[pos] == ' ' || buf[pos] == '\t') {
		uint32_t q;

		for (q = pos; q < len && cc_is(buf[q], CC_LWS); q++)
			;
		return q == len ? SE_SIP_ERR_EMPTY : SE_SIP_ERR_START_LINE;
	}

	blk_init(&b);
	blk_load(buf, len, pos, &b);
	le = blk_line_end(buf, len, &b, pos, &next, &ctl);
	eol = le != NO_EOL;
	if (!eol) {
		/* a CR that ends the datagram may be half of a CRLF: not a defect */
		le = next = len;
		ctl = has_bad_ctl(buf, pos, buf[len - 1] == '\r' ? len - 1 : len);
	} else if (ctl) {
		ctl = has_bad_ctl(buf, pos, le);
	}
	if (ctl)
		return SE_SIP_ERR_START_LINE;
	msg->start_line = mkspan(pos, le);
	if (le - pos >= 4 && (buf[pos] | 0x20) == 's' && (buf[pos + 1] | 0x20) == 'i' &&
	    (buf[pos + 2] | 0x20) == 'p' && buf[pos + 3] == '/')
		st = parse_status_line(buf, pos, le, msg);
	else
		st = parse_request_line(buf, pos, le, len, msg);
	if (st != SE_SIP_OK)
		return st;
	if (!eol)
		return SE_SIP_ERR_TRUNCATED;
	pos = next;
	msg->hdrs_off = (uint16_t)pos;
	st = scan_headers(buf, len, pos, &b, msg, &pos, &dups);
	if (st != SE_SIP_OK)
		return st;
	msg->body_off = (uint16_t)pos;
	return check_essentials(buf, len, msg, dups & SINGLETONS);
}
