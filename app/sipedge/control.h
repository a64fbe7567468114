/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_CONTROL_H_
#define _SE_CONTROL_H_

/**
 * @file
 * The control core's loop (the main lcore): drains what workers hand over,
 * resolves and publishes neighbours (drivers/net), probes backends and
 * publishes their table (probe.h, backends.h), answers the mailbox
 * (telemetry, /metrics), prints counters every --stats-interval, and returns
 * on SIGINT/SIGTERM or --exit-idle-ms.
 */

#include <stdio.h>

#include "app.h"

/**
 * The control core's tables and services, before the workers run: the
 * backend registry and first table (backends.h), the mailbox, DPDK
 * telemetry commands and, with --metrics, the /metrics server.
 * @return 0, or an exit status
 */
int se_control_init(struct se_app *app);

/** Stop the services and free the registry (workers stopped; NULL-safe parts). */
void se_control_fini(struct se_app *app);

/** Run until a signal (or the idle exit); then one last tick so pending frames go out. */
void se_control_run(struct se_app *app);

/** Sum of every worker's and the control core's counters. */
void se_control_totals(const struct se_app *app, struct se_stats *sum);

/**
 * Print the final counters to @p f: a "counters:" line, one name=value line
 * per counter (all of them, zeros included), and an "end" line.
 */
void se_control_print_final(const struct se_app *app, FILE *f);

#endif /* _SE_CONTROL_H_ */
