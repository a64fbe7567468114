/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_HEALTH_H_
#define _SE_HEALTH_H_

/**
 * @file
 * Health of one backend, as SIP OPTIONS probes see it: a state machine fed
 * with events and the time, and the text of the probe itself.
 *
 * The caller (the control core) owns one struct se_health per probed
 * address and tells it what happened, always with the current time in
 * nanoseconds of a monotonic clock it reads itself (nothing here reads a
 * clock, so every behaviour is a unit test):
 *
 *     if (se_health_due(h, p, now))   -> send a probe: se_health_sent() gives its seq
 *     a final reply with that seq     -> se_health_reply()
 *     an ICMP unreachable about it    -> se_health_unreachable()
 *     every tick                      -> se_health_tick() (timeouts)
 *
 * Each of these returns true when the backend's state changed (up <-> down);
 * the struct then says why (reason, code) and since when.
 *
 * Rules:
 * - A backend that never answered since startup is down; its first accepted
 *   reply brings it up (there is nothing to be hysteretic about yet).
 * - Hysteresis after that: fail_n consecutive failures take an up backend
 *   down, ok_n consecutive successes bring a down one back.
 * - A failure is a timeout (no final reply within `timeout`), a refused code
 *   (any final code outside the accepted list: 503 by default), or an ICMP
 *   unreachable while a probe is out. An unreachable without a probe out
 *   (about call traffic) makes the next probe due early, after `min_gap`:
 *   evidence is checked at once, not trusted blindly.
 * - Provisional replies (1xx) are ignored; a reply to an older probe is
 *   counted as late and changes nothing.
 * - Clock jumps: backwards, the probe out (and the interval) restart from
 *   the new time, so a probe can never wait longer than one timeout from
 *   the jump; forwards, a probe out times out once (one failure, not one per
 *   missed interval).
 *
 * The probe: se_health_probe_build() writes an RFC 3261 OPTIONS whose Via
 * branch begins with the caller's prefix and names the backend (id), the
 * probe (seq) and a check derived from a key, so a reply is matched without
 * any per-probe memory and stray or forged replies are recognised.
 *
 * Errors: int functions return 0 (or a length) or -errno; predicates bool.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most entries (codes or ranges) in an accepted-code list. */
#define SE_HEALTH_MAX_CODES 16
/** Buckets of the round-trip-time histogram (the last one is +Inf). */
#define SE_HEALTH_RTT_BUCKETS 14
/** Length of a probe branch after its prefix: id, seq and check, 8 hex digits each. */
#define SE_HEALTH_BRANCH_HEX 24
/** Length of the branch prefix (magic cookie + 2 characters). */
#define SE_HEALTH_BRANCH_PREFIX_LEN 9
/** Largest probe se_health_probe_build() writes. */
#define SE_HEALTH_PROBE_MAX 512

/** One accepted code or range of codes, inclusive. */
struct se_health_code_range {
	uint16_t lo; /**< first code */
	uint16_t hi; /**< last code (== lo for a single code) */
};

/** Probe settings, shared by every backend. Times in nanoseconds. */
struct se_health_params {
	uint64_t interval; /**< from one probe of a backend to the next (> 0) */
	uint64_t timeout;  /**< a probe without a final reply after this long failed (> 0) */
	uint64_t min_gap;  /**< shortest gap before an early probe (after an unreachable) */
	uint32_t fail_n;   /**< consecutive failures that take an up backend down (>= 1) */
	uint32_t ok_n;     /**< consecutive successes that bring a down backend up (>= 1) */
	uint16_t n_codes;  /**< entries in codes (>= 1) */
	struct se_health_code_range codes[SE_HEALTH_MAX_CODES]; /**< accepted final codes */
};

/** Health of a backend. */
enum se_health_state {
	SE_HEALTH_DOWN = 0, /**< failing, or never answered */
	SE_HEALTH_UP,       /**< answering with an accepted code */
};

/** Why the state last changed (or, for the last failure, what it was). */
enum se_health_reason {
	SE_HEALTH_REASON_STARTUP = 0, /**< never answered since startup */
	SE_HEALTH_REASON_REPLY,       /**< answered with an accepted code */
	SE_HEALTH_REASON_TIMEOUT,     /**< no final reply in time */
	SE_HEALTH_REASON_CODE,        /**< answered with a refused code */
	SE_HEALTH_REASON_UNREACHABLE, /**< ICMP destination unreachable */
	SE_HEALTH_REASON_OPERATOR,    /**< set by the operator */
	SE_HEALTH_REASON_PROBE_OFF,   /**< probing is off: assumed up */
	SE_HEALTH_REASON_COUNT        /**< number of reasons */
};

/** One backend's health. Written by its owner only; plain data, copyable. */
struct se_health {
	uint8_t state;       /**< enum se_health_state */
	uint8_t reason;      /**< enum se_health_reason of the last transition */
	uint8_t last_fail;   /**< enum se_health_reason of the latest failure (STARTUP: none yet) */
	bool in_flight;      /**< a probe is out, waiting for its reply */
	bool suspect;        /**< an unreachable arrived with no probe out: probe early */
	bool answered;       /**< an accepted reply was ever seen */
	uint16_t code;       /**< code of the last transition (CODE, REPLY), else 0 */
	uint16_t last_code;  /**< code of the latest final reply, 0 if none */
	uint32_t seq;        /**< seq of the probe out, or of the last one sent */
	uint32_t fails;      /**< consecutive failures */
	uint32_t oks;        /**< consecutive successes */
	uint64_t sent_at;    /**< when the latest probe was sent */
	uint64_t changed_at; /**< when the state last changed (or init) */
	uint64_t rtt;        /**< round trip of the latest final reply (ns) */
	uint64_t n_sent;     /**< probes sent */
	uint64_t n_ok;       /**< replies with an accepted code */
	uint64_t n_refused;  /**< replies with a refused code */
	uint64_t n_timeout;  /**< probes timed out */
	uint64_t n_unreachable; /**< ICMP unreachables received */
	uint64_t n_late;     /**< replies to no probe out (late, duplicated) */
	uint64_t n_up;       /**< transitions to up */
	uint64_t n_down;     /**< transitions to down */
	uint64_t rtt_sum;    /**< sum of every recorded round trip (ns) */
	uint64_t rtt_hist[SE_HEALTH_RTT_BUCKETS]; /**< round trips per bucket (not cumulative) */
};

