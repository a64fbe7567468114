/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NET_H_
#define _SE_NET_H_

/**
 * @file
 * The data plane's network layer: the only code that knows ethdev.
 *
 * se_net_create() takes ports (ethdev id, IPv4 address/prefix, gateway, MTU)
 * and the worker lcores, and sets up one RX and one TX queue per worker on
 * every port (RSS over IPv4 addresses and UDP ports where the device has it;
 * fragments hash on addresses only, so a datagram's fragments meet on one
 * queue), one more TX queue for the control core where the device has it
 * (otherwise the control core hands its frames to worker 0 through a ring),
 * checksum offloads where available (software otherwise) and one mbuf pool
 * per NUMA socket in use.
 *
 * Each thread then owns a context, struct se_net_ctx: its queue ids, TX
 * buffers, IPv4 reassembly table and counters. A worker loop is
 *
 *     for each port: n = se_net_rx_burst(ctx, port, m, in, SE_NET_BURST, &nb_rx);
 *                    for each of the n SIP datagrams: verdict = stage(...);
 *                        SEND -> se_net_udp_send(ctx, m[i], &out);
 *     se_net_ctx_end_loop(ctx);          (control frames, fragment expiry, TX flush)
 *     rte_rcu_qsbr_quiescent(qs, id);
 *
 * se_net_rx_burst() does Ethernet, ARP (requests for our addresses answered
 * at once by the worker; what ARP teaches goes to the control core), IPv4
 * validation, ICMP echo, reassembly and UDP validation itself, and returns
 * only the UDP datagrams for our SIP port, trimmed to their payload, each in
 * one contiguous segment. Every other packet is answered, handed to the
 * control core, or dropped with a named counter.
 *
 * The control core owns a struct se_net_ctrl: it drains the workers' ring
 * (ARP learnt, resolve requests, ICMP errors, and kinds the application adds),
 * runs the neighbour resolver, sends ARP requests and publishes neighbour
 * tables through RCU. Workers never write shared state.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "se_net_neigh.h"
#include "se_net_proto.h"
#include "se_net_route.h"
#include "se_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Packets per RX burst; also the size the caller's arrays should have. */
#define SE_NET_BURST 32

/** se_pkt_in.flags: the datagram was rebuilt from IPv4 fragments. */
#define SE_PKT_IN_REASSEMBLED 0x01
/**
 * se_pkt_in.flags: the UDP checksum is still to be verified, with
 * se_net_udp_cksum_ok() (only on a context that defers it:
 * se_net_ctx_defer_udp_cksum()).
 */
#define SE_PKT_IN_CKSUM_PENDING 0x02

/** Metadata of a received UDP datagram (its mbuf holds only the payload). */
struct se_pkt_in {
	uint16_t port;                 /**< port index it arrived on (0 external, 1 internal) */
	uint8_t family;                /**< SE_NET_AF_INET (IPv6 will add fields below) */
	uint8_t flags;                 /**< SE_PKT_IN_* */
	uint32_t src_ip;               /**< source address, network order */
	uint32_t dst_ip;               /**< destination address (ours), network order */
	uint16_t src_port;             /**< UDP source port, host order */
	uint16_t dst_port;             /**< UDP destination port, host order */
	struct rte_ether_addr src_mac; /**< Ethernet source: the sender or its router */
};

/** Where and how to send a UDP payload (se_net_udp_send()). */
struct se_pkt_out {
	uint16_t port;     /**< egress port index, or SE_PORT_ROUTE to choose by dst_ip */
	uint32_t src_ip;   /**< source address, network order; 0 = the egress port's address */
	uint32_t dst_ip;   /**< destination address, network order */
	uint16_t src_port; /**< UDP source port, host order */
	uint16_t dst_port; /**< UDP destination port, host order */
};

/** One port as configured. */
struct se_net_port_params {
	uint16_t port_id;        /**< ethdev port id */
	struct se_net_addr addr; /**< our address on it (IPv4) */
	uint8_t prefix_len;      /**< on-link prefix length */
	struct se_net_addr gw;   /**< gateway (family SE_NET_AF_NONE: none) */
	uint16_t mtu;            /**< IP MTU; 0 = 1500 */
};

