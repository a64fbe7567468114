/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_WORKER_H_
#define _SE_WORKER_H_

/**
 * @file
 * A worker: one lcore polling its RX queue on every port, running the SIP
 * stage and transmitting on its own TX queues. struct se_worker is what a
 * stage sees of its thread; add per-worker state (proxy scratch, RCU table
 * pointers, rate limiters) here.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>

#include "se_dispatch.h"
#include "se_guard.h"
#include "se_net.h"
#include "se_proxy.h"
#include "se_stats.h"
#include "stage.h"

struct se_app;

/** Per-worker state, allocated on the worker's NUMA socket. */
struct se_worker {
	unsigned int lcore;        /**< EAL lcore id */
	uint16_t index;            /**< 0 .. nb_workers-1; also its QSBR thread id */
	struct se_app *app;        /**< configuration and shared handles (read-only here) */
	struct se_net_ctx *net;    /**< queues, TX buffers, reassembly table */
	struct rte_rcu_qsbr *qs;   /**< the QSBR variable of every RCU-published table */
	se_stage_fn stage;         /**< what to do with a SIP datagram */
	uint64_t first_rx_tsc;     /**< TSC of the first frame received (0: none yet) */
	uint64_t last_rx_tsc;      /**< TSC of the latest frame received (read by control) */
	struct se_guard *guard;    /**< per-source guard state (lib/guard); NULL when off */
	uint64_t now;              /**< TSC when the burst was received (the guard's clock) */
	struct se_stats stats __rte_cache_aligned; /**< this worker's counters */
	struct se_stage_scratch scratch;           /**< the proxy stage's working space */
	/** Requests sent to each backend, by counter slot (the table's tag; read by control). */
	uint64_t be_msgs[SE_DISPATCH_MAX_BACKENDS] __rte_cache_aligned;
	/** Dialog-creating requests sent to each backend, by counter slot. */
	uint64_t be_dialogs[SE_DISPATCH_MAX_BACKENDS];
};

/** Count a request the proxy sent to backend @p po->backend of @p t (its slot's counters). */
static inline void
se_worker_count_backend(struct se_worker *w, const struct se_dispatch_table *t,
			const struct se_proxy_out *po)
{
	uint32_t slot = t->backends[po->backend].tag;

	if (slot < SE_DISPATCH_MAX_BACKENDS) {
		w->be_msgs[slot]++;
		w->be_dialogs[slot] += po->new_dialog;
	}
}

/**
 * Create worker @p index on @p lcore (its network context, stats).
 * @return the worker, or NULL with rte_errno set
 */
struct se_worker *se_worker_create(struct se_app *app, uint16_t index, unsigned int lcore);

/** Free a stopped worker (NULL-safe). */
void se_worker_free(struct se_worker *w);

/** The lcore entry point (rte_eal_remote_launch): loops until se_app_stop_workers(). */
int se_worker_main(void *arg);

#endif /* _SE_WORKER_H_ */
