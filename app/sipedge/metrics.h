/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_METRICS_H_
#define _SE_METRICS_H_

/**
 * @file
 * --metrics ADDR:PORT: a Prometheus text-format endpoint (GET /metrics)
 * served by libmicrohttpd from its own thread on an address of the kernel's
 * network stack (a management network, never the data plane). Each scrape
 * asks the control core for a view through the mailbox, then formats:
 * - every counter of lib/stats as sipedge_<name>_total (its kind and help);
 * - per backend of each set {backend="ADDR:PORT",set="S"}: sipedge_backend_up,
 *   sipedge_backend_state{state=...} (1 for its state), weight, priority,
 *   seconds in its state, requests and new dialogs sent to it;
 * - per probed address {backend="ADDR:PORT"}: sipedge_backend_healthy,
 *   probes sent, probe results by result, and the histogram
 *   sipedge_backend_probe_rtt_seconds;
 * - sipedge_table_version, sipedge_table_publications_total,
 *   sipedge_probing, sipedge_uptime_seconds.
 */

#include "config.h"

/**
 * Start serving on cfg->metrics_addr:metrics_port.
 * @return 0, or -1 (logged: the address cannot be bound)
 */
int se_metrics_start(const struct se_config *cfg);

/** Stop serving and join the server thread (NULL-safe: nothing started). */
void se_metrics_stop(void);

#endif /* _SE_METRICS_H_ */
