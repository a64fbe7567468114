/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drivers/net with EAL and mbufs (suite 'eal'): the control core's transmit
 * path through worker 0 (a net_pcap port has a single TX queue), the ICMP
 * error hand-off, and the RX trimming the SIP stage relies on. Each test runs
 * in its own process (Criterion forks), with its own EAL file prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_udp.h>

#include "se_net.h"

/* RTE_IPV4 shifts a signed int: UB from 128.0.0.0 up, so the tests use their own */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define BE(a, b, c, d) RTE_BE32(IP4(a, b, c, d))
#define OUR BE(198, 51, 100, 1)
#define PEER BE(198, 51, 100, 11)

static char dir[64];
static struct se_net *net;
static struct se_net_ctrl *ctl;
static struct se_net_ctx *w0;
static struct rte_rcu_qsbr *qs;
static struct se_stats wst, cst;
static const struct rte_ether_addr peer_mac = { { 0x02, 0, 0, 0, 0, 0x11 } };

static void
write_empty_pcap(const char *path)
{
	static const uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0 };
	FILE *f = fopen(path, "wb");

	cr_assert(not(eq(ptr, f, NULL)));
	fwrite(hdr, 1, sizeof(hdr), f);
	fclose(f);
}

static void
setup(void)
{
	char prefix[64], vdev[256], in[128];
	char *av[] = { "test_net_eal", "--no-huge", "-m", "256", "--no-pci", prefix, "--vdev",
		       vdev, NULL };
	struct se_net_params p;
	unsigned int lcore;

	snprintf(dir, sizeof(dir), "/tmp/se-eal-%d", getpid());
	cr_assert(eq(int, mkdir(dir, 0700), 0));
	snprintf(in, sizeof(in), "%s/in.pcap", dir);
	write_empty_pcap(in);
	snprintf(prefix, sizeof(prefix), "--file-prefix=se-eal-%d", getpid());
	snprintf(vdev, sizeof(vdev), "net_pcap0,rx_pcap=%s,tx_pcap=%s/out.pcap", in, dir);
	cr_assert(ge(int, rte_eal_init(8, av), 0));
	lcore = rte_get_main_lcore();
	qs = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	cr_assert(eq(int, rte_rcu_qsbr_init(qs, 1), 0));
	memset(&p, 0, sizeof(p));
	p.nb_ports = 1;
	p.ports[0].port_id = 0;
	p.ports[0].addr.family = SE_NET_AF_INET;
	p.ports[0].addr.v4 = OUR;
	p.ports[0].prefix_len = 24;
	p.nb_workers = 1;
	p.worker_lcores = &lcore;
	p.ctrl_lcore = lcore;
	p.sip_port = 5060;
	p.nb_mbufs = 4095;
	p.qs = qs;
	net = se_net_create(&p);
	cr_assert(not(eq(ptr, net, NULL)));
	ctl = se_net_ctrl_create(net, &cst);
	w0 = se_net_worker_ctx_create(net, 0, &wst);
	cr_assert(not(eq(ptr, ctl, NULL)));
	cr_assert(not(eq(ptr, w0, NULL)));
	cr_assert(eq(int, se_net_start(net), 0));
}

static void
teardown(void)
{
	char cmd[128];

	se_net_ctx_free(w0);
	se_net_ctrl_free(ctl);
	se_net_free(net);
	rte_free(qs);
	rte_eal_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf %s /var/run/dpdk/se-eal-%d", dir, getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed: %s\n", cmd);
}

TestSuite(net_eal, .init = setup, .fini = teardown, .timeout = 60);

