/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip_frag.h>
#include <rte_udp.h>

#include "net_priv.h"

#define IP_HDR_LEN 20u
#define UDP_HDR_LEN 8u

static void
flush_q(struct se_net_ctx *c, uint16_t port, struct txq *q)
{
	uint16_t id = c->net->ports[port].port_id;
	uint64_t bytes = 0;
	uint16_t sent;

	for (uint16_t i = 0; i < q->n; i++)
		bytes += q->pkts[i]->pkt_len;
	sent = rte_eth_tx_burst(id, q->queue, q->pkts, q->n);
	if (unlikely(sent < q->n)) {
		/* one retry: a busy queue often frees descriptors within a poll */
		sent += rte_eth_tx_burst(id, q->queue, q->pkts + sent, q->n - sent);
		for (uint16_t i = sent; i < q->n; i++)
			bytes -= q->pkts[i]->pkt_len;
		c->st->c[SE_STAT_DROP_TX_FULL] += q->n - sent;
		rte_pktmbuf_free_bulk(q->pkts + sent, q->n - sent);
	}
	c->st->c[SE_STAT_TX_PACKETS] += sent;
	c->st->c[SE_STAT_TX_BYTES] += bytes;
	q->n = 0;
}

void
se_net_tx_enqueue(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m)
{
	struct txq *q = &c->tx[port];

	if (q->ring != NULL) {
		/* the control core's frame for worker 0 to transmit */
		if (ring_put_mbuf(q->ring, m) != 0) {
			c->st->c[SE_STAT_DROP_TX_FULL]++;
			rte_pktmbuf_free(m);
		}
		return;
	}
	q->pkts[q->n++] = m;
	if (q->n == TXBUF_SIZE)
		flush_q(c, port, q);
}

void
se_net_tx_flush_all(struct se_net_ctx *c)
{
	for (uint16_t i = 0; i < c->net->nb_ports; i++)
		if (c->tx[i].n != 0)
			flush_q(c, i, &c->tx[i]);
}

struct rte_mbuf *
se_net_linearize(struct se_net_ctx *c, struct rte_mbuf *m)
{
	struct rte_mbuf *j;
	uint32_t off = 0;

	if (m->nb_segs == 1)
		return m;
	if (rte_pktmbuf_linearize(m) == 0)
		return m;
	j = rte_pktmbuf_alloc(c->jumbo);
	if (j == NULL || m->pkt_len > rte_pktmbuf_tailroom(j)) {
		rte_pktmbuf_free(j);
		rte_pktmbuf_free(m);
		c->st->c[SE_STAT_DROP_LINEARIZE]++;
		return NULL;
	}
	for (const struct rte_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(rte_pktmbuf_mtod_offset(j, uint8_t *, off), rte_pktmbuf_mtod(s, void *),
		       s->data_len);
		off += s->data_len;
	}
	j->data_len = (uint16_t)off;
	j->pkt_len = off;
	j->port = m->port;
	j->ol_flags = m->ol_flags & (RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK);
	j->l2_len = m->l2_len;
	j->l3_len = m->l3_len;
	rte_pktmbuf_free(m);
	return j;
}

static void
set_ip_cksum(const struct se_net_port *p, struct rte_mbuf *m, struct rte_ipv4_hdr *ip)
{
	ip->hdr_checksum = 0;
	if (p->tx_ip_cksum) {
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = IP_HDR_LEN;
	} else {
		ip->hdr_checksum = se_net_ipv4_hdr_cksum(ip);
	}
}

