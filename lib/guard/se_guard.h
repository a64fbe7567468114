/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_GUARD_H_
#define _SE_GUARD_H_

/**
 * @file
 * The edge guard: what a source may send, decided per datagram.
 *
 * A worker asks the guard three questions about each datagram from a client:
 *
 * - se_guard_pre(), before parsing: is the source denied by the ACL
 *   (longest prefix of --allow/--deny wins; the lookup is rte_lpm, in
 *   se_guard_acl.h), banned, or over its token bucket? Those datagrams die
 *   before a byte of SIP is read.
 * - se_guard_parsed(), after a successful parse: a scanner's User-Agent, a
 *   new dialog for a trusted set from a source no --allow lists, a message
 *   above the size limit (513), a Proxy-Require with an option the edge does
 *   not support (420).
 * - se_guard_unparsed(), after a failed parse: does the request deserve an
 *   answer (400, 505, 513), and were the Via, From, To, Call-ID and CSeq a
 *   reply needs found? A request whose start line is refused is copied with
 *   a valid start line and parsed again to find them.
 *
 * Each answer is a verdict (pass, drop, reply) with the counter of the
 * outcome (enum se_stat_id), like lib/proxy's. Replies are built by the
 * caller with se_proxy_reply() and are limited by one token bucket per
 * worker, so the edge never answers a flood at the flood's rate.
 *
 * Per-source state lives in a fixed-size table per worker (RSS keeps a
 * source on one worker): a token bucket (GCRA: one "theoretical arrival
 * time" per source, which is a token bucket of depth `burst` refilled at
 * `rate`), a ban deadline and drop counts. When the table is full the least
 * recently seen source is evicted (exact LRU: a list through the slots).
 * Memory is se_guard_memsize(), placed by the caller (on the worker's NUMA
 * socket); nothing is allocated afterwards.
 *
 * Everything here is pure C: no DPDK, no clock, no logging. Time is passed
 * in as ticks of a clock of params.hz ticks per second (TSC cycles in the
 * daemon, nanoseconds in tests). Only the ACL (se_guard_acl.h) needs DPDK;
 * the fuzz build leaves it out.
 *
 * Errors: int functions return 0 or -errno; predicates return bool.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "se_sip.h"
#include "se_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most User-Agent patterns of the scanner list. */
#define SE_GUARD_MAX_UA 32
/** Longest User-Agent pattern. */
#define SE_GUARD_UA_LEN 63
/** Most option tags the edge accepts in Proxy-Require (--proxy-option). */
#define SE_GUARD_MAX_OPTIONS 16
/** Longest option tag. */
#define SE_GUARD_OPTION_LEN 31
/** Room for the extra header lines of a guard reply (Retry-After, Unsupported). */
#define SE_GUARD_EXTRA_MAX 256
/** Default source table slots per worker. */
#define SE_GUARD_DEFAULT_SOURCES 65536u
/** Most source table slots per worker. */
#define SE_GUARD_MAX_SOURCES (1u << 24)
/** Largest datagram se_guard_unparsed() copies to rebuild its start line. */
#define SE_GUARD_FIX_MAX 4096

/** What to do with a datagram. */
enum se_guard_verdict {
	SE_GUARD_PASS = 0, /**< go on (to the parser, or to the proxy) */
	SE_GUARD_DROP,     /**< drop; out->reason names why */
	SE_GUARD_REPLY,    /**< answer out->code: se_proxy_reply() from out->buf */
};

/** An ACL's verdict for a source. */
enum se_guard_acl_action {
	SE_GUARD_ACL_NONE = 0,  /**< no rule matches */
	SE_GUARD_ACL_ALLOW = 1, /**< the longest matching prefix is an --allow */
	SE_GUARD_ACL_DENY = 2,  /**< the longest matching prefix is a --deny */
};

/**
 * A source address as the table keys it: an IPv6 address, IPv4 as its
 * v4-mapped form ::ffff:a.b.c.d. The 16 bytes in network order, loaded as
 * two words.
 */
struct se_guard_key {
	uint64_t w[2]; /**< bytes 0-7 and 8-15 of the address, as memcpy loads them */
};

/** The key of an IPv4 address (network byte order). */
static inline struct se_guard_key
se_guard_key_v4(uint32_t ip_be)
{
	uint8_t b[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0 };
	struct se_guard_key k;

	memcpy(b + 12, &ip_be, 4);
	memcpy(k.w, b, 16);
	return k;
}

