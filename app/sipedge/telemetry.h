/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_TELEMETRY_H_
#define _SE_TELEMETRY_H_

/**
 * @file
 * DPDK telemetry commands (dpdk-telemetry.py -f FILE_PREFIX):
 * - /sipedge/stats: every counter, summed over the workers and the control core;
 * - /sipedge/backends[,ADDR:PORT | ,FIRST]: each backend of each set (at most
 *   SE_TELEMETRY_PAGE from index FIRST, default 0; or those of one address):
 *   address, set, weight, priority, state, what the operator set, last
 *   transition (reason, code, seconds ago), probe round trip and counts,
 *   requests and new dialogs dispatched to it, each under the key
 *   "backend<index>" (telemetry keys cannot hold an address); plus the
 *   table version and publication count;
 * - /sipedge/drain,ADDR:PORT, /sipedge/undrain, /sipedge/disable,
 *   /sipedge/enable: operator commands, answered once the table carrying
 *   them is published.
 * The callbacks run on DPDK's telemetry threads: they go through the
 * mailbox (mailbox.h), never to the control core's state.
 */

/** Number of backends one /sipedge/backends answer lists at most. */
#define SE_TELEMETRY_PAGE 32

/** Register the commands. @return 0 or the -errno of rte_telemetry_register_cmd() */
int se_telemetry_init(void);

#endif /* _SE_TELEMETRY_H_ */