/** Everything se_net_create() needs. */
struct se_net_params {
	uint16_t nb_ports;                                /**< 1 (one-armed) or 2 (ext, int) */
	struct se_net_port_params ports[SE_NET_MAX_PORTS]; /**< in order: external first */
	uint16_t nb_workers;                              /**< worker threads, >= 1 */
	const unsigned int *worker_lcores;                /**< lcore of each worker (NUMA) */
	unsigned int ctrl_lcore;                          /**< lcore of the control core */
	uint16_t sip_port;                                /**< UDP port handed to the SIP stage */
	uint32_t nb_mbufs;      /**< mbufs per socket pool; 0 = sized from queue counts */
	uint16_t nb_rxd;        /**< RX descriptors per queue; 0 = 1024 */
	uint16_t nb_txd;        /**< TX descriptors per queue; 0 = 1024 */
	uint32_t reasm_timeout_ms; /**< IPv4 reassembly timeout; 0 = 2000 */
	struct rte_rcu_qsbr *qs;   /**< QSBR variable the workers report to (required) */
	struct se_net_resolver_params resolver; /**< neighbour resolver; hz is set by se_net */
};

struct se_net;
struct se_net_ctx;
struct se_net_ctrl;

/**
 * Validate the parameters against the devices, create the mbuf pools and
 * rings and configure every port and queue (not started). Logs the reason of
 * a failure (which port, which limit).
 * @return the network, or NULL with rte_errno set (EINVAL, ENODEV, ENOTSUP, ENOMEM)
 */
struct se_net *se_net_create(const struct se_net_params *p);

/** Start every port. @return 0 or the first ethdev error (-errno) */
int se_net_start(struct se_net *net);

/** Stop and close every port; TX buffers must have been flushed (NULL-safe). */
void se_net_stop(struct se_net *net);

/** Free pools, rings and tables; stops ports first if needed (NULL-safe). */
void se_net_free(struct se_net *net);

/** Number of ports. */
uint16_t se_net_nb_ports(const struct se_net *net);

/**
 * Add what the devices themselves dropped (rte_eth_stats: imissed, rx_nombuf,
 * ierrors, oerrors of every port) to @p sum, as drop_port_* counters. Those
 * frames never reached a worker, so no worker counts them. Control core.
 */
void se_net_port_counters(const struct se_net *net, struct se_stats *sum);

/** IPv4 configuration of port index @p port (NULL if out of range). */
const struct se_net_iface *se_net_port_iface(const struct se_net *net, uint16_t port);

/** MAC address of port index @p port (NULL if out of range). */
const struct rte_ether_addr *se_net_port_mac(const struct se_net *net, uint16_t port);

/** Log each port's device, address, MAC, MTU, queues and offloads at INFO level. */
void se_net_log_ports(const struct se_net *net);

/* ---- per-thread contexts ---- */

/**
 * Context of worker @p worker (0 .. nb_workers-1), allocated on its lcore's
 * socket, counting into @p stats. Worker 0 also transmits the frames the
 * control core hands over on ports without a control TX queue.
 * @return the context, or NULL with rte_errno set (EINVAL, ENOMEM)
 */
struct se_net_ctx *se_net_worker_ctx_create(struct se_net *net, uint16_t worker,
					    struct se_stats *stats);

/** Free a context and whatever its reassembly table holds (NULL-safe). */
void se_net_ctx_free(struct se_net_ctx *c);

/**
 * Leave the UDP checksum of the SIP datagrams @p c receives to its caller:
 * they come out flagged SE_PKT_IN_CKSUM_PENDING (when the checksum is
 * present and no offload verified it), and the caller verifies with
 * se_net_udp_cksum_ok() once it has decided to look at the datagram. A
 * datagram dropped on its source alone (a banned flooder) then costs no
 * pass over its bytes. Every other check of the frame is still done.
 */
