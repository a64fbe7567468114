/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_icmp.h>
#include <rte_ip_frag.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "net_priv.h"

#define IP_HDR_LEN 20u
#define UDP_HDR_LEN 8u

static inline struct rte_mbuf *
drop(struct se_net_ctx *c, struct rte_mbuf *m, enum se_stat_id why)
{
	c->st->c[why]++;
	rte_pktmbuf_free(m);
	return NULL;
}

/* Tell the control core where a neighbour is; false if there was nothing to learn. */
static bool
learn(struct se_net_ctx *c, uint16_t port, uint32_t ip, const struct rte_ether_addr *mac,
      bool solicited)
{
	const struct se_net_iface *ifc = &c->net->ports[port].ifc;
	struct se_net_ctrl_msg msg = {
		.ip = ip, .port = port, .kind = SE_NET_CTRL_LEARN, .mac = *mac,
		.flags = solicited ? SE_NET_CTRL_F_SOLICITED : 0, .arg = c->index,
	};

	/* only on-link unicast neighbours are worth a table entry */
	if (!se_net_ipv4_is_unicast(ip) || ip == ifc->ip || !se_net_iface_on_link(ifc, ip) ||
	    !rte_is_unicast_ether_addr(mac))
		return false;
	/* a full ring drops only the lesson, counted there (drop_control_ring) */
	se_net_to_ctrl(c, &msg);
	return true;
}

/*
 * Requests for our address are answered here, in the frame that asked: a
 * worker can do it without touching shared state, and the client's first
 * packet does not wait for the control core. What the packet teaches (the
 * sender's MAC) goes to the control core, which owns the neighbour table.
 * Each frame gets one counter: arp_replied, arp_to_control (a reply or an
 * announcement consumed by learning) or a drop reason.
 */
static void
arp_input(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m)
{
	const struct se_net_port *p = &c->net->ports[port];
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	enum se_stat_id why;
	struct se_net_arp a;

	if (!se_net_arp_parse(frame + RTE_ETHER_HDR_LEN, m->data_len - RTE_ETHER_HDR_LEN, &a,
			      &why)) {
		drop(c, m, why);
		return;
	}
	if (a.tpa == p->ifc.ip && a.op == RTE_ARP_OP_REQUEST) {
		se_net_arp_build(frame, RTE_ARP_OP_REPLY, &a.sha, &p->mac, p->ifc.ip, &a.sha,
				 a.spa);
		m->data_len = SE_NET_ARP_FRAME_LEN;
		m->pkt_len = SE_NET_ARP_FRAME_LEN;
		m->ol_flags = 0;
		c->st->c[SE_STAT_ARP_REPLIED]++;
		se_net_tx_enqueue(c, port, m);
		learn(c, port, a.spa, &a.sha, true);
		return;
	}
	if (a.tpa != p->ifc.ip && a.spa != a.tpa)
		c->st->c[SE_STAT_DROP_ARP_NOT_US]++;
	else if (learn(c, port, a.spa, &a.sha, a.tpa == p->ifc.ip))
		c->st->c[SE_STAT_ARP_TO_CONTROL]++;
	else
		c->st->c[SE_STAT_DROP_ARP_SENDER]++;
	rte_pktmbuf_free(m);
}

static void
icmp_input(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m, uint32_t l4_len)
{
	const struct se_net_port *p = &c->net->ports[port];
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	enum se_stat_id why;

	if (!se_net_icmp_check(icmp, l4_len, &why)) {
		drop(c, m, why);
		return;
	}
	if (icmp->icmp_type == RTE_IP_ICMP_ECHO_REQUEST && icmp->icmp_code == 0) {
		/* reply by the way the request came: its source MAC is the next hop */
		eh->dst_addr = eh->src_addr;
		eh->src_addr = p->mac;
		ip->dst_addr = ip->src_addr;
		ip->src_addr = p->ifc.ip;
		ip->time_to_live = SE_NET_TTL;
		ip->fragment_offset = 0;
		icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
		icmp->icmp_cksum = 0;
		icmp->icmp_cksum = se_net_cksum_finish(se_net_cksum_add(0, icmp, l4_len));
		m->ol_flags = 0;
		c->st->c[SE_STAT_ICMP_ECHO_REPLIED]++;
		se_net_ip_output(c, port, m);
		return;
	}
	if (se_net_icmp_is_error(icmp->icmp_type)) {
		struct se_net_ctrl_msg msg = {
			.m = m, .ip = ip->src_addr, .port = port, .kind = SE_NET_CTRL_ICMP_ERR,
			.arg = c->index,
		};

		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = IP_HDR_LEN;
		if (se_net_to_ctrl(c, &msg) == 0)
			c->st->c[SE_STAT_ICMP_TO_CONTROL]++;
		return;
	}
	drop(c, m, SE_STAT_DROP_ICMP);
}

