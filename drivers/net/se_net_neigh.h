/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NET_NEIGH_H_
#define _SE_NET_NEIGH_H_

/**
 * @file
 * Neighbours: the IPv4 -> MAC table the workers read, and the resolver the
 * control core runs to keep it true.
 *
 * The table is an immutable snapshot: the control core builds a new one
 * (se_net_neigh_table_build()), publishes it with one pointer store and frees
 * the old one once every worker has reported a quiescent state (RCU, see
 * se_net.h). Workers only look up (se_net_neigh_lookup(), inline, open
 * addressing at load <= 1/2, a few loads per packet). A miss is dropped by
 * the worker, counted, and turned into a resolve request for the control core.
 *
 * The resolver is the control core's mutable state machine per neighbour,
 * fed with events and the time, so it is tested without EAL or ports:
 * - want (a worker missed it): INCOMPLETE, an ARP request now and every
 *   retry interval, up to max_tries; then FAILED for a hold-down time (no
 *   requests: a dead backend must not become an ARP storm), then forgotten;
 * - learn (an ARP reply or a request addressed to us): REACHABLE, published;
 *   after reachable_ms it is PROBEd (still published) with the same retries,
 *   and removed if it stays silent;
 * - static (--neigh): never expires, never overridden by ARP.
 * Requests are rate-limited (token bucket, rate_per_s) across all entries.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One neighbour: our port index, its IPv4 address, its MAC. */
struct se_net_neigh {
	uint32_t ip;               /**< network order; 0 marks an empty slot */
	uint16_t port;             /**< port index (0 = external, 1 = internal) */
	struct rte_ether_addr mac; /**< hardware address */
};

/** An immutable neighbour table snapshot. */
struct se_net_neigh_table {
	uint64_t version;              /**< increases with every build */
	uint32_t mask;                 /**< slot count - 1 (a power of two) */
	uint32_t count;                /**< neighbours in the table */
	struct se_net_neigh slots[];   /**< open addressing, linear probing */
};

/** Slot of (port, ip) before probing. */
static inline uint32_t
se_net_neigh_hash(uint16_t port, uint32_t ip)
{
	uint64_t k = ((uint64_t)port << 32 | ip) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(k >> 32);
}

/**
 * Look up the MAC of neighbour @p ip on port @p port in @p t (NULL-safe).
 * @return pointer into the table, valid until the caller's next quiescent
 *   state, or NULL if unknown
 */
static inline const struct rte_ether_addr *
se_net_neigh_lookup(const struct se_net_neigh_table *t, uint16_t port, uint32_t ip)
{
	uint32_t i;

	if (t == NULL || ip == 0)
		return NULL;
	for (i = se_net_neigh_hash(port, ip) & t->mask;; i = (i + 1) & t->mask) {
		const struct se_net_neigh *s = &t->slots[i];

		if (s->ip == ip && s->port == port)
			return &s->mac;
		if (s->ip == 0)
			return NULL;
	}
}

/**
 * Build a table from @p n neighbours (a later duplicate of (port, ip) wins;
 * entries with ip 0 are skipped). Allocated with malloc: control core only.
 * @return the table, or NULL with errno = ENOMEM
 */
struct se_net_neigh_table *se_net_neigh_table_build(const struct se_net_neigh *e, uint32_t n,
						    uint64_t version);

/** Free a table (NULL-safe). */
void se_net_neigh_table_free(struct se_net_neigh_table *t);

/* ---- resolver (control core only) ---- */

/** Resolver settings; zero fields take the defaults given. */
struct se_net_resolver_params {
	uint64_t hz;             /**< units per second of the `now` arguments (required) */
	uint32_t max_entries;    /**< neighbours tracked (4096) */
	uint32_t retry_ms;       /**< interval between ARP requests for one address (1000) */
	uint32_t max_tries;      /**< requests before giving up (3) */
	uint32_t reachable_ms;   /**< age at which a learned entry is probed again (60000) */
	uint32_t failed_hold_ms; /**< silence after giving up, before a new try (5000) */
	uint32_t rate_per_s;     /**< ARP requests per second over all entries (200) */
};

/** State of one neighbour in the resolver. */
enum se_net_neigh_state {
	SE_NET_NEIGH_NONE = 0,   /**< unknown */
	SE_NET_NEIGH_INCOMPLETE, /**< requested, no answer yet */
	SE_NET_NEIGH_REACHABLE,  /**< answered recently */
	SE_NET_NEIGH_PROBE,      /**< old answer still used, being re-requested */
	SE_NET_NEIGH_FAILED,     /**< no answer: quiet until the hold-down ends */
	SE_NET_NEIGH_STATIC,     /**< configured, permanent */
};

/** An ARP request the resolver wants sent. */
struct se_net_arp_req {
	uint16_t port; /**< port index to send on */
	uint32_t ip;   /**< address asked for, network order */
};

struct se_net_resolver;

/** Create a resolver; NULL with errno = EINVAL (hz 0) or ENOMEM. */
struct se_net_resolver *se_net_resolver_create(const struct se_net_resolver_params *p);

/** Free a resolver (NULL-safe). */
void se_net_resolver_free(struct se_net_resolver *r);

/**
 * Add or replace a permanent entry.
 * @return 0, -EINVAL (ip 0), -ENOSPC (table full)
 */
int se_net_resolver_add_static(struct se_net_resolver *r, uint16_t port, uint32_t ip,
			       const struct rte_ether_addr *mac);

/**
 * An ARP packet told us @p ip is at @p mac on @p port. @p solicited: it was
 * addressed to one of our addresses (a reply, or a request for us), so a new
 * entry may be created; otherwise (gratuitous) only a known entry is updated.
 * Static entries are never changed.
 * @return true if the published view changed
 */
bool se_net_resolver_learn(struct se_net_resolver *r, uint16_t port, uint32_t ip,
			   const struct rte_ether_addr *mac, bool solicited, uint64_t now);

/**
 * A worker needs @p ip on @p port: start resolving it unless it is known,
 * being resolved or in its hold-down.
 * @return 0, -EINVAL (ip 0), -ENOSPC (table full)
 */
int se_net_resolver_want(struct se_net_resolver *r, uint16_t port, uint32_t ip, uint64_t now);

/**
 * Advance time to @p now: expire, retry and probe entries.
 * @return number of ARP requests written to @p out (at most @p cap)
 */
unsigned int se_net_resolver_tick(struct se_net_resolver *r, uint64_t now,
				  struct se_net_arp_req *out, unsigned int cap);

/** True if entries with a MAC changed since the last se_net_resolver_build(). */
bool se_net_resolver_changed(const struct se_net_resolver *r);

/**
 * Snapshot every entry that has a MAC (reachable, probing, static) into a new
 * table and clear the changed flag. @return the table, NULL with errno = ENOMEM
 */
struct se_net_neigh_table *se_net_resolver_build(struct se_net_resolver *r);

/**
 * State of (@p port, @p ip); fills @p mac (may be NULL) when one is known.
 * @return the state, SE_NET_NEIGH_NONE if unknown
 */
enum se_net_neigh_state se_net_resolver_state(const struct se_net_resolver *r, uint16_t port,
					      uint32_t ip, struct rte_ether_addr *mac);

/** Number of entries tracked, in any state. */
uint32_t se_net_resolver_count(const struct se_net_resolver *r);

#ifdef __cplusplus
}
#endif

#endif /* _SE_NET_NEIGH_H_ */