void se_net_ctx_defer_udp_cksum(struct se_net_ctx *c, bool defer);

/**
 * Verify the UDP checksum of a datagram received with SE_PKT_IN_CKSUM_PENDING,
 * before anything changed its mbuf: its IPv4 and UDP headers are still in
 * the headroom in front of the payload.
 * @return true when it is correct (or was not pending)
 */
bool se_net_udp_cksum_ok(const struct rte_mbuf *m, const struct se_pkt_in *in);

/**
 * Receive a burst on port index @p port and process it (see the file comment).
 * @param sip    out: up to @p cap SIP datagrams, data trimmed to the UDP payload
 * @param in     out: their metadata, same index
 * @param nb_rx  out (may be NULL): frames received, to tell idle polls apart
 * @return number of SIP datagrams in @p sip (the caller owns them)
 */
uint16_t se_net_rx_burst(struct se_net_ctx *c, uint16_t port, struct rte_mbuf **sip,
			 struct se_pkt_in *in, uint16_t cap, uint16_t *nb_rx);

/**
 * Process @p n frames already received on port index @p port (the inner part
 * of se_net_rx_burst(), exposed for tests). @p sip may alias @p pkts.
 * @return number of SIP datagrams in @p sip
 */
uint16_t se_net_rx_process(struct se_net_ctx *c, uint16_t port, struct rte_mbuf **pkts,
			   uint16_t n, struct rte_mbuf **sip, struct se_pkt_in *in);

/**
 * Send the payload in @p m (data = UDP payload, one segment preferred, at
 * least SE_NET_UDP_HDRS_LEN of headroom preferred) as a UDP datagram per
 * @p out: route, neighbour lookup, UDP/IPv4/Ethernet headers, checksums
 * (offload or software), fragmentation beyond the egress MTU, buffered TX.
 * Always takes ownership of @p m. A failure is counted (drop_dst_invalid,
 * drop_no_route, drop_neigh_unresolved, drop_no_headroom, drop_linearize,
 * drop_ip_frag_out); an unresolved next hop also starts its resolution.
 * @return 0 if queued for TX; -EINVAL (bad destination), -ENETUNREACH (no
 *   route), -EHOSTUNREACH (next hop unresolved; -EAGAIN from the control
 *   context), -ENOSPC (no headroom), -EMSGSIZE (too large), -ENOMEM
 */
int se_net_udp_send(struct se_net_ctx *c, struct rte_mbuf *m, const struct se_pkt_out *out);

/**
 * Passthrough: receive a burst on @p port and queue every frame untouched for
 * TX on the same port (the I/O floor for benchmarks). @return frames received
 */
uint16_t se_net_passthrough_burst(struct se_net_ctx *c, uint16_t port);

/**
 * End of one worker loop: forward the control core's frames (worker 0),
 * expire old fragments, flush every TX buffer.
 */
void se_net_ctx_end_loop(struct se_net_ctx *c);

/* ---- control core ---- */

/** Kinds of messages workers hand to the control core. */
enum se_net_ctrl_kind {
	SE_NET_CTRL_LEARN = 1,  /**< ARP told us ip is at mac (flags: SE_NET_CTRL_F_SOLICITED) */
	SE_NET_CTRL_RESOLVE,    /**< a next hop is unresolved: ip on port */
	SE_NET_CTRL_ICMP_ERR,   /**< ICMP error: m the frame (l2_len, l3_len set), ip its sender */
	SE_NET_CTRL_USER = 16,  /**< first kind free for the application (e.g. probe replies) */
};

/** se_net_ctrl_msg.flags: the ARP packet was addressed to one of our addresses. */
#define SE_NET_CTRL_F_SOLICITED 0x01

/** One message on the ring from the workers to the control core (24 bytes). */
struct se_net_ctrl_msg {
	struct rte_mbuf *m;        /**< packet, or NULL (LEARN, RESOLVE) */
	uint32_t ip;               /**< address concerned, network order */
	uint16_t port;             /**< port index */
	uint8_t kind;              /**< enum se_net_ctrl_kind or an application kind */
	uint8_t flags;             /**< SE_NET_CTRL_F_* */
	struct rte_ether_addr mac; /**< LEARN: the hardware address */
	uint16_t arg;              /**< free for the kind's use (e.g. worker index) */
};

