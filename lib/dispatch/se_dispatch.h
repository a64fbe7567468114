/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_DISPATCH_H_
#define _SE_DISPATCH_H_

/**
 * @file
 * Backend sets, weighted Maglev tables, key hashing and RCU-published snapshots.
 *
 * Three objects, three owners:
 *
 * - A configuration (struct se_dispatch_config, opaque, mutable) lives on the
 *   control core. It is filled from `--backend`, `--set` and `--backends-file`
 *   (Kamailio's dispatcher.list format) at startup and on SIGHUP, and its
 *   backends change state when health probes say so.
 * - A table (struct se_dispatch_table, immutable) is built from a
 *   configuration by the control core only. It holds every backend (so an
 *   in-dialog request finds a draining one by address) and, per set, a flat
 *   weighted Maglev lookup array over the up backends of the best priority
 *   group. Backends are placed in a canonical order and permuted from hashes
 *   of their address and port with a fixed seed: the same configuration given
 *   in any order gives byte-identical lookup arrays, so two edges behind ECMP
 *   agree on every call.
 * - A publication point (struct se_dispatch_pub) holds the one pointer workers
 *   read. The control core publishes a new table with an atomic store, waits
 *   for an RCU grace period (DPDK rte_rcu_qsbr) and frees the old table.
 *   Workers never block or lock: they load the pointer, look up, and report a
 *   quiescent state once per loop, when they no longer hold any table pointer.
 *
 * Hot path, per request: se_dispatch_current() -> se_dispatch_key() ->
 * se_dispatch_key_hash() -> se_dispatch_lookup() (or se_dispatch_find() for
 * an in-dialog request that names its backend in our Record-Route) ->
 * se_dispatch_backend().
 *
 * Errors: int functions return 0 (or an index) on success and -errno on
 * failure; constructors return NULL and set errno; lookups return -1 for
 * "no backend".
 */

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <xxhash.h>

#include "se_sip.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most backends one configuration (and so one table) holds, over all sets. */
#define SE_DISPATCH_MAX_BACKENDS 4096
/** Most sets one configuration holds. */
#define SE_DISPATCH_MAX_SETS 64
/**
 * Set of a `--backend` without `set=`. Kamailio's set ids are integers and its
 * examples number sets from 1 (ds_select_dst("1", ...)), so an operator's first
 * set is 1 here too. Any id 0..SE_DISPATCH_MAX_SET_ID is allowed.
 */
#define SE_DISPATCH_DEFAULT_SET 1
/** Largest set id. */
#define SE_DISPATCH_MAX_SET_ID 2147483647u
/** Default lookup table size: a prime well above 100 x the backends of a normal set. */
#define SE_DISPATCH_DEFAULT_SIZE 65537u
/** Largest lookup table size (the largest prime below 2^20). */
#define SE_DISPATCH_MAX_SIZE 1048573u
/** A set's table has at least this many slots per configured backend (Maglev's M >> N). */
#define SE_DISPATCH_SLOTS_PER_BACKEND 100u
/** Largest weight. */
#define SE_DISPATCH_MAX_WEIGHT 65535u
/** Room for a backend's text form "[ffff:...:ffff]:65535" and its NUL. */
#define SE_DISPATCH_NAME_LEN 56
/** Empty slot / no backend, in lookup arrays and the address index. */
#define SE_DISPATCH_NONE 0xffffu
/** se_dispatch_table.magic of a live table; a freed table is poisoned. */
#define SE_DISPATCH_TABLE_MAGIC 0x5345444953505431ull /* "SEDISPT1" */

/** Administrative or health state of a backend. */
enum se_dispatch_state {
	SE_DISPATCH_UP = 0,   /**< takes new calls and in-dialog requests */
	SE_DISPATCH_DOWN,     /**< failed its probes: no new calls */
	SE_DISPATCH_DRAINING, /**< no new calls; in-dialog requests still reach it */
	SE_DISPATCH_DISABLED, /**< taken out by the operator: no new calls */
	SE_DISPATCH_STATE_COUNT /**< number of states */
};

