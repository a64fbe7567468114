/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "net_priv.h"

#define CTRL_BURST 64
#define CTRL_MAX_PER_POLL 4096
#define ARP_PER_POLL 32

struct se_net_ctrl {
	struct se_net *net;
	struct se_net_ctx *ctx;
	struct se_net_resolver *res;
	struct se_stats *st;
};

struct se_net_ctrl *
se_net_ctrl_create(struct se_net *net, struct se_stats *stats)
{
	struct se_net_ctrl *ctl;

	if (net == NULL || stats == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctl = rte_zmalloc("se_net_ctrl", sizeof(*ctl), RTE_CACHE_LINE_SIZE);
	if (ctl == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ctl->net = net;
	ctl->st = stats;
	ctl->res = se_net_resolver_create(&net->rp);
	ctl->ctx = se_net_ctx_alloc(net, net->nb_workers, net->ctrl_lcore, stats);
	if (ctl->res == NULL || ctl->ctx == NULL) {
		se_net_ctrl_free(ctl);
		rte_errno = ENOMEM;
		return NULL;
	}
	ctl->ctx->ctrl = ctl;
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		ctl->ctx->tx[i].queue = net->nb_workers;
		ctl->ctx->tx[i].ring = net->ports[i].ctrl_txq ? NULL : net->ports[i].ctrl_ring;
	}
	return ctl;
}

void
se_net_ctrl_free(struct se_net_ctrl *ctl)
{
	struct se_net_neigh_table *t;

	if (ctl == NULL)
		return;
	se_net_ctx_free(ctl->ctx);
	se_net_resolver_free(ctl->res);
	t = __atomic_exchange_n(&ctl->net->neigh, NULL, __ATOMIC_ACQ_REL);
	se_net_neigh_table_free(t);
	rte_free(ctl);
}

int
se_net_ctrl_add_neigh(struct se_net_ctrl *ctl, uint32_t ip, const struct rte_ether_addr *mac)
{
	struct se_net *net = ctl->net;

	if (!se_net_ipv4_is_unicast(ip))
		return -EINVAL;
	for (uint16_t i = 0; i < net->nb_ports; i++)
		if (se_net_iface_on_link(&net->ifs[i], ip) && net->ifs[i].ip != ip)
			return se_net_resolver_add_static(ctl->res, i, ip, mac);
	return -EINVAL;
}

int
se_net_ctrl_resolve(struct se_net_ctrl *ctl, uint32_t ip)
{
	struct se_net_nexthop nh;

	if (se_net_route_lookup(ctl->net->ifs, ctl->net->nb_ports, SE_PORT_ROUTE, ip, &nh) != 0)
		return -ENETUNREACH;
	return se_net_resolver_want(ctl->res, nh.port, nh.ip, rte_rdtsc());
}

void
se_net_ctrl_miss(struct se_net_ctrl *ctl, uint16_t port, uint32_t ip)
{
	se_net_resolver_want(ctl->res, port, ip, rte_rdtsc());
}

static void
send_arp_request(struct se_net_ctrl *ctl, const struct se_net_arp_req *r)
{
	const struct se_net_port *p = &ctl->net->ports[r->port];
	static const struct rte_ether_addr zero;
	struct rte_ether_addr bcast;
	struct rte_mbuf *m = rte_pktmbuf_alloc(ctl->ctx->pool);
	uint8_t *f;

	if (m == NULL) {
		ctl->st->c[SE_STAT_DROP_NO_MBUF]++;
		return;
	}
	memset(&bcast, 0xff, sizeof(bcast));
	f = (uint8_t *)rte_pktmbuf_append(m, SE_NET_ARP_FRAME_LEN);
	se_net_arp_build(f, RTE_ARP_OP_REQUEST, &bcast, &p->mac, p->ifc.ip, &zero, r->ip);
	ctl->st->c[SE_STAT_ARP_REQUESTS_SENT]++;
	se_net_tx_enqueue(ctl->ctx, r->port, m);
}

static void
publish(struct se_net_ctrl *ctl)
{
	struct se_net_neigh_table *t = se_net_resolver_build(ctl->res), *old;

	if (t == NULL) {
		SE_NET_LOG(ERR, "cannot build the neighbour table: %s", strerror(errno));
		return;
	}
	old = __atomic_exchange_n(&ctl->net->neigh, t, __ATOMIC_ACQ_REL);
	/* every worker passes a quiescent state before the old table goes */
	rte_rcu_qsbr_synchronize(ctl->net->qs, RTE_QSBR_THRID_INVALID);
	se_net_neigh_table_free(old);
	ctl->st->c[SE_STAT_NEIGH_PUBLISHED]++;
	SE_NET_LOG(DEBUG, "neighbour table v%" PRIu64 ": %u entries", t->version, t->count);
}

static void
learn(struct se_net_ctrl *ctl, const struct se_net_ctrl_msg *msg, uint64_t now)
{
	se_net_resolver_learn(ctl->res, msg->port, msg->ip, &msg->mac,
			      msg->flags & SE_NET_CTRL_F_SOLICITED, now);
}

unsigned int
se_net_ctrl_poll(struct se_net_ctrl *ctl, se_net_ctrl_msg_fn fn, void *arg)
{
	struct se_net_ctrl_msg msgs[CTRL_BURST];
	struct se_net_arp_req reqs[ARP_PER_POLL];
	unsigned int handled = 0, n, k;
	uint64_t now = rte_rdtsc();

	do {
		n = ring_get_msgs(ctl->net->to_ctrl, msgs, CTRL_BURST);
		for (unsigned int i = 0; i < n; i++) {
			const struct se_net_ctrl_msg *msg = &msgs[i];

			switch (msg->kind) {
			case SE_NET_CTRL_LEARN:
				if (msg->port < ctl->net->nb_ports)
					learn(ctl, msg, now);
				break;
			case SE_NET_CTRL_RESOLVE:
				if (msg->port < ctl->net->nb_ports)
					se_net_resolver_want(ctl->res, msg->port, msg->ip, now);
				break;
			default:
				if (fn != NULL)
					fn(arg, msg);
				else
					rte_pktmbuf_free(msg->m);
				break;
			}
		}
		handled += n;
	} while (n == CTRL_BURST && handled < CTRL_MAX_PER_POLL);

	k = se_net_resolver_tick(ctl->res, now, reqs, ARP_PER_POLL);
	for (unsigned int i = 0; i < k; i++)
		send_arp_request(ctl, &reqs[i]);
	if (se_net_resolver_changed(ctl->res))
		publish(ctl);
	se_net_tx_flush_all(ctl->ctx);
	return handled;
}

int
se_net_ctrl_send(struct se_net_ctrl *ctl, uint16_t port, struct rte_mbuf *m)
{
	if (port >= ctl->net->nb_ports) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	se_net_tx_enqueue(ctl->ctx, port, m);
	return 0;
}

int
se_net_ctrl_udp_send(struct se_net_ctrl *ctl, struct rte_mbuf *m, const struct se_pkt_out *out)
{
	return se_net_udp_send(ctl->ctx, m, out);
}

void
se_net_ctrl_flush(struct se_net_ctrl *ctl)
{
	se_net_tx_flush_all(ctl->ctx);
}

struct rte_mbuf *
se_net_ctrl_alloc(struct se_net_ctrl *ctl)
{
	return rte_pktmbuf_alloc(ctl->ctx->pool);
}

const struct se_net_resolver *
se_net_ctrl_resolver(const struct se_net_ctrl *ctl)
{
	return ctl->res;
}

int
se_net_icmp_err_from_mbuf(const struct rte_mbuf *m, struct se_net_icmp_err *e)
{
	uint32_t off = (uint32_t)m->l2_len + m->l3_len;

	if (m->nb_segs != 1 || m->data_len < off)
		return -EBADMSG;
	return se_net_icmp_err_decode(rte_pktmbuf_mtod_offset(m, const uint8_t *, off),
				      m->data_len - off, e);
}
