/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "net_priv.h"

RTE_LOG_REGISTER(se_net_logtype, sipedge.net, INFO);

#define DEFAULT_MTU 1500
#define DEFAULT_DESC 1024
#define MBUF_CACHE 256
#define RX_CKSUM (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM)
#define RSS_WANTED (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_UDP)

static int
lcore_socket(unsigned int lcore)
{
	int s = (int)rte_lcore_to_socket_id(lcore);

	return s < 0 || s >= RTE_MAX_NUMA_NODES ? 0 : s;
}

static int
check_params(const struct se_net_params *p)
{
	if (p == NULL || p->nb_ports == 0 || p->nb_ports > SE_NET_MAX_PORTS) {
		SE_NET_LOG(ERR, "between 1 and %d ports are needed", SE_NET_MAX_PORTS);
		return -EINVAL;
	}
	if (p->nb_workers == 0 || p->worker_lcores == NULL || p->qs == NULL) {
		SE_NET_LOG(ERR, "at least one worker lcore and a QSBR variable are needed");
		return -EINVAL;
	}
	if (p->nb_workers >= RTE_MAX_LCORE)
		return -EINVAL;
	for (uint16_t i = 0; i < p->nb_ports; i++) {
		const struct se_net_port_params *pp = &p->ports[i];

		if (pp->addr.family != SE_NET_AF_INET || !se_net_ipv4_is_unicast(pp->addr.v4)) {
			SE_NET_LOG(ERR, "port %u: an IPv4 unicast address is needed", pp->port_id);
			return -EINVAL;
		}
		if (pp->prefix_len > 32)
			return -EINVAL;
		if (pp->gw.family == SE_NET_AF_INET) {
			uint32_t m = se_net_ipv4_mask(pp->prefix_len);

			if ((pp->gw.v4 & m) != (pp->addr.v4 & m) || pp->gw.v4 == pp->addr.v4) {
				SE_NET_LOG(ERR, "port %u: gateway is not on-link", pp->port_id);
				return -EINVAL;
			}
		}
		for (uint16_t j = 0; j < i; j++)
			if (p->ports[j].port_id == pp->port_id) {
				SE_NET_LOG(ERR, "port %u given twice", pp->port_id);
				return -EINVAL;
			}
	}
	return 0;
}

/* Per socket: everything that can hold an mbuf at once, with slack. */
static uint32_t
pool_size(const struct se_net *net, const struct se_net_params *p, int socket)
{
	uint32_t rxd = p->nb_rxd ? p->nb_rxd : DEFAULT_DESC;
	uint32_t txd = p->nb_txd ? p->nb_txd : DEFAULT_DESC;
	uint32_t n = 0, ctxs = 0;

	for (uint16_t w = 0; w < net->nb_workers; w++) {
		if (lcore_socket(net->worker_lcores[w]) != socket)
			continue;
		ctxs++;
		n += net->nb_ports * (rxd + txd + TXBUF_SIZE + SE_NET_BURST);
		n += REASM_MAX_ENTRIES * RTE_LIBRTE_IP_FRAG_MAX_FRAG;
	}
	if (lcore_socket(net->ctrl_lcore) == socket) {
		ctxs++;
		n += net->nb_ports * (txd + TXBUF_SIZE + CTRL_TX_RING_SIZE) + CTRL_RING_SIZE;
	}
	n += ctxs * MBUF_CACHE * 2 + 2048;
	/* mempools are most memory-efficient at 2^q - 1 */
	return rte_align32pow2(n + 1) - 1;
}

