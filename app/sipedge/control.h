/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_CONTROL_H_
#define _SE_CONTROL_H_

/**
 * @file
 * The control core's loop (the main lcore): drains what workers hand over,
 * resolves and publishes neighbours (drivers/net), prints counters every
 * --stats-interval, and returns on SIGINT/SIGTERM or --exit-idle-ms.
 */

#include <stdio.h>

#include "app.h"

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