static void
fragment(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m)
{
	const struct se_net_port *p = &c->net->ports[port];
	struct rte_mbuf *frags[MAX_FRAGS_OUT];
	struct rte_ether_hdr eh;
	struct rte_mempool *pool;
	int32_t n;

	memcpy(&eh, rte_pktmbuf_mtod(m, void *), sizeof(eh));
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	/* a fragment must fit one segment: jumbo buffers beyond a 2 KB MTU */
	pool = p->mtu + RTE_ETHER_HDR_LEN <= RTE_MBUF_DEFAULT_DATAROOM ? c->pool : c->jumbo;
	n = rte_ipv4_fragment_copy_nonseg_packet(m, frags, MAX_FRAGS_OUT, p->mtu, pool);
	rte_pktmbuf_free(m);
	if (n <= 0) {
		c->st->c[SE_STAT_DROP_IP_FRAG_OUT]++;
		return;
	}
	for (int32_t i = 0; i < n; i++) {
		struct rte_mbuf *f = frags[i];
		struct rte_ipv4_hdr *ip;
		void *h = rte_pktmbuf_prepend(f, RTE_ETHER_HDR_LEN);

		if (unlikely(h == NULL)) {
			/* cannot happen with a fresh mbuf's headroom; stay safe anyway */
			rte_pktmbuf_free_bulk(frags + i, (unsigned int)(n - i));
			c->st->c[SE_STAT_DROP_IP_FRAG_OUT]++;
			return;
		}
		memcpy(h, &eh, sizeof(eh));
		ip = rte_pktmbuf_mtod_offset(f, struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
		f->ol_flags = 0;
		set_ip_cksum(p, f, ip);
		se_net_tx_enqueue(c, port, f);
	}
	c->st->c[SE_STAT_IP_FRAGMENTED_OUT]++;
}

void
se_net_ip_output(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m)
{
	const struct se_net_port *p = &c->net->ports[port];
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
							  RTE_ETHER_HDR_LEN);

	if (likely(rte_be_to_cpu_16(ip->total_length) <= p->mtu)) {
		set_ip_cksum(p, m, ip);
		se_net_tx_enqueue(c, port, m);
		return;
	}
	fragment(c, port, m);
}

static bool
asked_recently(struct se_net_ctx *c, uint16_t port, uint32_t ip)
{
	struct ask *a = &c->asked[se_net_neigh_hash(port, ip) % ASK_CACHE];
	uint64_t now = rte_rdtsc();

	if (a->ip == ip && a->port == port && now - a->at < c->net->hz / 1000 * ASK_INTERVAL_MS)
		return true;
	a->ip = ip;
	a->port = port;
	a->at = now;
	return false;
}

static int
miss(struct se_net_ctx *c, uint16_t port, uint32_t ip)
{
	struct se_net_ctrl_msg msg = {
		.ip = ip, .port = port, .kind = SE_NET_CTRL_RESOLVE, .arg = c->index,
	};

	c->st->c[SE_STAT_DROP_NEIGH_UNRESOLVED]++;
	if (c->ctrl != NULL) {
		se_net_ctrl_miss(c->ctrl, port, ip);
		return -EAGAIN;
	}
	/* a burst towards one silent host asks once, not once per packet */
	if (!asked_recently(c, port, ip) &&
	    ring_put_msg(c->net->to_ctrl, &msg) != 0)
		c->st->c[SE_STAT_DROP_CONTROL_RING]++;
	return -EHOSTUNREACH;
}

/* Make room for the headers in front of the payload; slide it if the stage used the headroom. */
static bool
make_headroom(struct rte_mbuf *m, uint16_t need)
{
	uint16_t head = rte_pktmbuf_headroom(m);

	if (head >= need)
		return true;
	if (rte_pktmbuf_tailroom(m) < need - head)
		return false;
	memmove(rte_pktmbuf_mtod_offset(m, uint8_t *, need - head), rte_pktmbuf_mtod(m, void *),
		m->data_len);
	m->data_off += need - head;
	return true;
}

/* The 16-bit words of two IPv4 addresses, as the checksum sees them. */
static inline uint32_t
words_sum(uint32_t a, uint32_t b)
{
	return (a & 0xffff) + (a >> 16) + (b & 0xffff) + (b >> 16);
}

static int
drop(struct se_net_ctx *c, struct rte_mbuf *m, enum se_stat_id why, int rc)
{
	c->st->c[why]++;
	rte_pktmbuf_free(m);
	return rc;
}