/** The key of an IPv6 address (16 bytes, network byte order). */
static inline struct se_guard_key
se_guard_key_v6(const uint8_t ip[16])
{
	struct se_guard_key k;

	memcpy(k.w, ip, 16);
	return k;
}

/**
 * Write the address of a key ("203.0.113.9", "2001:db8::1").
 *
 * @return the length written (without the NUL), or -ENOSPC
 */
int se_guard_key_format(const struct se_guard_key *k, char *buf, size_t len);

/* ---------------------------------------------------------------------------
 * Token bucket
 */

/**
 * A token bucket of depth `burst` refilled at `rate` per second, kept as a
 * GCRA theoretical arrival time: each datagram costs `interval` ticks; one
 * conforms while it leaves the arrival time at most `depth` ticks ahead of
 * now. A rate of 0 lets nothing through.
 */
struct se_guard_bucket {
	uint64_t tat;      /**< theoretical arrival time (ticks) */
	uint64_t interval; /**< ticks per token: hz / rate; 0 when rate is 0 */
	uint64_t depth;    /**< interval x burst */
};

/**
 * Prepare a full bucket.
 *
 * @param b      the bucket
 * @param hz     ticks per second
 * @param rate   tokens per second (0: the bucket never gives one)
 * @param burst  depth in tokens (0 is taken as 1)
 */
void se_guard_bucket_init(struct se_guard_bucket *b, uint64_t hz, uint32_t rate, uint32_t burst);

/** Take one token at time @p now: true if there was one. */
static inline bool
se_guard_bucket_take(struct se_guard_bucket *b, uint64_t now)
{
	uint64_t t = (b->tat > now ? b->tat : now) + b->interval;

	if (b->interval == 0 || t - now > b->depth)
		return false;
	b->tat = t;
	return true;
}

/* ---------------------------------------------------------------------------
 * Scanner list (User-Agent substrings)
 */

/**
 * Case-insensitive substrings of User-Agent values that scanners send. A
 * table of the patterns by their first two bytes keeps the scan of a value
 * to one lookup per byte.
 */
struct se_guard_ua {
	uint32_t n;                                 /**< patterns */
	uint8_t len[SE_GUARD_MAX_UA];               /**< length of each */
	char pat[SE_GUARD_MAX_UA][SE_GUARD_UA_LEN + 1]; /**< each pattern, lower case, NUL-ended */
	uint32_t by_first[256];  /**< patterns whose first byte is this one (either case) */
	uint32_t by_second[256]; /**< patterns whose second byte is this one, or of length 1 */
	uint32_t len1;           /**< patterns of one byte */
};

/** The default scanner list, NULL-terminated. */
extern const char *const se_guard_ua_defaults[];

/** Empty the list (nothing matches). */
void se_guard_ua_clear(struct se_guard_ua *ua);

/** Replace the list by se_guard_ua_defaults. */
void se_guard_ua_set_defaults(struct se_guard_ua *ua);

/**
 * Add a pattern.
 *
 * @return 0; -EINVAL when empty or longer than SE_GUARD_UA_LEN; -ENOSPC
 *         beyond SE_GUARD_MAX_UA patterns
 */
int se_guard_ua_add(struct se_guard_ua *ua, const char *pattern);

/** Does @p value (a User-Agent value, @p len bytes) contain a pattern, ignoring case? */
bool se_guard_ua_match(const struct se_guard_ua *ua, const uint8_t *value, size_t len);

/* ---------------------------------------------------------------------------
 * Prefixes and ACL rules (the lookup itself is in se_guard_acl.h)
 */

/** An address prefix. */
struct se_guard_prefix {
	uint8_t family;    /**< AF_INET or AF_INET6 */
	uint8_t depth;     /**< prefix length: 0..32 or 0..128 */
	uint8_t addr[16];  /**< network order; IPv4 in the first 4 bytes; bits beyond depth are 0 */
};

/** One --allow or --deny. */
struct se_guard_acl_rule {
	struct se_guard_prefix prefix; /**< the prefix */
	uint8_t action;                /**< SE_GUARD_ACL_ALLOW or SE_GUARD_ACL_DENY */
};

/**
 * Parse "ADDR/LEN" or "ADDR" (a host: /32 or /128), IPv4 or IPv6.
 *
 * @return 0; -EINVAL for a syntax error; -ERANGE for a length beyond the
 *         family's; -EDOM when bits beyond the length are set (10.1.0.0/8)
 */
int se_guard_prefix_parse(const char *s, struct se_guard_prefix *p);