/**
 * Hand a message to the control core (from a worker context). The ring
 * takes msg->m with it; if the ring is full the mbuf is freed and
 * drop_control_ring counted. @return 0 or -ENOBUFS
 */
int se_net_to_ctrl(struct se_net_ctx *c, const struct se_net_ctrl_msg *msg);

/**
 * Handler for messages se_net does not consume itself (ICMP errors and
 * application kinds); it owns msg->m and must free or keep it.
 */
typedef void (*se_net_ctrl_msg_fn)(void *arg, const struct se_net_ctrl_msg *msg);

/**
 * The control core's network state (resolver, send context) for @p net,
 * counting into @p stats. @return NULL with rte_errno set (EINVAL, ENOMEM)
 */
struct se_net_ctrl *se_net_ctrl_create(struct se_net *net, struct se_stats *stats);

/** Free the control state and the published neighbour table (NULL-safe; workers stopped). */
void se_net_ctrl_free(struct se_net_ctrl *ctl);

/**
 * Add a permanent neighbour; the port is the one whose prefix holds @p ip.
 * Published by the next se_net_ctrl_poll().
 * @return 0, -EINVAL (not on-link on any port, or not unicast), -ENOSPC
 */
int se_net_ctrl_add_neigh(struct se_net_ctrl *ctl, uint32_t ip, const struct rte_ether_addr *mac);

/**
 * Start resolving the next hop towards @p ip now (the destination if it is
 * on-link, else the gateway), so the first packet there finds it resolved:
 * the control core does this for every backend at startup. Entries wanted
 * this way are kept fresh like any other.
 * @return 0, -ENETUNREACH (no port reaches @p ip), or the resolver's error
 */
int se_net_ctrl_resolve(struct se_net_ctrl *ctl, uint32_t ip);

/**
 * One control tick: drain the workers' ring (passing ICMP errors and
 * application kinds to @p fn, or freeing them if @p fn is NULL), advance the
 * resolver, send due ARP requests, publish a new neighbour table if it
 * changed (waits for every worker's quiescent state), flush control TX.
 * @return messages handled
 */
unsigned int se_net_ctrl_poll(struct se_net_ctrl *ctl, se_net_ctrl_msg_fn fn, void *arg);

/**
 * Queue a complete frame (Ethernet header included) for TX on port index
 * @p port from the control core. On the control core's own TX queue it
 * leaves at the next se_net_ctrl_poll() or se_net_ctrl_flush(); without one
 * it is handed to worker 0, which sends it at the end of its current loop.
 * Takes ownership of @p m. @return 0, -EINVAL (bad port)
 */
int se_net_ctrl_send(struct se_net_ctrl *ctl, uint16_t port, struct rte_mbuf *m);

/**
 * se_net_udp_send() from the control core (health probes). An unresolved
 * next hop starts resolution and returns -EAGAIN: retry later.
 */
int se_net_ctrl_udp_send(struct se_net_ctrl *ctl, struct rte_mbuf *m, const struct se_pkt_out *out);

/** Transmit what the control core has queued. */
void se_net_ctrl_flush(struct se_net_ctrl *ctl);

/** An mbuf for the control core to fill (from its socket's pool), or NULL. */
struct rte_mbuf *se_net_ctrl_alloc(struct se_net_ctrl *ctl);

/** The resolver, for inspection (logs, tests); owned by @p ctl. */
const struct se_net_resolver *se_net_ctrl_resolver(const struct se_net_ctrl *ctl);

/**
 * Decode an SE_NET_CTRL_ICMP_ERR message's frame.
 * @return 0, or the error of se_net_icmp_err_decode()
 */
int se_net_icmp_err_from_mbuf(const struct rte_mbuf *m, struct se_net_icmp_err *e);

#ifdef __cplusplus
}
#endif

#endif /* _SE_NET_H_ */