/** What a set hashes to choose a backend for a new call. */
enum se_dispatch_key_kind {
	SE_DISPATCH_KEY_CALL_ID = 0, /**< Call-ID value, exact bytes (the default) */
	SE_DISPATCH_KEY_FROM_USER,   /**< user part of the From URI, exact bytes */
	SE_DISPATCH_KEY_TO_URI,      /**< the To URI's address of record: user and host */
	SE_DISPATCH_KEY_RURI_USER,   /**< user part of the Request-URI, exact bytes */
	SE_DISPATCH_KEY_SRC_ADDR,    /**< source IPv4 address of the datagram */
	SE_DISPATCH_KEY_COUNT        /**< number of key kinds */
};

/**
 * A backend's identity: address family, address and UDP port. Padding-free
 * (20 bytes) and always zero-filled beyond the address, so it is hashed and
 * compared as bytes.
 */
struct se_dispatch_addr {
	uint8_t family;    /**< AF_INET or AF_INET6 */
	uint8_t zero;      /**< always 0 */
	uint16_t port;     /**< UDP port, host byte order, 1..65535 */
	uint8_t bytes[16]; /**< address in network byte order; IPv4 uses the first 4, rest 0 */
};

/** One backend, in a configuration and in a table. */
struct se_dispatch_backend {
	struct se_dispatch_addr addr;    /**< identity: family, address, port */
	uint32_t set_id;                 /**< set it belongs to */
	int32_t priority;                /**< group: lower is preferred; default 0 */
	uint16_t weight;                 /**< share of new calls in its group; 0: none; default 1 */
	uint8_t state;                   /**< enum se_dispatch_state */
	uint8_t reserved;                /**< always 0 */
	uint32_t tag;                    /**< the application's number (se_dispatch_config_set_tag()) */
	char name[SE_DISPATCH_NAME_LEN]; /**< "ADDR:PORT" or "[ADDR]:PORT", canonical form */
};

/** Options of one set (`--set S,key=K[,size=N]`). */
struct se_dispatch_set_params {
	uint32_t set_id; /**< the set */
	uint32_t size;   /**< lookup table size, a prime; 0: automatic (se_dispatch_table_build) */
	uint8_t key;     /**< enum se_dispatch_key_kind */
};

/* ---------------------------------------------------------------------------
 * Configuration (control core only; not thread-safe)
 */

/** A mutable list of backends and set options. Opaque. */
struct se_dispatch_config;

/**
 * Create an empty configuration.
 *
 * @return the configuration, or NULL with errno = ENOMEM
 */
struct se_dispatch_config *se_dispatch_config_create(void);

/** Free a configuration. NULL-safe. */
void se_dispatch_config_free(struct se_dispatch_config *cfg);

/**
 * Add one backend. Its name is (re)computed from its address.
 *
 * @param cfg  the configuration
 * @param b    the backend
 * @return its index (>= 0); -EINVAL for a bad family, port, weight, state or
 *         set id; -EEXIST when the set already has this address and port;
 *         -ENOSPC beyond SE_DISPATCH_MAX_BACKENDS backends or
 *         SE_DISPATCH_MAX_SETS sets; -ENOMEM
 */
int se_dispatch_config_add(struct se_dispatch_config *cfg, const struct se_dispatch_backend *b);

/**
 * Add one backend from a `--backend` argument:
 * `ADDR[:PORT][,weight=W][,prio=P][,set=S][,state=up|down|draining|disabled]`,
 * IPv6 as `[ADDR][:PORT]`. The port defaults to 5060, weight to 1, prio to 0,
 * set to SE_DISPATCH_DEFAULT_SET, state to up. Host names are refused: the
 * data plane does no DNS, and two edges resolving a name at different times
 * could build different tables.
 *
 * @param cfg     the configuration
 * @param arg     the argument text
 * @param err     receives a one-line reason on failure, naming the argument (may be NULL)
 * @param errlen  size of @p err
 * @return the backend's index (>= 0), or the -errno of se_dispatch_config_add()
 *         (-EINVAL for a syntax error)
 */
int se_dispatch_config_add_arg(struct se_dispatch_config *cfg, const char *arg, char *err,
			       size_t errlen);

/**
 * Set the options of one set, replacing earlier ones.
 *
 * @param cfg  the configuration
 * @param p    the options; size 0 (automatic) or a prime 2..SE_DISPATCH_MAX_SIZE
 * @return 0; -EINVAL for a bad set id, key or size; -ENOSPC beyond
 *         SE_DISPATCH_MAX_SETS sets
 */