int
se_net_udp_send(struct se_net_ctx *c, struct rte_mbuf *m, const struct se_pkt_out *out)
{
	struct se_net *net = c->net;
	const struct se_net_port *p;
	const struct rte_ether_addr *mac;
	struct se_net_nexthop nh;
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t tl, tl_be, id_be, sport_be, dport_be, ulen_be, cks;
	uint32_t plen, src, sum;
	int rc;

	rc = se_net_route_lookup(net->ifs, net->nb_ports, out->port, out->dst_ip, &nh);
	if (unlikely(rc != 0))
		return drop(c, m, rc == -EINVAL ? SE_STAT_DROP_DST_INVALID : SE_STAT_DROP_NO_ROUTE,
			    rc);
	p = &net->ports[nh.port];
	mac = se_net_neigh_lookup(neigh_current(net), nh.port, nh.ip);
	if (unlikely(mac == NULL)) {
		rte_pktmbuf_free(m);
		return miss(c, nh.port, nh.ip);
	}
	plen = m->pkt_len;
	if (unlikely(plen > UINT16_MAX - IP_HDR_LEN - UDP_HDR_LEN))
		return drop(c, m, SE_STAT_DROP_IP_FRAG_OUT, -EMSGSIZE);
	if (unlikely(m->nb_segs > 1)) {
		m = se_net_linearize(c, m);
		if (m == NULL)
			return -ENOMEM;
	}
	if (unlikely(!make_headroom(m, SE_NET_UDP_HDRS_LEN)))
		return drop(c, m, SE_STAT_DROP_NO_HEADROOM, -ENOSPC);

	eh = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, SE_NET_UDP_HDRS_LEN);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	tl = (uint16_t)(plen + IP_HDR_LEN + UDP_HDR_LEN);

	src = out->src_ip != 0 ? out->src_ip : p->ifc.ip;
	tl_be = rte_cpu_to_be_16(tl);
	id_be = rte_cpu_to_be_16(c->ip_id);
	c->ip_id++;
	sport_be = rte_cpu_to_be_16(out->src_port);
	dport_be = rte_cpu_to_be_16(out->dst_port);
	ulen_be = rte_cpu_to_be_16((uint16_t)(plen + UDP_HDR_LEN));

	/*
	 * An edited payload may start at an odd address, and so may this header:
	 * write it as bytes (struct rte_ether_hdr wants 2-byte alignment; the IPv4
	 * and UDP headers are packed).
	 */
	{
		struct rte_ether_hdr h = { .dst_addr = *mac, .src_addr = p->mac,
					   .ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) };

		memcpy(eh, &h, sizeof(h));
	}
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = tl_be;
	ip->packet_id = id_be;
	ip->fragment_offset = 0;
	ip->time_to_live = SE_NET_TTL;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = src;
	ip->dst_addr = out->dst_ip;
	udp->src_port = sport_be;
	udp->dst_port = dport_be;
	udp->dgram_len = ulen_be;
	m->ol_flags = 0;
	if (p->tx_udp_cksum && tl <= p->mtu) {
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = IP_HDR_LEN;
		udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
		se_net_tx_enqueue(c, nh.port, m);
		return 0;
	}
	/*
	 * Checksums from the values just stored, not from the headers: reading
	 * 16-bit stores back as wider words stalls store-to-load forwarding.
	 */
	sum = words_sum(src, out->dst_ip) + rte_cpu_to_be_16(IPPROTO_UDP) + ulen_be +
	      sport_be + dport_be + ulen_be;
	cks = se_net_cksum_finish(se_net_cksum_add(sum, udp + 1, plen));
	udp->dgram_cksum = cks == 0 ? 0xffff : cks;
	if (unlikely(tl > p->mtu)) {
		fragment(c, nh.port, m);
		return 0;
	}
	if (p->tx_ip_cksum) {
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = IP_HDR_LEN;
	} else {
		sum = words_sum(src, out->dst_ip) +
		      rte_cpu_to_be_16(RTE_IPV4_VHL_DEF << 8) + tl_be + id_be +
		      rte_cpu_to_be_16(SE_NET_TTL << 8 | IPPROTO_UDP);
		ip->hdr_checksum = se_net_cksum_finish(sum);
	}
	se_net_tx_enqueue(c, nh.port, m);
	return 0;
}