/* Frames written to out.pcap once the port is closed. */
static int
read_out(uint8_t frames[][2048], uint32_t *lens, int max)
{
	char path[128];
	uint8_t rec[16];
	FILE *f;
	int n = 0;

	se_net_stop(net);
	snprintf(path, sizeof(path), "%s/out.pcap", dir);
	f = fopen(path, "rb");
	cr_assert(not(eq(ptr, f, NULL)));
	cr_assert(eq(int, fseek(f, 24, SEEK_SET), 0));
	while (n < max && fread(rec, 1, 16, f) == 16) {
		uint32_t incl;
		size_t got;

		memcpy(&incl, rec + 8, 4);
		cr_assert(le(u32, incl, 2048));
		/* no side effects inside cr_assert: it may evaluate its operands twice */
		got = fread(frames[n], 1, incl, f);
		cr_assert(eq(u64, got, incl));
		lens[n++] = incl;
	}
	fclose(f);
	return n;
}

/* The stored UDP checksum equals DPDK's computation over a copy of the frame. */
static bool
udp_cksum_ok(const uint8_t *frame, uint32_t len)
{
	static uint8_t copy[2048];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(copy + 14);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint16_t stored;

	memcpy(copy, frame, len);
	stored = u->dgram_cksum;
	u->dgram_cksum = 0;
	return stored == rte_ipv4_udptcp_cksum(ip, u);
}

static struct rte_mbuf *
payload_mbuf(const char *text)
{
	struct rte_mbuf *m = se_net_ctrl_alloc(ctl);
	size_t n = strlen(text);

	cr_assert(not(eq(ptr, m, NULL)));
	memcpy(rte_pktmbuf_append(m, (uint16_t)n), text, n);
	return m;
}

Test(net_eal, control_udp_send_leaves_through_worker0_and_an_unresolved_hop_is_asked_for)
{
	static uint8_t fr[4][2048];
	uint32_t len[4];
	const char *opt = "OPTIONS sip:198.51.100.11 SIP/2.0\r\n\r\n";
	struct se_pkt_out out = { .port = SE_PORT_ROUTE, .dst_ip = PEER, .src_port = 5060,
				  .dst_port = 5080 };
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *u;
	int n;

	cr_assert(eq(int, se_net_ctrl_add_neigh(ctl, PEER, &peer_mac), 0));
	se_net_ctrl_poll(ctl, NULL, NULL);
	cr_assert(eq(int, se_net_ctrl_udp_send(ctl, payload_mbuf(opt), &out), 0));
	out.dst_ip = BE(198, 51, 100, 12);
	cr_assert(eq(int, se_net_ctrl_udp_send(ctl, payload_mbuf(opt), &out), -EAGAIN));
	se_net_ctrl_poll(ctl, NULL, NULL);   /* sends the ARP request for .12 */
	cr_assert(eq(u64, cst.c[SE_STAT_ARP_REQUESTS_SENT], 1));
	cr_assert(eq(u64, cst.c[SE_STAT_DROP_NEIGH_UNRESOLVED], 1));
	/* nothing leaves until worker 0 drains the control ring */
	se_net_ctx_end_loop(w0);
	cr_assert(eq(u64, wst.c[SE_STAT_TX_PACKETS], 2));

	n = read_out(fr, len, 4);
	cr_assert(eq(int, n, 2));
	cr_assert(eq(u32, len[0], 14 + 20 + 8 + strlen(opt)));
	cr_assert(rte_is_same_ether_addr((const struct rte_ether_addr *)fr[0], &peer_mac));
	ip = (const struct rte_ipv4_hdr *)(fr[0] + 14);
	u = (const struct rte_udp_hdr *)(ip + 1);
	cr_assert(eq(u32, ip->src_addr, OUR));
	cr_assert(eq(u32, ip->dst_addr, PEER));
	cr_assert(eq(u16, rte_ipv4_cksum(ip), 0));
	cr_assert(udp_cksum_ok(fr[0], len[0]));
	cr_assert(eq(u16, rte_be_to_cpu_16(u->dst_port), 5080));
	cr_assert(eq(int, memcmp(u + 1, opt, strlen(opt)), 0));
	cr_assert(eq(u32, len[1], SE_NET_ARP_FRAME_LEN));
	cr_assert(eq(u16, rte_be_to_cpu_16(*(const uint16_t *)(fr[1] + 12)), RTE_ETHER_TYPE_ARP));
	cr_assert(eq(u32, *(const uint32_t *)(fr[1] + 38), BE(198, 51, 100, 12)));
}