int se_dispatch_config_set_params(struct se_dispatch_config *cfg,
				  const struct se_dispatch_set_params *p);

/**
 * Set the options of one set from a `--set` argument: `S[,key=KIND][,size=N]`
 * with KIND one of call-id, from-user, to-uri, ruri-user, src-addr.
 *
 * @param cfg     the configuration
 * @param arg     the argument text
 * @param err     receives a one-line reason on failure (may be NULL)
 * @param errlen  size of @p err
 * @return 0, or the -errno of se_dispatch_config_set_params() (-EINVAL for syntax)
 */
int se_dispatch_config_set_arg(struct se_dispatch_config *cfg, const char *arg, char *err,
			       size_t errlen);

/**
 * Add the backends of a Kamailio dispatcher.list file:
 * `SETID DESTINATION [FLAGS [PRIORITY [ATTRS]]]` per line, '#' comments and
 * blank lines ignored. DESTINATION is `[sip:]ADDR[:PORT][;params]` (port 5060
 * by default; `;transport=udp` or no transport; other parameters ignored).
 * FLAGS: 1 (inactive) gives state down, 4 (disabled) gives state disabled,
 * 2, 8 and 16 are accepted and ignored. PRIORITY keeps Kamailio's meaning (a
 * greater value is tried first), so it is stored negated: priority 10 in the
 * file becomes group -10, preferred to group 0. ATTRS `name=value;...`:
 * `weight=W` (0..65535) is used, other attributes (duid, maxload, socket...)
 * are ignored. The whole file is refused on the first bad line, and @p cfg is
 * then unchanged.
 *
 * @param cfg     the configuration
 * @param path    the file
 * @param err     receives "FILE:LINE: reason" (or "FILE: reason") on failure (may be NULL)
 * @param errlen  size of @p err
 * @return the number of backends added (>= 0); the -errno of fopen() (-ENOENT,
 *         -EACCES...) or -EIO when the file cannot be read; -EINVAL for a bad
 *         line; -EEXIST for a backend already in its set; -ENOSPC; -ENOMEM
 */
int se_dispatch_config_load_file(struct se_dispatch_config *cfg, const char *path, char *err,
				 size_t errlen);

/**
 * Check what only the whole configuration shows: every explicit table size
 * holds at least SE_DISPATCH_SLOTS_PER_BACKEND slots per backend of its set.
 * se_dispatch_table_build() fails with EINVAL when this fails.
 *
 * @param cfg     the configuration
 * @param err     receives a one-line reason on failure (may be NULL)
 * @param errlen  size of @p err
 * @return 0, or -EINVAL
 */
int se_dispatch_config_check(const struct se_dispatch_config *cfg, char *err, size_t errlen);

/** Number of backends in @p cfg. */
unsigned se_dispatch_config_count(const struct se_dispatch_config *cfg);

/** Backend @p idx of @p cfg (in the order added), or NULL when out of range. */
const struct se_dispatch_backend *se_dispatch_config_backend(const struct se_dispatch_config *cfg,
							     unsigned idx);

/**
 * Index in @p cfg of the backend of set @p set_id with address @p addr.
 *
 * @return the index, or -ENOENT
 */
int se_dispatch_config_find(const struct se_dispatch_config *cfg, uint32_t set_id,
			    const struct se_dispatch_addr *addr);

/**
 * Change the state of backend @p idx (health probes, operator commands).
 *
 * @return 0, -ENOENT for a bad index, -EINVAL for a bad state
 */
int se_dispatch_config_set_state(struct se_dispatch_config *cfg, unsigned idx,
				 enum se_dispatch_state state);

/**
 * Change the weight of backend @p idx.
 *
 * @return 0, -ENOENT for a bad index, -EINVAL above SE_DISPATCH_MAX_WEIGHT
 */
int se_dispatch_config_set_weight(struct se_dispatch_config *cfg, unsigned idx, unsigned weight);

/**
 * Attach the application's number @p tag to backend @p idx (e.g. the slot of
 * its counters). Tables copy it; it is not part of the identity, the order
 * or the lookup arrays. A backend added without one has tag 0.
 *
 * @return 0, or -ENOENT for a bad index
 */
