/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_APP_H_
#define _SE_APP_H_

/**
 * @file
 * What the daemon's threads share: the configuration, the network, the QSBR
 * variable, the workers, and the stop flags. Set up by main() before the
 * workers launch; read-only for workers afterwards, except the flags.
 */

#include <signal.h>
#include <stdbool.h>

#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_rcu_qsbr.h>

#include "config.h"
#include "se_dispatch.h"
#include "se_guard.h"
#include "se_guard_acl.h"
#include "se_net.h"
#include "se_proxy.h"
#include "se_stats.h"
#include "worker.h"

extern int se_app_logtype;

/** Log through the sipedge.app logtype; the newline is appended. */
#define SE_APP_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, se_app_logtype, \
		RTE_FMT("sipedge: " RTE_FMT_HEAD(__VA_ARGS__,) "\n", \
			RTE_FMT_TAIL(__VA_ARGS__,)))

/** The daemon. */
struct se_app {
	struct se_config cfg;                    /**< command line */
	struct se_net *net;                      /**< ports, pools, rings */
	struct se_net_ctrl *ctrl;                /**< control core's network state */
	struct rte_rcu_qsbr *qs;                 /**< one QSBR variable for every published table */
	struct se_dispatch_pub dispatch;         /**< the backend table workers read (RCU) */
	struct se_proxy_params proxy;            /**< proxy settings, fixed at startup */
	struct se_registry *reg;                 /**< backends, their health and counter slots */
	uint16_t nb_workers;                     /**< worker count */
	unsigned int worker_lcores[RTE_MAX_LCORE]; /**< lcore of each worker */
	struct se_worker *workers[RTE_MAX_LCORE]; /**< the workers */
	struct se_stats ctrl_stats;              /**< the control core's own counters */
	bool stop;                               /**< set by control: workers leave their loop */
	uint64_t start_tsc;                      /**< when the workers were launched */
	bool guard_on;                           /**< the guard runs (proxy stage, not off) */
	struct se_guard_params guard;            /**< its settings, shared by the workers' guards */
	struct se_guard_acl *acl;                /**< --allow/--deny, read by every worker */
};

/** Set by SIGINT/SIGTERM. */
extern volatile sig_atomic_t se_app_quit;

/** Tell the workers to drain and leave their loop. */
static inline void
se_app_stop_workers(struct se_app *app)
{
	__atomic_store_n(&app->stop, true, __ATOMIC_RELEASE);
}

/** True once the workers should stop. */
static inline bool
se_app_stopping(const struct se_app *app)
{
	return __atomic_load_n(&app->stop, __ATOMIC_ACQUIRE);
}

#endif /* _SE_APP_H_ */