static struct rte_mbuf *
frame_mbuf(const uint8_t *f, uint16_t n)
{
	struct rte_mbuf *m = se_net_ctrl_alloc(ctl);

	cr_assert(not(eq(ptr, m, NULL)));
	memcpy(rte_pktmbuf_append(m, n), f, n);
	return m;
}

static uint16_t
build_ipv4(uint8_t *f, uint8_t proto, const void *l4, uint16_t l4_len, uint16_t pad)
{
	const struct rte_ether_addr *us = se_net_port_mac(net, 0);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

	memset(f, 0, 14 + 20 + l4_len + pad);
	memcpy(f, us, 6);
	memcpy(f + 6, &peer_mac, 6);
	f[12] = 0x08;
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4_len));
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = PEER;
	ip->dst_addr = OUR;
	memcpy(ip + 1, l4, l4_len);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

		u->dgram_cksum = 0;
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	}
	return (uint16_t)(14 + 20 + l4_len + pad);
}

struct seen {
	int calls;
	struct se_net_icmp_err e;
	int rc;
};

static void
on_msg(void *arg, const struct se_net_ctrl_msg *msg)
{
	struct seen *s = arg;

	s->calls++;
	cr_assert(eq(u8, msg->kind, SE_NET_CTRL_ICMP_ERR));
	cr_assert(eq(u32, msg->ip, PEER));
	s->rc = se_net_icmp_err_from_mbuf(msg->m, &s->e);
	rte_pktmbuf_free(msg->m);
}

Test(net_eal, icmp_port_unreachable_reaches_the_control_handler_decodable)
{
	uint8_t l4[8 + 28], f[128];
	struct rte_ipv4_hdr *q = (struct rte_ipv4_hdr *)(l4 + 8);
	struct rte_udp_hdr *qu = (struct rte_udp_hdr *)(q + 1);
	struct rte_mbuf *m, *sip[1];
	struct se_pkt_in in[1];
	struct seen s = { 0 };
	uint16_t n;

	memset(l4, 0, sizeof(l4));
	l4[0] = 3;
	l4[1] = 3;
	q->version_ihl = 0x45;
	q->next_proto_id = IPPROTO_UDP;
	q->src_addr = OUR;
	q->dst_addr = PEER;
	qu->src_port = rte_cpu_to_be_16(5060);
	qu->dst_port = rte_cpu_to_be_16(5080);
	*(uint16_t *)(l4 + 2) = se_net_cksum_finish(se_net_cksum_add(0, l4, sizeof(l4)));
	n = build_ipv4(f, IPPROTO_ICMP, l4, sizeof(l4), 0);
	m = frame_mbuf(f, n);
	cr_assert(eq(u16, se_net_rx_process(w0, 0, &m, 1, sip, in), 0));
	cr_assert(eq(u64, wst.c[SE_STAT_ICMP_TO_CONTROL], 1));
	se_net_ctrl_poll(ctl, on_msg, &s);
	cr_assert(eq(int, s.calls, 1));
	cr_assert(eq(int, s.rc, 0));
	cr_assert(s.e.has_ports);
	cr_assert(eq(u16, s.e.orig_dport, 5080));
	cr_assert(eq(u32, s.e.orig_dst, PEER));
}