int se_dispatch_config_set_tag(struct se_dispatch_config *cfg, unsigned idx, uint32_t tag);

/**
 * A copy of @p cfg: its backends (states and tags included) and set options.
 * SIGHUP builds the next configuration from a copy of the command line's.
 *
 * @return the copy, or NULL with errno = ENOMEM
 */
struct se_dispatch_config *se_dispatch_config_copy(const struct se_dispatch_config *cfg);

/**
 * Remove backend @p idx; the backends after it move down by one index.
 *
 * @return 0, or -ENOENT for a bad index
 */
int se_dispatch_config_del(struct se_dispatch_config *cfg, unsigned idx);

/* ---------------------------------------------------------------------------
 * Text forms
 */

/**
 * Parse "ADDR", "ADDR:PORT", "[ADDR6]" or "[ADDR6]:PORT" (IP literals only).
 *
 * @param text          the text
 * @param len           its length
 * @param default_port  port when none is given
 * @param addr          filled on success
 * @param why           on failure, a static reason, e.g. "port must be 1..65535" (may be NULL)
 * @return 0 or -EINVAL
 */
int se_dispatch_addr_parse(const char *text, size_t len, uint16_t default_port,
			   struct se_dispatch_addr *addr, const char **why);

/**
 * Write the canonical text form ("192.0.2.1:5060", "[2001:db8::1]:5060").
 *
 * @return the length written (without the NUL), or -EINVAL (bad family) or
 *         -ENOSPC (@p len too small)
 */
int se_dispatch_addr_format(const struct se_dispatch_addr *addr, char *buf, size_t len);

/** "up", "down", "draining", "disabled", or "?" . Never NULL. */
const char *se_dispatch_state_name(enum se_dispatch_state s);

/** "call-id", "from-user", "to-uri", "ruri-user", "src-addr", or "?". Never NULL. */
const char *se_dispatch_key_name(enum se_dispatch_key_kind k);

/* ---------------------------------------------------------------------------
 * Tables (immutable once built)
 */

/** One set of a table. */
struct se_dispatch_set {
	const uint16_t *lookup; /**< size slots: a set-local backend index, or SE_DISPATCH_NONE */
	uint32_t size;          /**< slots in lookup: the set's table size; 1 when none is active */
	uint32_t set_id;        /**< the set's id */
	uint16_t first;         /**< table index of the set's first backend */
	uint16_t count;         /**< backends of the set (all states) */
	uint16_t n_active;      /**< backends in lookup: up, weight > 0, of the best group */
	uint8_t key;            /**< enum se_dispatch_key_kind */
	uint8_t reserved;       /**< always 0 */
	int32_t priority;       /**< priority group in lookup (meaningful when n_active > 0) */
};

/**
 * A table snapshot: the part the hot path reads. Built by
 * se_dispatch_table_build(), never written after publication. Backends are
 * sorted by (set id, family, address, port) and a set's backends are
 * contiguous: [first, first + count).
 */
struct se_dispatch_table {
	uint64_t magic;                            /**< SE_DISPATCH_TABLE_MAGIC while alive */
	uint64_t version;                          /**< publication number; 0 before publication */
	const struct se_dispatch_backend *backends; /**< n_backends backends */
	const struct se_dispatch_set *sets;        /**< n_sets sets, by ascending set id */
	const uint16_t *addr_index;                /**< open-addressing index by address */
	uint32_t addr_mask;                        /**< addr_index slots (a power of 2) - 1 */
	uint16_t n_backends;                       /**< backends */
	uint16_t n_sets;                           /**< sets */
};

/**
 * Build a table from a configuration (control core only). A set's table size
 * is its explicit size, or else the smallest prime >= max(65537, 100 x its
 * backends). The lookup array of a set spreads its slots over the backends
 * that are up with weight > 0 and share the lowest priority value among those;
 * weighted as in Katran's and Cilium's Maglev, each backend claims slots in
 * proportion to its weight. A set without such a backend gets a one-slot
 * array holding SE_DISPATCH_NONE.
 *
 * @param cfg  the configuration
 * @return the table, or NULL with errno EINVAL (see se_dispatch_config_check)
 *         or ENOMEM
 */
struct se_dispatch_table *se_dispatch_table_build(const struct se_dispatch_config *cfg);