/** Does @p addr (4 or 16 bytes of @p p's family) lie inside @p p? */
bool se_guard_prefix_contains(const struct se_guard_prefix *p, const uint8_t *addr);

/**
 * Check a rule list: the same prefix may not be both allowed and denied.
 *
 * @param rules  the rules
 * @param n      their count
 * @return 0, or -EINVAL (the index of the second of the two rules in *@p bad)
 */
int se_guard_acl_check(const struct se_guard_acl_rule *rules, unsigned int n, unsigned int *bad);

/**
 * Parse "RPS[,burst=N]" (--rate-limit, --guard-reply-rate): RPS 1..10^7,
 * burst 1..10^8, default burst = RPS.
 *
 * @return 0, or -EINVAL
 */
int se_guard_rate_parse(const char *s, uint32_t *rate, uint32_t *burst);

/* ---------------------------------------------------------------------------
 * Source table
 */

/** Settings of a source table. */
struct se_guard_src_params {
	uint32_t slots;     /**< sources tracked; 1..SE_GUARD_MAX_SOURCES */
	uint64_t hz;        /**< ticks per second */
	uint32_t rate;      /**< datagrams per second per source; 0: no bucket (bans only) */
	uint32_t burst;     /**< bucket depth (0: = rate) */
	uint64_t ban_ticks; /**< ban of a source over its bucket; 0: its excess is only dropped */
	uint64_t seed;      /**< hash seed (spoofed sources must not choose their chains) */
};

/** A source table. Opaque. */
struct se_guard_src;

/** What the table says of a datagram. */
enum se_guard_src_verdict {
	SE_GUARD_SRC_PASS = 0, /**< within its bucket (or no bucket) and not banned */
	SE_GUARD_SRC_OVER,     /**< over its bucket; no ban configured */
	SE_GUARD_SRC_BAN,      /**< over its bucket: banned from now on */
	SE_GUARD_SRC_BANNED,   /**< banned earlier, ban still running */
};

/** One source as se_guard_src_top() reports it. */
struct se_guard_src_info {
	struct se_guard_key key; /**< the source */
	uint64_t drops;          /**< its datagrams dropped (bucket, ban, scanner, untrusted) */
	uint64_t ban_left;       /**< ticks until the ban ends; 0 when not banned */
	uint32_t bans;           /**< times banned */
};

/** Bytes of memory a table of @p slots slots needs (0 when @p slots is out of range). */
size_t se_guard_src_memsize(uint32_t slots);

/**
 * Build an empty table in @p mem (se_guard_src_memsize() bytes, 8-byte aligned at least).
 *
 * @return the table (at @p mem), or NULL when a parameter is out of range
 */
struct se_guard_src *se_guard_src_init(void *mem, const struct se_guard_src_params *p);

/**
 * Account one datagram of @p k at @p now: refill, take a token, start or
 * check a ban. A source the table does not hold yet is added (evicting the
 * least recently seen when full) only when the table has a bucket; without
 * one, only a ban can stop a datagram and a lookup decides.
 *
 * @param t        the table
 * @param k        the source
 * @param now      ticks
 * @param evicted  set to true when a source was evicted to make room (may be NULL)
 * @return the verdict
 */
enum se_guard_src_verdict se_guard_src_check(struct se_guard_src *t, struct se_guard_key k,
					     uint64_t now, bool *evicted);

/**
 * Count a datagram of @p k dropped after parsing (scanner, untrusted) and,
 * when @p ban_ticks is not 0, ban the source until @p now + @p ban_ticks.
 * The source is added if absent.
 *
 * @return true when a ban started (the source was not banned before)
 */
bool se_guard_src_offence(struct se_guard_src *t, struct se_guard_key k, uint64_t now,
			  uint64_t ban_ticks, bool *evicted);

/**
 * Is @p k banned at @p now? A pure lookup: the LRU order does not change.
 *
 * @param ban_left  the ticks left of the ban (may be NULL)
 */
bool se_guard_src_banned(const struct se_guard_src *t, struct se_guard_key k, uint64_t now,
			 uint64_t *ban_left);

/**
 * Prefetch what se_guard_src_check() of @p k will read, in two steps: first
 * its hash head (@p slot false), later, once that is in cache, the slot it
 * names (@p slot true). A worker issues the first step for a whole burst,
 * the second one datagram ahead, so that neither read waits on memory.
 */
void se_guard_src_prefetch(const struct se_guard_src *t, struct se_guard_key k, bool slot);

/** Sources the table holds. */
uint32_t se_guard_src_used(const struct se_guard_src *t);