static int
create_pools(struct se_net *net, const struct se_net_params *p)
{
	bool used[RTE_MAX_NUMA_NODES] = { false };
	int nodes = numa_available() < 0 ? 1 : numa_num_configured_nodes();

	used[lcore_socket(net->ctrl_lcore)] = true;
	for (uint16_t w = 0; w < net->nb_workers; w++)
		used[lcore_socket(net->worker_lcores[w])] = true;
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		char name[RTE_MEMPOOL_NAMESIZE];
		uint32_t n, nj = JUMBO_PER_CTX * 2;

		if (!used[s])
			continue;
		if (s >= nodes)
			SE_NET_LOG(WARNING, "socket %d in use, libnuma knows %d node(s)", s,
				   nodes);
		n = p->nb_mbufs ? p->nb_mbufs : pool_size(net, p, s);
		snprintf(name, sizeof(name), "se_pool_%d", s);
		net->pool[s] = rte_pktmbuf_pool_create(name, n, MBUF_CACHE, 0,
						       RTE_MBUF_DEFAULT_BUF_SIZE, s);
		if (net->pool[s] == NULL) {
			SE_NET_LOG(ERR, "socket %d: cannot create a pool of %u mbufs: %s", s, n,
				   rte_strerror(rte_errno));
			return -ENOMEM;
		}
		for (uint16_t w = 0; w < net->nb_workers; w++)
			if (lcore_socket(net->worker_lcores[w]) == s)
				nj += JUMBO_PER_CTX;
		snprintf(name, sizeof(name), "se_jumbo_%d", s);
		net->jumbo[s] = rte_pktmbuf_pool_create(name, nj, 0, 0, JUMBO_DATA_ROOM, s);
		if (net->jumbo[s] == NULL) {
			SE_NET_LOG(ERR, "socket %d: cannot create %u jumbo mbufs: %s", s, nj,
				   rte_strerror(rte_errno));
			return -ENOMEM;
		}
		SE_NET_LOG(INFO, "socket %d: %u mbufs, %u jumbo mbufs", s, n, nj);
	}
	return 0;
}