/**
 * Check settings: interval, timeout > 0; min_gap <= interval; fail_n, ok_n
 * >= 1; 1..SE_HEALTH_MAX_CODES code ranges with 100 <= lo <= hi <= 699.
 * @return 0 or -EINVAL
 */
int se_health_params_check(const struct se_health_params *p);

/**
 * Parse an accepted-code list into @p p: "200", "200,202", "200-299,404".
 * @p p is unchanged on error.
 * @return 0; -EINVAL (syntax, a code outside 200..699, lo > hi), -ENOSPC
 *   (more than SE_HEALTH_MAX_CODES entries)
 */
int se_health_codes_parse(struct se_health_params *p, const char *text);

/** Is final code @p code accepted by @p p? */
bool se_health_code_ok(const struct se_health_params *p, uint16_t code);

/**
 * Start a backend at @p now: down and never answered, or (@p up, probing
 * off) up with reason SE_HEALTH_REASON_PROBE_OFF.
 */
void se_health_init(struct se_health *h, uint64_t now, bool up);

/** Should a probe be sent now? (none out, and the interval, or min_gap when suspect, passed) */
bool se_health_due(const struct se_health *h, const struct se_health_params *p, uint64_t now);

/**
 * A probe was sent at @p now; @p seq receives its number (for the branch).
 * A probe still out is abandoned first, as a timeout.
 * @return true when that timeout changed the state
 */
bool se_health_sent(struct se_health *h, const struct se_health_params *p, uint64_t now,
		    uint32_t *seq);

/**
 * Advance time: a probe out longer than the timeout fails. Re-anchors the
 * probe times when the clock went backwards.
 * @return true when the state changed
 */
bool se_health_tick(struct se_health *h, const struct se_health_params *p, uint64_t now);

/**
 * A reply with status @p code to probe @p seq arrived at @p now. 1xx is
 * ignored; another seq than the probe out counts as late.
 * @return true when the state changed
 */
bool se_health_reply(struct se_health *h, const struct se_health_params *p, uint32_t seq,
		     uint16_t code, uint64_t now);

/**
 * An ICMP destination unreachable about this backend arrived at @p now:
 * the probe out fails at once; with none out, the next one is due early.
 * @return true when the state changed
 */
bool se_health_unreachable(struct se_health *h, const struct se_health_params *p, uint64_t now);

/**
 * The operator sets the state (reason SE_HEALTH_REASON_OPERATOR); the
 * consecutive counts restart. Probes go on and move it as usual.
 * @return true when the state changed
 */
bool se_health_force(struct se_health *h, enum se_health_state state, uint64_t now);

/** "down" or "up" ("?" otherwise). Never NULL. */
const char *se_health_state_name(enum se_health_state s);

/**
 * "never answered", "reply", "timeout", "code", "unreachable", "operator",
 * "probing off" ("?" otherwise). Never NULL.
 */
const char *se_health_reason_name(enum se_health_reason r);

/** Upper bound of RTT bucket @p i in nanoseconds; UINT64_MAX for the last (+Inf). */
uint64_t se_health_rtt_bound(unsigned int i);

/* ---------------------------------------------------------------------------
 * The probe
 */

/** Everything one OPTIONS probe says. */
struct se_health_probe {
	const char *branch_prefix; /**< SE_HEALTH_BRANCH_PREFIX_LEN characters, "z9hG4bK" first */
	uint32_t src_ip;           /**< our address, network byte order */
	uint16_t src_port;         /**< our SIP port */
	uint16_t dst_port;         /**< the backend's port */
	uint32_t dst_ip;           /**< the backend's address, network byte order */
	uint32_t id;               /**< which backend, in the caller's numbering */
	uint32_t seq;              /**< which probe (se_health_sent()) */
	uint64_t key;              /**< the caller's secret, mixed into the check */
};

/**
 * Write the branch of @p pr (prefix + id, seq and check in hex) into @p out,
 * SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX bytes, no NUL.
 */
void se_health_probe_branch(const struct se_health_probe *pr, char *out);

/**
 * Write the OPTIONS request of @p pr into @p buf: Request-URI and To the
 * backend, Via from src with the branch and rport, Max-Forwards 70, From
 * with a tag, Call-ID and CSeq unique per probe, Accept, User-Agent,
 * Content-Length 0.
 * @return its length, or -ENOSPC when @p cap is too small, -EINVAL for a
 *   prefix that is not SE_HEALTH_BRANCH_PREFIX_LEN characters
 */
int se_health_probe_build(const struct se_health_probe *pr, char *buf, size_t cap);

/**
 * Read id and seq from a branch (@p len bytes at @p branch) that begins
 * with @p prefix; the check is left to se_health_probe_matches().
 * @return true when the branch has the probe form
 */
bool se_health_probe_decode(const char *prefix, const uint8_t *branch, size_t len, uint32_t *id,
			    uint32_t *seq);

/** Is @p branch exactly the branch of @p pr (check included)? */
bool se_health_probe_matches(const struct se_health_probe *pr, const uint8_t *branch, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _SE_HEALTH_H_ */