/** Slots of the table. */
uint32_t se_guard_src_slots(const struct se_guard_src *t);

/**
 * The sources with the most drops, most first (ties: the one banned longer
 * first). Safe to call from another thread than the table's writer: every
 * field is read atomically, so the list is a snapshot that may mix two
 * moments of an entry that changes meanwhile.
 *
 * @param t    the table
 * @param now  ticks (for ban_left)
 * @param out  room for @p n sources
 * @param n    how many at most
 * @return the number written (sources with no drop are left out)
 */
unsigned int se_guard_src_top(const struct se_guard_src *t, uint64_t now,
			      struct se_guard_src_info *out, unsigned int n);

/* ---------------------------------------------------------------------------
 * The guard of one worker
 */

/** How a source over its bucket or banned is treated (--flood-reply). */
enum se_guard_flood_reply {
	SE_GUARD_FLOOD_DROP = 0, /**< silence (the default: the edge never amplifies) */
	SE_GUARD_FLOOD_503,      /**< 503 with Retry-After, within the reply bucket */
};

/** Settings of the guard, shared read-only by every worker's guard. */
struct se_guard_params {
	uint64_t hz;                 /**< ticks per second of every `now` */
	uint64_t seed;               /**< hash seed of the source tables */
	uint32_t sources;            /**< source table slots per worker (--guard-sources) */
	uint32_t rate;               /**< --rate-limit per source per second; 0: off */
	uint32_t burst;              /**< --rate-limit burst (0: = rate) */
	uint32_t ban_s;              /**< --ban-seconds for sources over their bucket; 0: no ban */
	uint8_t flood_reply;         /**< enum se_guard_flood_reply (--flood-reply) */
	bool sanity;                 /**< answer 400/505/513/420 (--sanity-replies) */
	uint32_t reply_rate;         /**< guard replies per second per worker */
	uint32_t reply_burst;        /**< their burst */
	uint32_t max_size;           /**< --max-message-size: larger is answered 513; 0: no limit */
	uint32_t scanner_ban_s;      /**< --scanner-ban seconds of a scanner's source; 0: none */
	bool trusted_calls;          /**< the call set is trusted (--trusted-set) */
	bool trusted_registers;      /**< the register set is trusted (--trusted-set) */
	struct se_guard_ua ua;       /**< scanner User-Agents (--scanner-ua) */
	uint32_t n_options;          /**< option tags accepted in Proxy-Require */
	char options[SE_GUARD_MAX_OPTIONS][SE_GUARD_OPTION_LEN + 1]; /**< --proxy-option tags */
};

/**
 * Defaults: no rate limit, ban 60 s once a limit is set, drop floods
 * silently, sanity replies on at 100 per second (burst 20) per worker, no
 * size limit, the default scanner list, no scanner ban, nothing trusted,
 * SE_GUARD_DEFAULT_SOURCES slots. hz and seed are the caller's.
 */
void se_guard_params_defaults(struct se_guard_params *p);

/**
 * Add an option tag the edge accepts in Proxy-Require.
 *
 * @return 0; -EINVAL when empty, too long or not a token; -ENOSPC beyond
 *         SE_GUARD_MAX_OPTIONS
 */
int se_guard_params_add_option(struct se_guard_params *p, const char *tag);

/** The guard of one worker. Opaque. */
struct se_guard;

/** What a question to the guard decided, beyond the verdict. */
struct se_guard_out {
	uint8_t reason;     /**< counter of the outcome: the drop reason, or the reply's */
	uint8_t event;      /**< a second counter (guard_bans, guard_evictions), or SE_STAT_COUNT */
	uint8_t fallback;   /**< se_guard_pre() REPLY: the drop counter if no reply can be made */
	uint16_t code;      /**< REPLY: the status code */
	const char *phrase; /**< REPLY: the reason phrase */
	const uint8_t *buf; /**< REPLY: the datagram to reply from (the input, or a copy) */
	char extra[SE_GUARD_EXTRA_MAX]; /**< REPLY: extra header lines, CRLF each, NUL-terminated */
};

/** Bytes of memory the guard of one worker needs (0 when a parameter is out of range). */
size_t se_guard_memsize(const struct se_guard_params *p);

/**
 * Build a worker's guard in @p mem (se_guard_memsize() bytes, 64-byte aligned
 * preferably). @p p must outlive it.
 *
 * @param mem  the memory
 * @param p    the settings
 * @param now  ticks (the reply bucket starts full)
 * @return the guard (at @p mem), or NULL when a parameter is out of range
 */