static int
setup_port(struct se_net *net, const struct se_net_params *p, uint16_t pi)
{
	const struct se_net_port_params *pp = &p->ports[pi];
	struct se_net_port *port = &net->ports[pi];
	uint16_t id = pp->port_id, rxd, txd;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t mtu = pp->mtu ? pp->mtu : DEFAULT_MTU;
	int rc;

	if (!rte_eth_dev_is_valid_port(id)) {
		SE_NET_LOG(ERR, "port %u does not exist (%u port(s) available)", id,
			   rte_eth_dev_count_avail());
		return -ENODEV;
	}
	rc = rte_eth_dev_info_get(id, &info);
	if (rc != 0)
		return rc;
	rte_eth_dev_get_name_by_port(id, port->name);
	port->port_id = id;
	port->socket = rte_eth_dev_socket_id(id);
	if (info.max_tx_queues < net->nb_workers) {
		SE_NET_LOG(ERR, "port %u (%s) has %u TX queue(s); %u workers need one each",
			   id, port->name, info.max_tx_queues, net->nb_workers);
		return -ENOTSUP;
	}
	if (mtu < info.min_mtu || mtu > info.max_mtu) {
		SE_NET_LOG(ERR, "port %u: MTU %u outside the device's %u..%u", id, mtu,
			   info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	port->nb_rxq = RTE_MIN(net->nb_workers, info.max_rx_queues);
	memset(&conf, 0, sizeof(conf));
	if (port->nb_rxq > 1) {
		uint64_t hf = RSS_WANTED & info.flow_type_rss_offloads;

		if (hf == 0) {
			SE_NET_LOG(WARNING, "port %u: no RSS; only worker 0 receives on it", id);
			port->nb_rxq = 1;
		} else {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = hf;
			port->rss = true;
		}
	}
	if (port->nb_rxq == 0) {
		SE_NET_LOG(ERR, "port %u has no RX queue", id);
		return -ENOTSUP;
	}
	port->ctrl_txq = info.max_tx_queues > net->nb_workers;
	port->nb_txq = net->nb_workers + (port->ctrl_txq ? 1 : 0);
	conf.rxmode.mtu = mtu;
	if ((info.rx_offload_capa & RX_CKSUM) == RX_CKSUM) {
		conf.rxmode.offloads |= RX_CKSUM;
		port->rx_cksum = true;
	}
	if ((uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN >
	    RTE_MBUF_DEFAULT_BUF_SIZE - RTE_PKTMBUF_HEADROOM) {
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		port->tx_ip_cksum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		port->tx_udp_cksum = port->tx_ip_cksum;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	rc = rte_eth_dev_configure(id, port->nb_rxq, port->nb_txq, &conf);
	if (rc != 0) {
		SE_NET_LOG(ERR, "port %u: configure (%u rxq, %u txq, MTU %u) failed: %s", id,
			   port->nb_rxq, port->nb_txq, mtu, rte_strerror(-rc));
		return rc;
	}
	port->configured = true;
	rxd = p->nb_rxd ? p->nb_rxd : DEFAULT_DESC;
	txd = p->nb_txd ? p->nb_txd : DEFAULT_DESC;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(id, &rxd, &txd);
	if (rc != 0)
		return rc;
	for (uint16_t q = 0; q < port->nb_rxq; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;
		int s = lcore_socket(net->worker_lcores[q]);

		rxc.offloads = conf.rxmode.offloads;
		rc = rte_eth_rx_queue_setup(id, q, rxd, (unsigned int)s, &rxc, net->pool[s]);
		if (rc != 0) {
			SE_NET_LOG(ERR, "port %u: RX queue %u setup failed: %s", id, q,
				   rte_strerror(-rc));
			return rc;
		}
		if (port->socket >= 0 && port->socket != s)
			SE_NET_LOG(WARNING, "port %u on socket %d is polled from socket %d", id,
				   port->socket, s);
	}
	for (uint16_t q = 0; q < port->nb_txq; q++) {
		struct rte_eth_txconf txc = info.default_txconf;
		unsigned int lc = q < net->nb_workers ? net->worker_lcores[q] : net->ctrl_lcore;

		txc.offloads = conf.txmode.offloads;
		rc = rte_eth_tx_queue_setup(id, q, txd, (unsigned int)lcore_socket(lc), &txc);
		if (rc != 0) {
			SE_NET_LOG(ERR, "port %u: TX queue %u setup failed: %s", id, q,
				   rte_strerror(-rc));
			return rc;
		}
	}
	rc = rte_eth_dev_get_mtu(id, &port->mtu);
	if (rc != 0 || port->mtu == 0)
		port->mtu = mtu;
	rc = rte_eth_macaddr_get(id, &port->mac);
	if (rc != 0)
		return rc;
	if (!port->ctrl_txq) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "se_ctrl_tx_%u", pi);
		port->ctrl_ring = rte_ring_create(name, CTRL_TX_RING_SIZE,
						  (int)lcore_socket(net->worker_lcores[0]),
						  RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (port->ctrl_ring == NULL)
			return -rte_errno;
	}
	return 0;
}

struct se_net *
se_net_create(const struct se_net_params *p)
{
	struct se_net *net;
	int rc = check_params(p);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	net = rte_zmalloc("se_net", sizeof(*net), RTE_CACHE_LINE_SIZE);
	if (net == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	net->nb_ports = p->nb_ports;
	net->nb_workers = p->nb_workers;
	net->sip_port_be = rte_cpu_to_be_16(p->sip_port);
	memcpy(net->worker_lcores, p->worker_lcores, p->nb_workers * sizeof(unsigned int));
	net->ctrl_lcore = p->ctrl_lcore;
	net->qs = p->qs;
	net->hz = rte_get_tsc_hz();
	net->reasm_cycles = net->hz / 1000 * (p->reasm_timeout_ms ? p->reasm_timeout_ms : 2000);
	net->rp = p->resolver;
	net->rp.hz = net->hz;
	for (uint16_t i = 0; i < p->nb_ports; i++) {
		struct se_net_iface *ifc = &net->ports[i].ifc;

		ifc->ip = p->ports[i].addr.v4;
		ifc->mask = se_net_ipv4_mask(p->ports[i].prefix_len);
		ifc->gw = p->ports[i].gw.family == SE_NET_AF_INET ? p->ports[i].gw.v4 : 0;
		net->ifs[i] = *ifc;
	}
	rc = create_pools(net, p);
	if (rc == 0)
		for (uint16_t i = 0; i < p->nb_ports && rc == 0; i++)
			rc = setup_port(net, p, i);
	if (rc == 0) {
		net->to_ctrl = rte_ring_create_elem("se_to_ctrl", sizeof(struct se_net_ctrl_msg),
						    CTRL_RING_SIZE,
						    lcore_socket(net->ctrl_lcore), RING_F_SC_DEQ);
		if (net->to_ctrl == NULL)
			rc = -ENOMEM;
	}
	if (rc != 0) {
		se_net_free(net);
		rte_errno = -rc;
		return NULL;
	}
	return net;
}

int
se_net_start(struct se_net *net)
{
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		struct se_net_port *port = &net->ports[i];
		int rc = rte_eth_dev_start(port->port_id);

		if (rc != 0) {
			SE_NET_LOG(ERR, "port %u: start failed: %s", port->port_id,
				   rte_strerror(-rc));
			return rc;
		}
		port->started = true;
	}
	return 0;
}

static void
add_port_counters(const struct se_net_port *port, struct se_stats *sum)
{
	struct rte_eth_stats es;

	if (!port->configured || rte_eth_stats_get(port->port_id, &es) != 0)
		return;
	sum->c[SE_STAT_DROP_PORT_RX_MISSED] += es.imissed;
	sum->c[SE_STAT_DROP_PORT_RX_NOMBUF] += es.rx_nombuf;
	sum->c[SE_STAT_DROP_PORT_RX_ERRORS] += es.ierrors;
	sum->c[SE_STAT_DROP_PORT_TX_ERRORS] += es.oerrors;
}

void
se_net_stop(struct se_net *net)
{
	if (net == NULL)
		return;
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		struct se_net_port *port = &net->ports[i];

		if (port->started) {
			rte_eth_dev_stop(port->port_id);
			port->started = false;
		}
		if (port->configured) {
			if (net->closed == NULL)
				net->closed = calloc(1, sizeof(*net->closed));
			if (net->closed != NULL)
				add_port_counters(port, net->closed);
			/* closing flushes what a pcap vdev has written */
			rte_eth_dev_close(port->port_id);
			port->configured = false;
		}
	}
}

void
se_net_free(struct se_net *net)
{
	if (net == NULL)
		return;
	se_net_stop(net);
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		struct rte_ring *r = net->ports[i].ctrl_ring;
		struct rte_mbuf *m[SE_NET_BURST];
		unsigned int n;

		if (r == NULL)
			continue;
		while ((n = ring_get_mbufs(r, m, SE_NET_BURST)) != 0)
			rte_pktmbuf_free_bulk(m, n);
		rte_ring_free(r);
	}
	if (net->to_ctrl != NULL) {
		struct se_net_ctrl_msg msg;

		while (ring_get_msgs(net->to_ctrl, &msg, 1) == 1)
			rte_pktmbuf_free(msg.m);
		rte_ring_free(net->to_ctrl);
	}
	se_net_neigh_table_free(net->neigh);
	free(net->closed);
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		rte_mempool_free(net->pool[s]);
		rte_mempool_free(net->jumbo[s]);
	}
	rte_free(net);
}