/** Free a table that no reader can still hold. NULL-safe. Poisons it first. */
void se_dispatch_table_free(struct se_dispatch_table *t);

/** Index of the set with id @p set_id in @p t, or -1. Set indices are per table. */
static inline int
se_dispatch_set_index(const struct se_dispatch_table *t, uint32_t set_id)
{
	for (unsigned i = 0; i < t->n_sets; i++)
		if (t->sets[i].set_id == set_id)
			return (int)i;
	return -1;
}

/** 64-bit hash of a key: XXH3, fixed (no seed), identical on every edge. */
static inline uint64_t
se_dispatch_hash(const void *key, size_t len)
{
	return XXH3_64bits(key, len);
}

/**
 * The backend for a new call.
 *
 * The slot is chosen by multiply-shift of the hash's upper 32 bits, not by a
 * division: slot = (hash >> 32) * size >> 32.
 *
 * @param t        the table
 * @param set_idx  index of the set in @p t (se_dispatch_set_index())
 * @param hash     the key's hash (se_dispatch_key_hash())
 * @return table index of the backend, or -1 when the set has no active
 *         backend or @p set_idx is out of range
 */
static inline int
se_dispatch_lookup(const struct se_dispatch_table *t, unsigned set_idx, uint64_t hash)
{
	if (set_idx >= t->n_sets)
		return -1;
	const struct se_dispatch_set *s = &t->sets[set_idx];
	uint32_t slot = (uint32_t)(((hash >> 32) * s->size) >> 32);
	uint16_t b = s->lookup[slot];

	return b == SE_DISPATCH_NONE ? -1 : (int)s->first + b;
}

/** Backend @p idx of @p t, or NULL when out of range. */
static inline const struct se_dispatch_backend *
se_dispatch_backend(const struct se_dispatch_table *t, int idx)
{
	if (idx < 0 || idx >= (int)t->n_backends)
		return NULL;
	return &t->backends[idx];
}

/** Hash of an address for the table's address index. */
static inline uint64_t
se_dispatch_addr_hash(const struct se_dispatch_addr *a)
{
	return XXH3_64bits(a, sizeof(*a));
}

/**
 * The backend named by address and port, whatever its state (an in-dialog
 * request names its backend in our Record-Route; a draining backend still
 * gets it). When the same address and port is in several sets, the one of
 * the lowest set id is returned.
 *
 * @param t       the table
 * @param family  AF_INET or AF_INET6
 * @param addr    4 or 16 bytes, network byte order
 * @param port    UDP port, host byte order
 * @return table index of the backend, or -1
 */
static inline int
se_dispatch_find(const struct se_dispatch_table *t, int family, const void *addr, uint16_t port)
{
	struct se_dispatch_addr k;

	memset(&k, 0, sizeof(k));
	if (family == AF_INET)
		memcpy(k.bytes, addr, 4);
	else if (family == AF_INET6)
		memcpy(k.bytes, addr, 16);
	else
		return -1;
	k.family = (uint8_t)family;
	k.port = port;
	for (uint32_t i = (uint32_t)se_dispatch_addr_hash(&k);; i++) {
		uint16_t b = t->addr_index[i & t->addr_mask];

		if (b == SE_DISPATCH_NONE)
			return -1;
		if (memcmp(&t->backends[b].addr, &k, sizeof(k)) == 0)
			return b;
	}
}

/* ---------------------------------------------------------------------------
 * Keys
 */

/**
 * The bytes a set hashes for one message, pointing into the datagram (no
 * copies). Hash them with se_dispatch_key_hash().
 */
struct se_dispatch_key {
	const uint8_t *p;    /**< bytes hashed exactly */
	const uint8_t *fold; /**< bytes hashed case-insensitively (the To URI host); NULL if none */
	uint16_t len;        /**< length of p */
	uint16_t fold_len;   /**< length of fold */
	uint8_t kind;        /**< kind used: the set's, or SE_DISPATCH_KEY_CALL_ID on fallback */
	bool fallback;       /**< the set's key was empty: the Call-ID was used */
	uint8_t addr[4];     /**< SE_DISPATCH_KEY_SRC_ADDR: the address, network byte order */
};