struct se_guard *se_guard_init(void *mem, const struct se_guard_params *p, uint64_t now);

/**
 * se_guard_src_prefetch() for se_guard_pre() of @p k (nothing when no source
 * can be over a bucket or banned).
 */
void se_guard_prefetch(const struct se_guard *g, struct se_guard_key k, bool slot);

/** The settings of @p g. */
const struct se_guard_params *se_guard_params(const struct se_guard *g);

/** The source table of @p g (for telemetry). */
const struct se_guard_src *se_guard_sources(const struct se_guard *g);

/**
 * Before parsing. Denied sources are dropped (drop_guard_acl); a banned
 * source's datagrams are dropped (drop_guard_banned), as the excess of a
 * source over its bucket (drop_guard_rate, and guard_bans when that starts a
 * ban). With --flood-reply 503 those datagrams get REPLY instead while the
 * reply bucket has a token: the caller parses, answers 503 with Retry-After
 * if the datagram is a request other than ACK (se_guard_can_answer()), and
 * else drops it counted as out->fallback.
 *
 * @param g    the worker's guard
 * @param src  the source
 * @param acl  the ACL's verdict for @p src (SE_GUARD_ACL_NONE without an ACL)
 * @param now  ticks
 * @param out  the details
 * @return the verdict
 */
enum se_guard_verdict se_guard_pre(struct se_guard *g, struct se_guard_key src,
				   enum se_guard_acl_action acl, uint64_t now,
				   struct se_guard_out *out);

/**
 * After a successful parse, before the proxy: an out-of-dialog request (no
 * To tag) from a scanner (drop_guard_scanner; its source banned with
 * --scanner-ban), a new dialog
 * or other out-of-dialog request for a trusted set from a source no --allow
 * lists (drop_guard_untrusted), a message above --max-message-size (reply_513,
 * or drop_guard_too_large for a response or an ACK), a request whose
 * Proxy-Require names an option the edge does not accept (reply_420 with
 * Unsupported; never for ACK and CANCEL, RFC 3261 8.2.2.3). Replies are
 * limited (drop_guard_reply_limit).
 *
 * @param g    the worker's guard
 * @param buf  the datagram
 * @param len  its length
 * @param msg  its view (SE_SIP_OK)
 * @param src  the source
 * @param acl  the ACL's verdict for @p src
 * @param now  ticks
 * @param out  the details
 * @return the verdict
 */
enum se_guard_verdict se_guard_parsed(struct se_guard *g, const uint8_t *buf, size_t len,
				      const struct se_sip_msg *msg, struct se_guard_key src,
				      enum se_guard_acl_action acl, uint64_t now,
				      struct se_guard_out *out);

/**
 * After a failed parse: REPLY 513 (above --max-message-size), 505 (version)
 * or 400 (any other defect) for a request other than ACK whose Via, From,
 * To, Call-ID and CSeq were found and decode; else DROP counted
 * drop_sip_parse (or drop_guard_reply_limit when the reply bucket is
 * empty). A request whose start line was refused (version, Request-URI) is
 * copied into @p fix with the start line "METHOD sip:invalid SIP/2.0" and
 * parsed again into @p msg, so out->buf may be @p fix. The fields of the
 * view that the reply reads (via, from, to, call_id) are decoded from the
 * header index when the parser stopped before them; a field the parser was
 * splitting when it failed is left out of the index.
 *
 * @param g        the worker's guard
 * @param buf      the datagram
 * @param len      its length
 * @param st       what se_sip_parse() returned (not SE_SIP_OK)
 * @param msg      the view it filled; may be changed as said above
 * @param fix      room for a rebuilt copy
 * @param fix_cap  its size (SE_GUARD_FIX_MAX is enough for every copy made)
 * @param now      ticks
 * @param out      the details
 * @return the verdict (never PASS)
 */
enum se_guard_verdict se_guard_unparsed(struct se_guard *g, const uint8_t *buf, size_t len,
					enum se_sip_status st, struct se_sip_msg *msg,
					uint8_t *fix, size_t fix_cap, uint64_t now,
					struct se_guard_out *out);

/** Can a reply be made to this parsed message: a request other than ACK? */
static inline bool
se_guard_can_answer(const struct se_sip_msg *msg)
{
	return msg->is_request && msg->method_id != SE_SIP_METHOD_ACK;
}

/** The reason phrase of a guard reply code ("Bad Request"), or "Error". */
const char *se_guard_phrase(uint16_t code);

#ifdef __cplusplus
}
#endif

#endif /* _SE_GUARD_H_ */
