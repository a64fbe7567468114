/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_APP_GUARD_H_
#define _SE_APP_GUARD_H_

/**
 * @file
 * The guard's setup in the daemon (lib/guard): its settings from the command
 * line and the clock, the ACL tables, one guard per worker on the worker's
 * NUMA socket, and the telemetry command /sipedge/guard.
 */

#include "app.h"

/**
 * Settle the guard's settings, build the ACL, register the telemetry
 * command (before the workers are created). Nothing when the guard is off
 * (--guard off, the test stage, passthrough).
 *
 * @return 0, or an exit status (1) after logging why
 */
int se_app_guard_init(struct se_app *a);

/** Unregister from telemetry (the workers are still there) and free the ACL. */
void se_app_guard_fini(struct se_app *a);

/**
 * Give worker @p w its guard, on the worker's socket.
 *
 * @return 0, or -ENOMEM (rte_errno set)
 */
int se_app_guard_worker(struct se_app *a, struct se_worker *w);

/** Register /sipedge/guard (telemetry_guard.c). */
void se_telemetry_guard_register(const struct se_app *a);

/** Stop answering /sipedge/guard from @p a (it goes away). */
void se_telemetry_guard_unregister(void);

#endif /* _SE_APP_GUARD_H_ */
