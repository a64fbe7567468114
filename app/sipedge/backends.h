/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_BACKENDS_H_
#define _SE_BACKENDS_H_

/**
 * @file
 * The backend side of the control core: the proxy's settings, the registry
 * of backends (what the operator and the health probes say about each), and
 * the table workers read through RCU (app->dispatch).
 *
 * Two levels:
 * - a target is one probed address:port with its health (lib/health): a
 *   backend listed in several sets is probed once;
 * - an entry is one backend of one set (entry i is backend i of the
 *   configuration), with what the operator set (enabled, draining,
 *   disabled) and the state published for it: disabled if disabled, else
 *   down if its target is down, else draining if draining, else up.
 *
 * Whenever a published state changes, the change is logged once with its
 * reason, counted, and the table is rebuilt from the configuration and
 * published (se_dispatch_publish(): build new, atomic store, grace period,
 * free old; workers never wait). Each entry has a counter slot, which is
 * its tag in the table: workers count the requests they send it there, and
 * the slot stays with the backend across reloads.
 *
 * SIGHUP rereads --backends-file on top of the command line's backends and
 * applies the difference (added, removed, weight, priority, configured
 * state) through the same publication, keeping what probes and operators
 * said about the backends that stay. A file with an error is refused whole.
 * SIGUSR1 logs every backend's state.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "app.h"
#include "mailbox.h"
#include "se_health.h"

/** What the operator set for a backend. */
enum se_admin {
	SE_ADMIN_ENABLED = 0, /**< the probes decide */
	SE_ADMIN_DRAINING,    /**< no new dialogs; in-dialog requests still reach it */
	SE_ADMIN_DISABLED,    /**< nothing new reaches it; its dialogs fall back to the hash */
	SE_ADMIN_COUNT,       /**< number of values */
};

/** One probed address. */
struct se_target {
	struct se_dispatch_addr addr;    /**< address and port */
	char name[SE_DISPATCH_NAME_LEN]; /**< text form */
	uint32_t ip;                     /**< IPv4 address, network order (0: IPv6) */
	bool used;                       /**< some entry has it */
	bool probed;                     /**< probes go to it (IPv4, probing on) */
	bool unsent;                     /**< the probe out waits for the next hop's ARP */
	struct se_health h;              /**< its health */
};

/** One backend of one set. */
struct se_entry {
	uint32_t target;     /**< index in targets */
	uint32_t slot;       /**< counter slot (the table's tag) */
	uint8_t admin;       /**< enum se_admin */
	uint8_t conf;        /**< enum se_dispatch_state as configured */
	bool held;           /**< configured down with probing off: down until enabled */
	uint8_t state;       /**< enum se_dispatch_state published */
	uint8_t reason;      /**< enum se_health_reason of the last transition */
	uint16_t code;       /**< the code of that transition */
	uint64_t changed_ns; /**< when it happened */
};

/** The registry: control core only. */
struct se_registry {
	struct se_dispatch_config *cfg;  /**< the live configuration (app->cfg.dispatch) */
	struct se_dispatch_config *base; /**< the command line's part: reloads start from it */
	struct se_entry *entries;        /**< one per backend of cfg */
	struct se_target *targets;       /**< SE_DISPATCH_MAX_BACKENDS slots */
	uint32_t n_targets;              /**< high-water mark of targets in use */
	bool slot_used[SE_DISPATCH_MAX_BACKENDS];      /**< counter slots taken */
	uint64_t slot_base[SE_DISPATCH_MAX_BACKENDS][2]; /**< counts of a slot's earlier owners */
	struct se_health_params hp;      /**< probe settings */
	bool probing;                    /**< probes on */
	bool dirty;                      /**< states changed: publish */
	uint64_t key;                    /**< mixed into probe branches */
	uint64_t start_ns;               /**< when the registry was made */
	uint64_t churn_next_ns;          /**< --bench-churn-us: next republication */
	uint16_t churn_weight;           /**< the first backend's configured weight */
	bool churn_flip;                 /**< it carries weight + 1 now */
};

/** Monotonic time in nanoseconds: the clock of every health decision. */
static inline uint64_t
se_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/**
 * Set app->proxy from the command line, make the registry, build the first
 * backend table and publish it (before the workers run), and log every
 * backend's state. Nothing to do with --forward-to or --mode passthrough.
 * @return 0, or an exit status (2: the configuration cannot be built)
 */
int se_backends_init(struct se_app *a);

/** Free the registry (after the workers stopped). */
void se_backends_fini(struct se_app *a);

/** Install the SIGHUP (reload) and SIGUSR1 (log states) handlers. */
void se_backends_signals(void);

/**
 * One control tick: reload or log on signal, the churn benchmark, a request
 * of the mailbox, and the publication of changed states.
 */
void se_backends_tick(struct se_app *a, uint64_t now);

/**
 * Target @p target's health changed (probe.c): publish what follows for
 * the entries that have it.
 */
void se_backends_health_changed(struct se_app *a, uint32_t target, uint64_t now);

/** Index of the target with IPv4 @p ip (network order) and @p port, or -1. */
int se_backends_find_target(const struct se_app *a, uint32_t ip, uint16_t port);

/** Log every backend's state, reason and probe figures (startup, SIGUSR1). */
void se_backends_log(const struct se_app *a);

/**
 * Reread --backends-file and apply the difference.
 * @return 0, or the -errno of the refusal (the running table stays)
 */
int se_backends_reload(struct se_app *a);

/** The mailbox handler (SE_MB_VIEW and the operator commands), for the control core. */
void se_backends_on_request(void *arg, struct se_mailbox *mb);

/** "enabled", "draining", "disabled" ("?" otherwise). */
const char *se_admin_name(enum se_admin a);

#endif /* _SE_BACKENDS_H_ */
