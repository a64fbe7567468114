/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NET_PRIV_H_
#define _SE_NET_PRIV_H_

/* Private to drivers/net: never included from outside this folder. */

#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip_frag.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "se_net.h"

extern int se_net_logtype;

/** Log through the sipedge.net logtype; the newline is appended. */
#define SE_NET_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, se_net_logtype, \
		RTE_FMT("sipedge.net: " RTE_FMT_HEAD(__VA_ARGS__,) "\n", \
			RTE_FMT_TAIL(__VA_ARGS__,)))

/* TX buffer per port and context: flushed when full and once per loop. */
#define TXBUF_SIZE 64
/* Fragments one datagram may become on output (64 KiB / 1 KiB MTU). */
#define MAX_FRAGS_OUT 64
/* Ring from the workers to the control core, and control TX rings. */
#define CTRL_RING_SIZE 4096
#define CTRL_TX_RING_SIZE 1024
/* Reassembly table per worker: datagrams being rebuilt at once. */
#define REASM_MAX_ENTRIES 256
#define REASM_BUCKETS 128
#define REASM_BUCKET_ENTRIES 4
/* Contiguous buffers for datagrams that arrive in several segments. */
#define JUMBO_DATA_ROOM (16384 + RTE_PKTMBUF_HEADROOM)
#define JUMBO_PER_CTX 64
/* A worker re-asks the control core for the same next hop at most this often. */
#define ASK_INTERVAL_MS 100
#define ASK_CACHE 16

struct se_net_port {
	struct se_net_iface ifc;  /* also copied into se_net.ifs for routing */
	uint16_t port_id;
	uint16_t mtu;
	struct rte_ether_addr mac;
	uint16_t nb_rxq;          /* workers 0 .. nb_rxq-1 poll it */
	uint16_t nb_txq;
	bool ctrl_txq;            /* TX queue nb_workers belongs to the control core */
	bool tx_ip_cksum;         /* offloads enabled on the device */
	bool tx_udp_cksum;
	bool rx_cksum;
	bool rss;
	bool configured, started;
	int socket;               /* the device's NUMA socket (SOCKET_ID_ANY for vdevs) */
	struct rte_ring *ctrl_ring; /* control -> worker 0 frames when !ctrl_txq */
	char name[RTE_ETH_NAME_MAX_LEN];
};

struct se_net {
	uint16_t nb_ports;
	uint16_t nb_workers;
	uint16_t sip_port_be;
	struct se_net_port ports[SE_NET_MAX_PORTS];
	struct se_net_iface ifs[SE_NET_MAX_PORTS];
	unsigned int worker_lcores[RTE_MAX_LCORE];
	unsigned int ctrl_lcore;
	struct rte_mempool *pool[RTE_MAX_NUMA_NODES];
	struct rte_mempool *jumbo[RTE_MAX_NUMA_NODES];
	struct rte_ring *to_ctrl;
	struct rte_rcu_qsbr *qs;
	/* RCU-published: read with an acquire load, replaced by the control core */
	struct se_net_neigh_table *neigh;
	uint64_t hz;
	uint64_t reasm_cycles;
	struct se_net_resolver_params rp;
	/* what closed ports had dropped (rte_eth_stats), kept for the final counters */
	struct se_stats *closed;
};

struct txq {
	uint16_t queue;
	uint16_t n;
	struct rte_ring *ring;    /* set: hand frames to worker 0 (control context) */
	struct rte_mbuf *pkts[TXBUF_SIZE];
};

struct ask {
	uint32_t ip;
	uint16_t port;
	uint64_t at;
};

struct se_net_ctx {
	struct se_net *net;
	struct se_stats *st;
	struct se_net_ctrl *ctrl;   /* control context only: misses go to its resolver */
	uint16_t index;
	bool drains_ctrl;           /* worker 0 */
	bool defer_udp_cksum;       /* se_net_ctx_defer_udp_cksum() */
	uint16_t ip_id;
	uint16_t rxq[SE_NET_MAX_PORTS];
	bool polls[SE_NET_MAX_PORTS];
	struct rte_mempool *pool;
	struct rte_mempool *jumbo;
	struct rte_ip_frag_tbl *frag;
	uint64_t now;
	uint64_t frag_gc_at;
	struct ask asked[ASK_CACHE];
	struct txq tx[SE_NET_MAX_PORTS];
	struct rte_ip_frag_death_row dr;
};

/*
 * rte_ring copies elements through uint32_t / uint64_t lvalues
 * (rte_ring_elem.h). Passing it arrays of other types (struct rte_mbuf *[],
 * structs) breaks strict aliasing, and clang -O2 did miscompile such a
 * dequeue. Every ring access goes through these, on arrays of the ring's
 * own word type.
 */
#define MSG_WORDS (sizeof(struct se_net_ctrl_msg) / sizeof(uint32_t))
_Static_assert(sizeof(struct se_net_ctrl_msg) == 24, "ring element of the control ring");

static inline int
ring_put_mbuf(struct rte_ring *r, struct rte_mbuf *m)
{
	uint64_t v = (uintptr_t)m;

	return rte_ring_sp_enqueue_elem(r, &v, sizeof(v));
}

static inline unsigned int
ring_get_mbufs(struct rte_ring *r, struct rte_mbuf **out, unsigned int n)
{
	uint64_t v[SE_NET_BURST];
	unsigned int k;

	k = rte_ring_sc_dequeue_burst_elem(r, v, sizeof(v[0]), RTE_MIN(n, (unsigned)SE_NET_BURST),
					   NULL);
	for (unsigned int i = 0; i < k; i++)
		out[i] = (struct rte_mbuf *)(uintptr_t)v[i];
	return k;
}

static inline int
ring_put_msg(struct rte_ring *r, const struct se_net_ctrl_msg *msg)
{
	uint32_t w[MSG_WORDS];

	memcpy(w, msg, sizeof(w));
	return rte_ring_mp_enqueue_elem(r, w, sizeof(w));
}

static inline unsigned int
ring_get_msgs(struct rte_ring *r, struct se_net_ctrl_msg *msgs, unsigned int n)
{
	uint32_t w[64][MSG_WORDS];
	unsigned int k;

	k = rte_ring_sc_dequeue_burst_elem(r, w, sizeof(w[0]), RTE_MIN(n, 64u), NULL);
	memcpy(msgs, w, k * sizeof(w[0]));
	return k;
}

static inline struct se_net_neigh_table *
neigh_current(struct se_net *net)
{
	return __atomic_load_n(&net->neigh, __ATOMIC_ACQUIRE);
}

/* se_net_tx.c */
void se_net_tx_enqueue(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m);
void se_net_tx_flush_all(struct se_net_ctx *c);
void se_net_ip_output(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m);
struct rte_mbuf *se_net_linearize(struct se_net_ctx *c, struct rte_mbuf *m);

/* se_net_ctx.c */
struct se_net_ctx *se_net_ctx_alloc(struct se_net *net, uint16_t index, unsigned int lcore,
				    struct se_stats *stats);

/* se_net_ctrl.c */
void se_net_ctrl_miss(struct se_net_ctrl *ctl, uint16_t port, uint32_t ip);

#endif /* _SE_NET_PRIV_H_ */