/**
 * Extract the key of kind @p kind from a parsed message.
 *
 * - call-id: the Call-ID value, exact bytes.
 * - from-user: the From URI's user part, exact (for a non-SIP URI such as
 *   tel:, everything after the scheme).
 * - to-uri: the address of record the registrar files bindings under: the To
 *   URI's user (exact) and host (case-insensitive, RFC 3261 19.1.4); scheme,
 *   password, port, parameters and headers are left out, so a REGISTER from
 *   every device of a user, whatever it adds, reaches the same registrar.
 *   A non-SIP URI: everything after the scheme, exact.
 * - ruri-user: the Request-URI's user part (@p ruri decoded by the caller);
 *   NULL @p ruri (a response) counts as empty.
 * - src-addr: @p src_ip_be, 4 bytes.
 *
 * An empty key falls back to the Call-ID (key->fallback set).
 *
 * @param kind       enum se_dispatch_key_kind
 * @param buf        the datagram
 * @param msg        its parsed view
 * @param ruri       the decoded Request-URI, or NULL
 * @param src_ip_be  source IPv4 address, network byte order
 * @param key        filled on success
 * @return 0; -EINVAL when @p kind is unknown or the Call-ID is empty too
 */
int se_dispatch_key_extract(enum se_dispatch_key_kind kind, const uint8_t *buf,
			    const struct se_sip_msg *msg, const struct se_sip_uri *ruri,
			    uint32_t src_ip_be, struct se_dispatch_key *key);

/**
 * Extract the key of set @p set_idx of @p t (se_dispatch_key_extract() with
 * the set's key kind).
 *
 * @return 0; -ENOENT when @p set_idx is out of range; -EINVAL as
 *         se_dispatch_key_extract()
 */
int se_dispatch_key(const struct se_dispatch_table *t, unsigned set_idx, const uint8_t *buf,
		    const struct se_sip_msg *msg, const struct se_sip_uri *ruri,
		    uint32_t src_ip_be, struct se_dispatch_key *key);

/** Hash of a key, for se_dispatch_lookup(). */
uint64_t se_dispatch_key_hash(const struct se_dispatch_key *key);

/* ---------------------------------------------------------------------------
 * Publication (RCU)
 */

struct rte_rcu_qsbr;

/**
 * The one pointer workers read tables through. Workers register with the
 * QSBR variable (rte_rcu_qsbr_thread_register + _online) and call
 * rte_rcu_qsbr_quiescent() once per loop, at a point where they hold no
 * table pointer: that is the application's job, not this library's.
 */
struct se_dispatch_pub {
	struct se_dispatch_table *_Atomic cur; /**< the current table, or NULL */
	struct rte_rcu_qsbr *qs;               /**< the workers' QSBR variable (the caller's) */
	_Atomic uint64_t seq;                  /**< publications so far */
	atomic_bool publishing;                /**< serialises publishers (never readers) */
};

/**
 * Prepare a publication point with no table.
 *
 * @param pub  the publication point
 * @param qs   the readers' QSBR variable, initialised by the caller; NULL when
 *             the caller is the only reader (a tool, a test)
 */
void se_dispatch_pub_init(struct se_dispatch_pub *pub, struct rte_rcu_qsbr *qs);

/**
 * Publish @p t (may be NULL) and free the table it replaces once every
 * registered reader has passed a quiescent state. Blocks the caller (the
 * control core) for that grace period, yielding the CPU; never blocks
 * readers. Several threads may publish: they take turns (a flag on the
 * writer side only), so versions grow in publication order. The table gets
 * the next version number.
 *
 * @param pub  the publication point
 * @param t    a table from se_dispatch_table_build(), now owned by @p pub
 */
void se_dispatch_publish(struct se_dispatch_pub *pub, struct se_dispatch_table *t);

/** Unpublish and free the current table (after the readers are stopped or offline). */
void se_dispatch_pub_fini(struct se_dispatch_pub *pub);

/**
 * The current table, for a reader (acquire load). Valid until the reader's
 * next quiescent state; may be NULL before the first publication.
 */
static inline const struct se_dispatch_table *
se_dispatch_current(struct se_dispatch_pub *pub)
{
	return atomic_load_explicit(&pub->cur, memory_order_acquire);
}

#ifdef __cplusplus
}
#endif

#endif /* _SE_DISPATCH_H_ */