void
se_net_port_counters(const struct se_net *net, struct se_stats *sum)
{
	for (uint16_t i = 0; i < net->nb_ports; i++)
		add_port_counters(&net->ports[i], sum);
	if (net->closed != NULL)
		for (unsigned int i = SE_STAT_DROP_PORT_RX_MISSED; i <= SE_STAT_DROP_PORT_TX_ERRORS; i++)
			sum->c[i] += net->closed->c[i];
}

uint16_t
se_net_nb_ports(const struct se_net *net)
{
	return net->nb_ports;
}

const struct se_net_iface *
se_net_port_iface(const struct se_net *net, uint16_t port)
{
	return port < net->nb_ports ? &net->ports[port].ifc : NULL;
}

const struct rte_ether_addr *
se_net_port_mac(const struct se_net *net, uint16_t port)
{
	return port < net->nb_ports ? &net->ports[port].mac : NULL;
}

void
se_net_log_ports(const struct se_net *net)
{
	for (uint16_t i = 0; i < net->nb_ports; i++) {
		const struct se_net_port *p = &net->ports[i];
		char mac[RTE_ETHER_ADDR_FMT_SIZE], ip[16], gw[16];
		uint32_t a = rte_be_to_cpu_32(p->ifc.ip), g = rte_be_to_cpu_32(p->ifc.gw);
		int plen = __builtin_popcount(p->ifc.mask);

		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
			 a & 255);
		snprintf(gw, sizeof(gw), "%u.%u.%u.%u", g >> 24, (g >> 16) & 255, (g >> 8) & 255,
			 g & 255);
		SE_NET_LOG(INFO, "port %u (%s, ethdev %u): %s/%d gw %s mac %s mtu %u rxq %u "
			   "txq %u%s%s%s%s", i, p->name, p->port_id, ip, plen,
			   p->ifc.gw ? gw : "none", mac, p->mtu, p->nb_rxq, p->nb_txq,
			   p->ctrl_txq ? " (control queue)" : " (control via worker 0)",
			   p->rss ? " rss" : "", p->rx_cksum ? " rx-cksum" : "",
			   p->tx_udp_cksum ? " tx-cksum" : "");
	}
}
