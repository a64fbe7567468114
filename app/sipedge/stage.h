/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_STAGE_H_
#define _SE_STAGE_H_

/**
 * @file
 * The SIP stage: the seam between the network layer and the SIP proxy.
 *
 * A worker hands every UDP datagram addressed to one of our addresses and
 * our SIP port to the stage, one at a time, in the order received:
 *
 *     verdict = stage(w, m, &in, &out);
 *
 * - @p m holds only the UDP payload (rte_pktmbuf_mtod(m) is the first byte of
 *   the SIP message, m->data_len == m->pkt_len its length), in ONE segment
 *   (reassembled datagrams are made contiguous first). The stage may edit it
 *   in place and grow it into the headroom (rte_pktmbuf_prepend) or the
 *   tailroom (rte_pktmbuf_append): a standard mbuf has 128 + 42 bytes of
 *   headroom and about 2048 - 42 - len of tailroom, a reassembled one sits
 *   in a 16 KiB buffer. Leave SE_NET_UDP_HDRS_LEN (42) bytes of headroom if
 *   you can: otherwise the TX path slides the payload (a memmove), or drops
 *   with drop_no_headroom when the tailroom cannot take it either.
 * - @p in says where it came from (port index, addresses, ports, source MAC).
 * - On SE_STAGE_SEND the stage has filled @p out (egress port or
 *   SE_PORT_ROUTE, src_ip 0 for the egress port's address, dst, ports); the
 *   worker then calls se_net_udp_send(), which builds UDP/IPv4/Ethernet,
 *   resolves the next hop, fragments beyond the MTU and buffers the TX.
 * - On SE_STAGE_DROP the stage has counted why (a drop counter of
 *   lib/stats/se_stats.h in w->stats); the worker frees @p m.
 * - On SE_STAGE_CONSUMED the stage kept or freed @p m itself (e.g. handed it to
 *   the control core with se_net_to_ctrl(), or sent several copies).
 *
 * A stage runs on a worker: no locks, no allocation beyond mbufs, no system
 * calls, no logging per packet. Tables it reads come through the RCU
 * pointers in struct se_worker; the worker reports a quiescent state after
 * every loop, never inside a stage call.
 */

#include <rte_mbuf.h>

#include "se_edit.h"
#include "se_guard.h"
#include "se_net.h"
#include "se_proxy.h"
#include "se_sip.h"

/** Header fields one message may have (more: SE_SIP_ERR_TOO_MANY_HEADERS). */
#define SE_STAGE_MAX_HDRS 96
/** List entries one message may have. */
#define SE_STAGE_MAX_ENTRIES 128

/** A worker's scratch space for the proxy stage: one message at a time. */
struct se_stage_scratch {
	struct se_sip_msg msg;                             /**< the parsed view */
	struct se_sip_hdr hdrs[SE_STAGE_MAX_HDRS];         /**< its header index */
	struct se_sip_entry entries[SE_STAGE_MAX_ENTRIES]; /**< its list entries */
	struct se_edit_plan plan;                          /**< edits of the message */
	uint8_t reply[SE_PROXY_REPLY_MAX];                 /**< a stateless reply */
	uint8_t fix[SE_GUARD_FIX_MAX];                     /**< a refused request, rebuilt */
};

/** Application kind of a control message carrying a health-probe reply. */
#define SE_STAGE_CTRL_PROBE_REPLY (SE_NET_CTRL_USER + 0)

struct se_worker;

/** What the worker does with the datagram after the stage. */
enum se_stage_verdict {
	SE_STAGE_SEND = 0,  /**< transmit m as described by out */
	SE_STAGE_DROP,      /**< free m (the stage counted the reason) */
	SE_STAGE_CONSUMED,  /**< the stage owns m now */
};

/** A SIP stage (see the file comment for the contract). */
typedef enum se_stage_verdict (*se_stage_fn)(struct se_worker *w, struct rte_mbuf *m,
					     const struct se_pkt_in *in, struct se_pkt_out *out);

/**
 * The test stage, "static forward" (--forward-to ADDR:PORT): every SIP
 * datagram goes there unchanged, from the egress port's address and our SIP
 * port. Data-plane tests and benchmarks use it to measure L2/L3 alone.
 */
enum se_stage_verdict se_stage_static_forward(struct se_worker *w, struct rte_mbuf *m,
					      const struct se_pkt_in *in, struct se_pkt_out *out);

/**
 * The proxy stage (lib/proxy): parse, decide, apply the edit plan in place,
 * send; stateless replies (483, 200 to OPTIONS for the edge) go back out of
 * the port the request came in by; health-probe replies go to the control
 * core. Every outcome is one counter (the proxy's), parse failures two
 * (drop_sip_parse and sip_parse_<status>).
 */
enum se_stage_verdict se_stage_proxy(struct se_worker *w, struct rte_mbuf *m,
				     const struct se_pkt_in *in, struct se_pkt_out *out);

/**
 * Write the stateless reply @p code (lib/proxy's se_proxy_reply()) to the
 * request in @p buf, parsed in w->scratch.msg, over the datagram in @p m, and
 * address it back to the request's sender, out of the port it came in by.
 * @p buf may be @p m's data or a copy of it (the guard's salvaged request).
 * @return false when the reply cannot be made or does not fit the mbuf
 */
bool se_stage_reply(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
		    const uint8_t *buf, uint16_t code, const char *phrase, const char *extra,
		    struct se_pkt_out *out);

/**
 * The guard's part of the proxy stage (stage_guard.c, lib/guard): before
 * parsing, the ACL, bans and buckets; then the parse itself; after it,
 * scanners, trusted sets, 513 and 420, or for a failed parse 400/505/513.
 * Datagrams from backends (the internal port, or a backend's address and
 * port on a one-sided edge) skip every check but the parse.
 *
 * @return true when the guard settled the datagram (*v says how, counted);
 *         false when w->scratch.msg holds it parsed (SE_SIP_OK) for the proxy
 */
bool se_stage_guard(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
		    struct se_pkt_out *out, enum se_stage_verdict *v);

#endif /* _SE_STAGE_H_ */