static inline unsigned int
ip_flags(uint64_t ol)
{
	return (ol & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD ?
	       SE_NET_IPV4_CKSUM_DONE : 0;
}

static inline unsigned int
udp_flags(uint64_t ol)
{
	return (ol & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD ?
	       SE_NET_UDP_CKSUM_DONE : 0;
}

/* One frame in; the SIP datagram out (payload only), or NULL when consumed. */
static struct rte_mbuf *
rx_one(struct se_net_ctx *c, uint16_t port, struct rte_mbuf *m, struct se_pkt_in *in)
{
	const struct se_net_port *p = &c->net->ports[port];
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct se_net_ipv4_info info;
	enum se_stat_id why;
	uint32_t len;
	uint16_t ulen;
	unsigned int uflags;
	uint8_t flags = 0;

	c->st->c[SE_STAT_RX_PACKETS]++;
	c->st->c[SE_STAT_RX_BYTES] += m->pkt_len;
	if (unlikely(m->nb_segs > 1)) {
		m = se_net_linearize(c, m);
		if (m == NULL)
			return NULL;
	}
	len = m->data_len;
	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return drop(c, m, SE_STAT_DROP_L2_SHORT);
	eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	if (unlikely(!rte_is_same_ether_addr(&eh->dst_addr, &p->mac) &&
		     !rte_is_broadcast_ether_addr(&eh->dst_addr)))
		return drop(c, m, SE_STAT_DROP_L2_NOT_US);
	if (unlikely(eh->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))) {
		if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
			arp_input(c, port, m);
			return NULL;
		}
		return drop(c, m, SE_STAT_DROP_L2_ETHERTYPE);
	}
	if (unlikely((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD))
		return drop(c, m, SE_STAT_DROP_IP_CHECKSUM);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	if (unlikely(!se_net_ipv4_check(ip, len - RTE_ETHER_HDR_LEN, p->ifc.ip,
					ip_flags(m->ol_flags), &info, &why)))
		return drop(c, m, why);
	/* Ethernet padding of short frames is not part of the datagram */
	if (len > RTE_ETHER_HDR_LEN + (uint32_t)info.total_len)
		rte_pktmbuf_trim(m, (uint16_t)(len - RTE_ETHER_HDR_LEN - info.total_len));

	if (unlikely(info.fragment)) {
		uint32_t before = c->dr.cnt;

		c->st->c[SE_STAT_IP_FRAGMENTS]++;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = info.hdr_len;
		m = rte_ipv4_frag_reassemble_packet(c->frag, &c->dr, m, c->now, ip);
		c->st->c[SE_STAT_DROP_IP_FRAG] += c->dr.cnt - before;
		if (m == NULL)
			return NULL;
		c->st->c[SE_STAT_IP_REASSEMBLED]++;
		/* the L4 offload verdict of a fragment says nothing of the datagram */
		m->ol_flags &= ~RTE_MBUF_F_RX_L4_CKSUM_MASK;
		m = se_net_linearize(c, m);
		if (m == NULL)
			return NULL;
		flags = SE_PKT_IN_REASSEMBLED;
		eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		ip = (struct rte_ipv4_hdr *)(eh + 1);
		info.total_len = rte_be_to_cpu_16(ip->total_length);
		if (m->pkt_len != RTE_ETHER_HDR_LEN + (uint32_t)info.total_len)
			return drop(c, m, SE_STAT_DROP_IP_LEN);
	}

	if (info.proto == IPPROTO_ICMP) {
		icmp_input(c, port, m, info.total_len - IP_HDR_LEN);
		return NULL;
	}
	if (unlikely((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_BAD))
		return drop(c, m, SE_STAT_DROP_UDP_CHECKSUM);
	udp = (struct rte_udp_hdr *)(ip + 1);
	uflags = udp_flags(m->ol_flags);
	if (c->defer_udp_cksum && udp->dgram_cksum != 0 && !(uflags & SE_NET_UDP_CKSUM_DONE)) {
		uflags |= SE_NET_UDP_CKSUM_DONE; /* not yet: se_net_udp_cksum_ok() */
		flags |= SE_PKT_IN_CKSUM_PENDING;
	}
	if (unlikely(!se_net_udp_check(ip, udp, info.total_len - IP_HDR_LEN, uflags, &ulen,
				       &why)))
		return drop(c, m, why);
	if (unlikely(udp->dst_port != c->net->sip_port_be))
		return drop(c, m, SE_STAT_DROP_UDP_PORT);

	/*
	 * Glean an on-link sender we have no entry for, as if it had sent us an
	 * ARP request: the response a backend sends it a moment later then needs
	 * no ARP round trip (and is not dropped meanwhile). A known sender costs
	 * one prefix compare and one lookup; an off-link one the compare only.
	 */
	if (se_net_iface_on_link(&p->ifc, ip->src_addr) &&
	    se_net_neigh_lookup(neigh_current(c->net), port, ip->src_addr) == NULL &&
	    learn(c, port, ip->src_addr, &eh->src_addr, true))
		c->st->c[SE_STAT_NEIGH_GLEANED]++;

	in->port = port;
	in->family = SE_NET_AF_INET;
	in->flags = flags;
	in->src_ip = ip->src_addr;
	in->dst_ip = ip->dst_addr;
	in->src_port = rte_be_to_cpu_16(udp->src_port);
	in->dst_port = rte_be_to_cpu_16(udp->dst_port);
	in->src_mac = eh->src_addr;
	if (info.total_len - IP_HDR_LEN > ulen)
		rte_pktmbuf_trim(m, (uint16_t)(info.total_len - IP_HDR_LEN - ulen));
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN + IP_HDR_LEN + UDP_HDR_LEN);
	m->ol_flags = 0;
	c->st->c[SE_STAT_SIP_RX]++;
	return m;
}

void
se_net_ctx_defer_udp_cksum(struct se_net_ctx *c, bool defer)
{
	c->defer_udp_cksum = defer;
}

bool
se_net_udp_cksum_ok(const struct rte_mbuf *m, const struct se_pkt_in *in)
{
	const uint8_t *payload = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_udp_hdr *udp;
	const struct rte_ipv4_hdr *ip;
	uint32_t ulen = (uint32_t)m->data_len + UDP_HDR_LEN;

	if (!(in->flags & SE_PKT_IN_CKSUM_PENDING))
		return true;
	/* rx_one() took off exactly these headers and trimmed the frame to the UDP length */
	udp = (const struct rte_udp_hdr *)(const void *)(payload - UDP_HDR_LEN);
	ip = (const struct rte_ipv4_hdr *)(const void *)(payload - UDP_HDR_LEN - IP_HDR_LEN);
	if (rte_pktmbuf_headroom(m) < RTE_ETHER_HDR_LEN + IP_HDR_LEN + UDP_HDR_LEN ||
	    rte_be_to_cpu_16(udp->dgram_len) != ulen)
		return false;
	return se_net_cksum_finish(se_net_cksum_add(se_net_ipv4_phdr_sum(ip, (uint16_t)ulen),
						    udp, ulen)) == 0;
}

uint16_t
se_net_rx_process(struct se_net_ctx *c, uint16_t port, struct rte_mbuf **pkts, uint16_t n,
		  struct rte_mbuf **sip, struct se_pkt_in *in)
{
	uint16_t k = 0;

	c->now = rte_rdtsc();
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		m = rx_one(c, port, pkts[i], &in[k]);
		if (m != NULL)
			sip[k++] = m;
	}
	if (c->dr.cnt != 0)
		rte_ip_frag_free_death_row(&c->dr, 3);
	return k;
}

uint16_t
se_net_rx_burst(struct se_net_ctx *c, uint16_t port, struct rte_mbuf **sip, struct se_pkt_in *in,
		uint16_t cap, uint16_t *nb_rx)
{
	struct rte_mbuf *pkts[SE_NET_BURST];
	uint16_t n = 0;

	if (c->polls[port]) {
		n = rte_eth_rx_burst(c->net->ports[port].port_id, c->rxq[port], pkts,
				     RTE_MIN(cap, (uint16_t)SE_NET_BURST));
	}
	if (nb_rx != NULL)
		*nb_rx = n;
	if (n == 0)
		return 0;
	return se_net_rx_process(c, port, pkts, n, sip, in);
}