Test(net_eal, sip_datagram_is_trimmed_to_its_payload_even_with_ethernet_padding)
{
	const char *msg = "ACK sip:x SIP/2.0\r\n\r\n";
	uint8_t l4[64], f[128];
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)l4;
	size_t plen = strlen(msg);
	struct rte_mbuf *m, *sip[1];
	struct se_pkt_in in[1];
	uint16_t n;

	memset(l4, 0, sizeof(l4));
	u->src_port = rte_cpu_to_be_16(5062);
	u->dst_port = rte_cpu_to_be_16(5060);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + plen));
	memcpy(u + 1, msg, plen);
	n = build_ipv4(f, IPPROTO_UDP, l4, (uint16_t)(8 + plen), 12);
	m = frame_mbuf(f, n);
	cr_assert(eq(u16, se_net_rx_process(w0, 0, &m, 1, sip, in), 1));
	cr_assert(eq(u32, sip[0]->pkt_len, plen));
	cr_assert(eq(u16, sip[0]->data_len, plen));
	cr_assert(eq(int, memcmp(rte_pktmbuf_mtod(sip[0], void *), msg, plen), 0));
	cr_assert(eq(u16, in[0].port, 0));
	cr_assert(eq(u32, in[0].src_ip, PEER));
	cr_assert(eq(u32, in[0].dst_ip, OUR));
	cr_assert(eq(u16, in[0].src_port, 5062));
	cr_assert(eq(u16, in[0].dst_port, 5060));
	cr_assert(rte_is_same_ether_addr(&in[0].src_mac, &peer_mac));
	cr_assert(ge(u16, rte_pktmbuf_headroom(sip[0]), SE_NET_UDP_HDRS_LEN));
	rte_pktmbuf_free(sip[0]);
}

/* One SIP datagram frame from PEER to our port 5060; @p cksum: 0 none, 1 right, 2 wrong. */
static struct rte_mbuf *
sip_frame(const char *msg, int cksum, uint16_t pad)
{
	uint8_t l4[128], f[192];
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)l4;
	struct rte_udp_hdr *fu = (struct rte_udp_hdr *)(f + 14 + 20);
	size_t plen = strlen(msg);
	uint16_t n;

	cr_assert(lt(sz, plen + 8, sizeof(l4)));
	memset(l4, 0, sizeof(l4));
	u->src_port = rte_cpu_to_be_16(5062);
	u->dst_port = rte_cpu_to_be_16(5060);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + plen));
	memcpy(u + 1, msg, plen);
	n = build_ipv4(f, IPPROTO_UDP, l4, (uint16_t)(8 + plen), pad);
	if (cksum == 0)
		fu->dgram_cksum = 0;
	else if (cksum == 2)
		fu->dgram_cksum = (uint16_t)(fu->dgram_cksum ^ 0x0100);
	return frame_mbuf(f, n);
}

Test(net_eal, a_deferred_udp_checksum_is_left_to_the_stage_and_verified_by_it)
{
	const char *msg = "OPTIONS sip:x SIP/2.0\r\n\r\n";
	struct rte_mbuf *m[3], *sip[3];
	struct se_pkt_in in[3];
	uint64_t bad = wst.c[SE_STAT_DROP_UDP_CHECKSUM];

	se_net_ctx_defer_udp_cksum(w0, true);
	m[0] = sip_frame(msg, 1, 12); /* right, with Ethernet padding */
	m[1] = sip_frame(msg, 2, 0);  /* wrong */
	m[2] = sip_frame(msg, 0, 0);  /* none: nothing to verify */
	cr_assert(eq(u16, se_net_rx_process(w0, 0, m, 3, sip, in), 3));
	se_net_ctx_defer_udp_cksum(w0, false);
	cr_assert(eq(u64, wst.c[SE_STAT_DROP_UDP_CHECKSUM], bad));
	cr_assert(ne(int, in[0].flags & SE_PKT_IN_CKSUM_PENDING, 0));
	cr_assert(ne(int, in[1].flags & SE_PKT_IN_CKSUM_PENDING, 0));
	cr_assert(eq(int, in[2].flags & SE_PKT_IN_CKSUM_PENDING, 0));
	cr_assert(se_net_udp_cksum_ok(sip[0], &in[0]));
	cr_assert(not(se_net_udp_cksum_ok(sip[1], &in[1])));
	cr_assert(se_net_udp_cksum_ok(sip[2], &in[2]));
	for (int i = 0; i < 3; i++)
		rte_pktmbuf_free(sip[i]);

	/* not deferred: the receive path drops the wrong one itself */
	m[0] = sip_frame(msg, 2, 0);
	m[1] = sip_frame(msg, 1, 0);
	cr_assert(eq(u16, se_net_rx_process(w0, 0, m, 2, sip, in), 1));
	cr_assert(eq(u64, wst.c[SE_STAT_DROP_UDP_CHECKSUM], bad + 1));
	cr_assert(eq(int, in[0].flags & SE_PKT_IN_CKSUM_PENDING, 0));
	rte_pktmbuf_free(sip[0]);
}

