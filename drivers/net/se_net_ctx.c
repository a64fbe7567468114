/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "net_priv.h"

#define FRAG_GC_MS 10

static int
socket_of(unsigned int lcore)
{
	int s = (int)rte_lcore_to_socket_id(lcore);

	return s < 0 || s >= RTE_MAX_NUMA_NODES ? 0 : s;
}

struct se_net_ctx *
se_net_ctx_alloc(struct se_net *net, uint16_t index, unsigned int lcore, struct se_stats *stats)
{
	int s = socket_of(lcore);
	struct se_net_ctx *c;

	c = rte_zmalloc_socket("se_net_ctx", sizeof(*c), RTE_CACHE_LINE_SIZE, s);
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->net = net;
	c->st = stats;
	c->index = index;
	c->pool = net->pool[s];
	c->jumbo = net->jumbo[s];
	/* disjoint IP ID ranges per context keep fragment IDs apart for a while */
	c->ip_id = (uint16_t)((uint32_t)index * 65536u / (net->nb_workers + 1u));
	return c;
}

struct se_net_ctx *
se_net_worker_ctx_create(struct se_net *net, uint16_t worker, struct se_stats *stats)
{
	struct se_net_ctx *c;
	unsigned int lcore;

	if (net == NULL || stats == NULL || worker >= net->nb_workers) {
		rte_errno = EINVAL;
		return NULL;
	}
	lcore = net->worker_lcores[worker];
	c = se_net_ctx_alloc(net, worker, lcore, stats);
	if (c == NULL)
		return NULL;
	c->drains_ctrl = worker == 0;
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		c->rxq[i] = worker;
		c->polls[i] = worker < net->ports[i].nb_rxq;
		c->tx[i].queue = worker;
	}
	c->frag = rte_ip_frag_table_create(REASM_BUCKETS, REASM_BUCKET_ENTRIES, REASM_MAX_ENTRIES,
					   net->reasm_cycles, socket_of(lcore));
	if (c->frag == NULL) {
		rte_free(c);
		rte_errno = ENOMEM;
		return NULL;
	}
	return c;
}

void
se_net_ctx_free(struct se_net_ctx *c)
{
	if (c == NULL)
		return;
	for (uint16_t i = 0; i < c->net->nb_ports; i++) {
		rte_pktmbuf_free_bulk(c->tx[i].pkts, c->tx[i].n);
		c->tx[i].n = 0;
	}
	if (c->dr.cnt != 0)
		rte_ip_frag_free_death_row(&c->dr, 0);
	if (c->frag != NULL)
		rte_ip_frag_table_destroy(c->frag);
	rte_free(c);
}

int
se_net_to_ctrl(struct se_net_ctx *c, const struct se_net_ctrl_msg *msg)
{
	if (ring_put_msg(c->net->to_ctrl, msg) != 0) {
		c->st->c[SE_STAT_DROP_CONTROL_RING]++;
		rte_pktmbuf_free(msg->m);
		return -ENOBUFS;
	}
	return 0;
}

uint16_t
se_net_passthrough_burst(struct se_net_ctx *c, uint16_t port)
{
	struct rte_mbuf *pkts[SE_NET_BURST];
	const struct se_net_port *p = &c->net->ports[port];
	uint64_t bytes = 0;
	uint16_t n;

	if (!c->polls[port])
		return 0;
	n = rte_eth_rx_burst(p->port_id, c->rxq[port], pkts, SE_NET_BURST);
	for (uint16_t i = 0; i < n; i++) {
		bytes += pkts[i]->pkt_len;
		se_net_tx_enqueue(c, port, pkts[i]);
	}
	c->st->c[SE_STAT_RX_PACKETS] += n;
	c->st->c[SE_STAT_RX_BYTES] += bytes;
	return n;
}

static void
frag_gc(struct se_net_ctx *c)
{
	uint64_t now = rte_rdtsc();
	uint32_t before;

	if (now < c->frag_gc_at)
		return;
	c->frag_gc_at = now + c->net->hz / 1000 * FRAG_GC_MS;
	before = c->dr.cnt;
	rte_ip_frag_table_del_expired_entries(c->frag, &c->dr, now);
	c->st->c[SE_STAT_DROP_IP_FRAG] += c->dr.cnt - before;
	if (c->dr.cnt != 0)
		rte_ip_frag_free_death_row(&c->dr, 0);
}

void
se_net_ctx_end_loop(struct se_net_ctx *c)
{
	if (c->drains_ctrl) {
		for (uint16_t i = 0; i < c->net->nb_ports; i++) {
			struct rte_ring *r = c->net->ports[i].ctrl_ring;
			struct rte_mbuf *pkts[SE_NET_BURST];
			unsigned int n;

			if (r == NULL)
				continue;
			n = ring_get_mbufs(r, pkts, SE_NET_BURST);
			for (unsigned int k = 0; k < n; k++)
				se_net_tx_enqueue(c, i, pkts[k]);
		}
	}
	if (c->frag != NULL)
		frag_gc(c);
	se_net_tx_flush_all(c);
}
