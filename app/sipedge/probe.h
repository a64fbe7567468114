/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_PROBE_H_
#define _SE_PROBE_H_

/**
 * @file
 * Health probes, on the control core: an OPTIONS (lib/health) to every
 * probed address of the registry when it is due, from the internal address
 * and our SIP port, through the control core's transmit path; the replies
 * workers hand over (SE_STAGE_CTRL_PROBE_REPLY) and ICMP unreachables about
 * backends, fed to each address's state machine. A probe whose next hop is
 * not resolved yet waits for ARP (and times out if it never comes): a dead
 * host fails its probes like a dead process.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "app.h"

/** Time out and send what is due. */
void se_probe_tick(struct se_app *a, uint64_t now);

/** A probe reply (the SIP datagram in @p m, which is freed) from @p src_ip. */
void se_probe_reply(struct se_app *a, struct rte_mbuf *m, uint32_t src_ip, uint64_t now);

/** An ICMP error the data plane received. */
void se_probe_icmp(struct se_app *a, const struct se_net_icmp_err *e, uint64_t now);

#endif /* _SE_PROBE_H_ */