Test(net_eal, payload_that_used_the_headroom_is_slid_back_before_sending)
{
	static uint8_t fr[2][2048];
	uint32_t len[2];
	const char *msg = "BYE sip:x SIP/2.0\r\n\r\n";
	size_t plen = strlen(msg);
	struct se_pkt_out out = { .port = 0, .dst_ip = PEER, .src_port = 5060, .dst_port = 5060 };
	struct rte_mbuf *m = se_net_ctrl_alloc(ctl);

	cr_assert(eq(int, se_net_ctrl_add_neigh(ctl, PEER, &peer_mac), 0));
	se_net_ctrl_poll(ctl, NULL, NULL);
	/* a stage that grew its message into the headroom leaves 10 bytes of it */
	m->data_off = 10;
	memcpy(rte_pktmbuf_append(m, (uint16_t)plen), msg, plen);
	cr_assert(eq(int, se_net_udp_send(w0, m, &out), 0));
	se_net_ctx_end_loop(w0);
	cr_assert(eq(int, read_out(fr, len, 2), 1));
	cr_assert(eq(u32, len[0], 42 + plen));
	cr_assert(eq(int, memcmp(fr[0] + 42, msg, plen), 0));
	cr_assert(udp_cksum_ok(fr[0], len[0]));
}

static void
free_msg(void *arg, const struct se_net_ctrl_msg *msg)
{
	RTE_SET_USED(arg);
	rte_pktmbuf_free(msg->m);
}

static uint16_t
build_udp_frame(uint8_t *f, uint16_t frag_field)
{
	const char *msg = "INVITE sip:bob@198.51.100.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n";
	uint8_t l4[128];
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)l4;
	size_t plen = strlen(msg);
	uint16_t n;

	memset(l4, 0, sizeof(l4));
	u->src_port = rte_cpu_to_be_16(5062);
	u->dst_port = rte_cpu_to_be_16(5060);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + plen));
	memcpy(u + 1, msg, plen);
	n = build_ipv4(f, IPPROTO_UDP, l4, (uint16_t)(8 + plen), 0);
	if (frag_field != 0) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

		ip->fragment_offset = rte_cpu_to_be_16(frag_field);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	return n;
}

Test(net_eal, mangled_frames_are_answered_or_dropped_and_no_mbuf_is_lost, .timeout = 120)
{
	enum { ROUNDS = 20000 };
	uint8_t base[5][128], f[256], l4[64];
	uint16_t blen[5];
	struct rte_ether_addr bcast, zero;
	struct rte_mbuf *probe = se_net_ctrl_alloc(ctl);
	struct rte_mempool *mp = probe->pool;
	unsigned int avail0;
	uint64_t accounted = 0;

	rte_pktmbuf_free(probe);
	/* a SIP datagram, a first and a later fragment, an echo request, an ARP request */
	blen[0] = build_udp_frame(base[0], 0);
	blen[1] = build_udp_frame(base[1], RTE_IPV4_HDR_MF_FLAG);
	blen[2] = build_udp_frame(base[2], 3);
	memset(l4, 0, sizeof(l4));
	l4[0] = 8;
	*(uint16_t *)(l4 + 2) = se_net_cksum_finish(se_net_cksum_add(0, l4, 16));
	blen[3] = build_ipv4(base[3], IPPROTO_ICMP, l4, 16, 0);
	memset(&bcast, 0xff, sizeof(bcast));
	memset(&zero, 0, sizeof(zero));
	se_net_arp_build(base[4], RTE_ARP_OP_REQUEST, &bcast, &peer_mac, PEER, &zero, OUR);
	blen[4] = SE_NET_ARP_FRAME_LEN;
	avail0 = rte_mempool_avail_count(mp);
	srand(4475);
	for (int i = 0; i < ROUNDS; i++) {
		int b = rand() % 5, cuts = 1 + rand() % 3;
		uint16_t len = blen[b];
		struct rte_mbuf *m, *sip[1];
		struct se_pkt_in in[1];

		memcpy(f, base[b], len);
		for (int k = 0; k < cuts; k++) {
			switch (rand() % 4) {
			case 0: /* one byte of the headers */
				f[rand() % 42] = (uint8_t)rand();
				break;
			case 1: /* one bit anywhere */
				f[rand() % len] ^= (uint8_t)(1u << (rand() % 8));
				break;
			case 2: /* truncate */
				len = (uint16_t)(1 + rand() % len);
				break;
			default: /* trailing garbage */
				for (int g = rand() % 64; g > 0 && len < sizeof(f); g--)
					f[len++] = (uint8_t)rand();
				break;
			}
		}
		m = frame_mbuf(f, len);
		if (se_net_rx_process(w0, 0, &m, 1, sip, in) == 1) {
			cr_assert(eq(u32, sip[0]->pkt_len, sip[0]->data_len));
			cr_assert(eq(u16, sip[0]->nb_segs, 1));
			rte_pktmbuf_free(sip[0]);
		}
		if (i % 32 == 31) {
			se_net_ctx_end_loop(w0);
			se_net_ctrl_poll(ctl, free_msg, NULL);
		}
	}
	cr_assert(eq(u64, wst.c[SE_STAT_RX_PACKETS], ROUNDS));
	cr_assert(ge(u64, wst.c[SE_STAT_SIP_RX], 1));
	cr_assert(ge(u64, wst.c[SE_STAT_ICMP_ECHO_REPLIED], 1));
	cr_assert(ge(u64, wst.c[SE_STAT_IP_FRAGMENTS], 1));
	cr_assert(ge(u64, wst.c[SE_STAT_ARP_REPLIED], 1));
	/*
	 * Every frame has exactly one fate: an RX drop reason, the stage, an
	 * answer, a hand-over; or it is a fragment, and each reassembled
	 * datagram then has one fate for all its fragments.
	 */
	for (unsigned int s = 0; s < SE_STAT_COUNT; s++)
		if (strcmp(se_stats_kind(s), "drop") == 0 && s != SE_STAT_DROP_IP_FRAG)
			accounted += wst.c[s];
	accounted += wst.c[SE_STAT_SIP_RX] + wst.c[SE_STAT_ARP_REPLIED] +
		     wst.c[SE_STAT_ARP_TO_CONTROL] + wst.c[SE_STAT_ICMP_ECHO_REPLIED] +
		     wst.c[SE_STAT_ICMP_TO_CONTROL] + wst.c[SE_STAT_IP_FRAGMENTS] -
		     wst.c[SE_STAT_IP_REASSEMBLED];
	cr_assert(eq(u64, wst.c[SE_STAT_DROP_TX_FULL] + wst.c[SE_STAT_DROP_IP_FRAG_OUT], 0));
	cr_assert(eq(u64, accounted, ROUNDS), "frames without exactly one fate");
	/* fragments waiting for their datagram expire after the reassembly timeout (2 s) */
	usleep(2100 * 1000);
	se_net_ctx_end_loop(w0);
	se_net_ctrl_poll(ctl, free_msg, NULL);
	cr_assert(eq(uint, rte_mempool_avail_count(mp), avail0), "mbufs lost");
}
