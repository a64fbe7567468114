/* SPDX-License-Identifier: BSD-3-Clause */
/* Checksums, IPv4/UDP/ICMP validation, ARP and address parsing on byte buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "guard.h"
#include "se_net_proto.h"

/* RTE_IPV4 shifts a signed int: UB from 128.0.0.0 up, so the tests use their own */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define OUR_IP IP4(203, 0, 113, 1)
#define CLI_IP IP4(203, 0, 113, 10)

/* RFC 1071 done the obvious way: big-endian 16-bit words, end-around carry. */
static uint16_t
ref_cksum(const uint8_t *p, size_t len)
{
	uint64_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint16_t
ours(const uint8_t *p, size_t len)
{
	return rte_be_to_cpu_16(se_net_cksum_finish(se_net_cksum_add(0, p, len)));
}

static void
fill_random(uint8_t *p, size_t len, unsigned int seed)
{
	srand(seed);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rand();
}

Test(net_cksum, matches_rfc1071_reference_for_every_length_and_alignment)
{
	static uint8_t buf[600];

	fill_random(buf, sizeof(buf), 1);
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= 520; len++)
			cr_assert(eq(u16, ours(buf + off, len), ref_cksum(buf + off, len)),
				  "off %zu len %zu", off, len);
}

Test(net_cksum, all_ones_data_does_not_lose_carries)
{
	static uint8_t buf[70000];

	memset(buf, 0xff, sizeof(buf));
	for (size_t len = 60000; len <= sizeof(buf); len += 997)
		cr_assert(eq(u16, ours(buf, len), ref_cksum(buf, len)), "len %zu", len);
}

Test(net_cksum, buffers_longer_than_one_vector_block_keep_every_carry)
{
	/* the vector loop works in blocks of 2^16 iterations: cross two boundaries */
	size_t len = 9u << 20;
	uint8_t *buf = malloc(len + 3);

	cr_assert(not(eq(ptr, buf, NULL)));
	memset(buf, 0xff, len + 3);
	buf[12345] = 0x01;
	cr_assert(eq(u16, ours(buf, len + 3), ref_cksum(buf, len + 3)));
	free(buf);
}

Test(net_cksum, pieces_with_even_lengths_sum_like_the_whole)
{
	uint8_t buf[301];
	uint32_t s;

	fill_random(buf, sizeof(buf), 2);
	s = se_net_cksum_add(0, buf, 100);
	s = se_net_cksum_add(s, buf + 100, 64);
	s = se_net_cksum_add(s, buf + 164, 137);
	cr_assert(eq(u16, rte_be_to_cpu_16(se_net_cksum_finish(s)), ref_cksum(buf, sizeof(buf))));
}

/* ---- a little IPv4/UDP builder ---- */

struct pkt {
	uint8_t b[2048];
	uint32_t len;
};

static struct rte_ipv4_hdr *
build_udp(struct pkt *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	  const char *payload)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->b;
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	size_t n = strlen(payload);

	memset(p->b, 0, sizeof(p->b));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + n));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + n));
	memcpy(u + 1, payload, n);
	u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	p->len = (uint32_t)(20 + 8 + n);
	return ip;
}

static void
refresh_ip_cksum(struct pkt *p)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->b;

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

Test(net_cksum, ipv4_header_checksum_matches_dpdk)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "x");

	for (int i = 0; i < 1000; i++) {
		ip->packet_id = rte_cpu_to_be_16((uint16_t)(i * 7919));
		ip->time_to_live = (uint8_t)i;
		ip->hdr_checksum = 0xbeef;
		cr_assert(eq(u16, se_net_ipv4_hdr_cksum(ip),
			     (uint16_t)(ip->hdr_checksum = 0, rte_ipv4_cksum(ip))));
	}
}

Test(net_cksum, udp_checksum_matches_dpdk_for_many_payload_lengths)
{
	char payload[1500];
	struct pkt p;

	for (size_t n = 0; n < sizeof(payload) - 1; n += 13) {
		struct rte_ipv4_hdr *ip;
		struct rte_udp_hdr *u;

		memset(payload, 'a' + (int)(n % 26), n);
		payload[n] = '\0';
		ip = build_udp(&p, CLI_IP, OUR_IP, 1024 + (uint16_t)n, 5060, payload);
		u = (struct rte_udp_hdr *)(ip + 1);
		cr_assert(eq(u16, se_net_ipv4_udp_cksum(ip, u, (uint16_t)(8 + n)), u->dgram_cksum),
			  "payload %zu", n);
	}
}

Test(net_cksum, udp_checksum_that_computes_to_zero_is_sent_as_ffff)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "SIP??");
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *last = (uint8_t *)(u + 1) + 3;
	bool found = false;

	/* find the last two payload bytes that make the sum 0xffff: checksum 0 */
	u->dgram_cksum = 0;
	for (uint32_t w = 0; w <= 0xffff && !found; w++) {
		uint32_t s;

		last[0] = (uint8_t)(w >> 8);
		last[1] = (uint8_t)w;
		s = se_net_cksum_add(se_net_ipv4_phdr_sum(ip, 13), u, 13);
		found = se_net_cksum_finish(s) == 0;
	}
	cr_assert(found);
	cr_assert(eq(u16, se_net_ipv4_udp_cksum(ip, u, 13), 0xffff));
}

/* ---- IPv4 validation ---- */

enum mutation {
	M_NONE, M_SHORT, M_VERSION, M_IHL_LOW, M_IHL_BEYOND, M_TOTAL_LOW, M_TOTAL_BEYOND,
	M_CKSUM, M_TTL0, M_SRC_ZERO, M_SRC_BCAST, M_SRC_MCAST, M_SRC_LOOP, M_SRC_OURS,
	M_DST_OTHER, M_DST_BCAST, M_OPTIONS, M_PROTO_TCP, M_PADDING, M_MF, M_OFFSET,
};

struct ipv4_case {
	enum mutation mut;
	bool valid;
	enum se_stat_id drop;
	bool fragment;
};

static struct ipv4_case ipv4_cases[] = {
	{ M_NONE, true, 0, false },
	{ M_SHORT, false, SE_STAT_DROP_IP_SHORT, false },
	{ M_VERSION, false, SE_STAT_DROP_IP_VERSION, false },
	{ M_IHL_LOW, false, SE_STAT_DROP_IP_HDR_LEN, false },
	{ M_IHL_BEYOND, false, SE_STAT_DROP_IP_HDR_LEN, false },
	{ M_TOTAL_LOW, false, SE_STAT_DROP_IP_LEN, false },
	{ M_TOTAL_BEYOND, false, SE_STAT_DROP_IP_LEN, false },
	{ M_CKSUM, false, SE_STAT_DROP_IP_CHECKSUM, false },
	{ M_TTL0, false, SE_STAT_DROP_IP_TTL, false },
	{ M_SRC_ZERO, false, SE_STAT_DROP_IP_SRC, false },
	{ M_SRC_BCAST, false, SE_STAT_DROP_IP_SRC, false },
	{ M_SRC_MCAST, false, SE_STAT_DROP_IP_SRC, false },
	{ M_SRC_LOOP, false, SE_STAT_DROP_IP_SRC, false },
	{ M_SRC_OURS, false, SE_STAT_DROP_IP_SRC, false },
	{ M_DST_OTHER, false, SE_STAT_DROP_IP_NOT_US, false },
	{ M_DST_BCAST, false, SE_STAT_DROP_IP_NOT_US, false },
	{ M_OPTIONS, false, SE_STAT_DROP_IP_OPTIONS, false },
	{ M_PROTO_TCP, false, SE_STAT_DROP_IP_PROTO, false },
	{ M_PADDING, true, 0, false },
	{ M_MF, true, 0, true },
	{ M_OFFSET, true, 0, true },
};

static void
mutate(struct pkt *p, enum mutation m)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->b;

	switch (m) {
	case M_NONE: return;
	case M_SHORT: p->len = 19; return;
	case M_VERSION: ip->version_ihl = 0x65; break;
	case M_IHL_LOW: ip->version_ihl = 0x44; break;
	case M_IHL_BEYOND: ip->version_ihl = 0x4f; p->len = 40; return;
	case M_TOTAL_LOW: ip->total_length = rte_cpu_to_be_16(19); break;
	case M_TOTAL_BEYOND: ip->total_length = rte_cpu_to_be_16((uint16_t)(p->len + 1)); break;
	case M_CKSUM: ip->hdr_checksum ^= 0x0100; return;
	case M_TTL0: ip->time_to_live = 0; break;
	case M_SRC_ZERO: ip->src_addr = 0; break;
	case M_SRC_BCAST: ip->src_addr = 0xffffffff; break;
	case M_SRC_MCAST: ip->src_addr = rte_cpu_to_be_32(IP4(224, 0, 0, 5)); break;
	case M_SRC_LOOP: ip->src_addr = rte_cpu_to_be_32(IP4(127, 0, 0, 1)); break;
	case M_SRC_OURS: ip->src_addr = rte_cpu_to_be_32(OUR_IP); break;
	case M_DST_OTHER: ip->dst_addr = rte_cpu_to_be_32(IP4(203, 0, 113, 2)); break;
	case M_DST_BCAST: ip->dst_addr = 0xffffffff; break;
	case M_OPTIONS:
		/* a 4-byte NOP option: a header of 24 bytes, everything consistent */
		memmove(p->b + 24, p->b + 20, p->len - 20);
		memset(p->b + 20, 1, 4);
		p->len += 4;
		ip->version_ihl = 0x46;
		ip->total_length = rte_cpu_to_be_16((uint16_t)p->len);
		break;
	case M_PROTO_TCP: ip->next_proto_id = IPPROTO_TCP; break;
	case M_PADDING: memset(p->b + p->len, 0, 10); p->len += 10; return;
	case M_MF: ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG); break;
	case M_OFFSET: ip->fragment_offset = rte_cpu_to_be_16(185); break;
	}
	refresh_ip_cksum(p);
}

ParameterizedTestParameters(net_ipv4, each_defect_is_named_by_its_counter)
{
	return cr_make_param_array(struct ipv4_case, ipv4_cases,
				   sizeof(ipv4_cases) / sizeof(ipv4_cases[0]));
}

ParameterizedTest(struct ipv4_case *tc, net_ipv4, each_defect_is_named_by_its_counter)
{
	struct pkt p;
	struct guard g = { 0 };
	struct se_net_ipv4_info info;
	enum se_stat_id drop = SE_STAT_COUNT;
	const uint8_t *b;
	bool ok;

	build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "INVITE sip:a@b SIP/2.0\r\n\r\n");
	mutate(&p, tc->mut);
	b = guard_place(&g, p.b, p.len);
	ok = se_net_ipv4_check(b, p.len, rte_cpu_to_be_32(OUR_IP), 0, &info, &drop);
	cr_assert(eq(int, ok, tc->valid), "mutation %d", tc->mut);
	if (tc->valid) {
		cr_assert(eq(u16, info.hdr_len, 20));
		cr_assert(eq(u8, info.proto, IPPROTO_UDP));
		cr_assert(eq(int, info.fragment, tc->fragment));
	} else {
		cr_assert(eq(str, (char *)se_stats_name(drop), (char *)se_stats_name(tc->drop)),
			  "mutation %d", tc->mut);
	}
	guard_free(&g);
}

Test(net_ipv4, offloaded_checksum_verdict_skips_the_software_check)
{
	struct pkt p;
	struct se_net_ipv4_info info;
	enum se_stat_id drop;

	build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "x");
	mutate(&p, M_CKSUM);
	cr_assert(se_net_ipv4_check(p.b, p.len, rte_cpu_to_be_32(OUR_IP), SE_NET_IPV4_CKSUM_DONE,
				    &info, &drop));
}

Test(net_ipv4, every_truncation_is_refused_without_reading_past_the_end)
{
	struct pkt p;

	build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "OPTIONS sip:x SIP/2.0\r\n\r\n");
	for (uint32_t len = 0; len < p.len; len++) {
		struct guard g = { 0 };
		struct se_net_ipv4_info info;
		enum se_stat_id drop;
		const uint8_t *b = guard_place(&g, p.b, len);

		cr_assert(not(se_net_ipv4_check(b, len, rte_cpu_to_be_32(OUR_IP), 0, &info, &drop)),
			  "len %u", len);
		guard_free(&g);
	}
}

Test(net_ipv4, unicast_predicate_refuses_special_ranges)
{
	cr_assert(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(198, 51, 100, 11))));
	cr_assert(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(223, 255, 255, 254))));
	cr_assert(not(se_net_ipv4_is_unicast(0)));
	cr_assert(not(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(0, 1, 2, 3)))));
	cr_assert(not(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(127, 0, 0, 1)))));
	cr_assert(not(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(239, 1, 1, 1)))));
	cr_assert(not(se_net_ipv4_is_unicast(rte_cpu_to_be_32(IP4(240, 0, 0, 1)))));
	cr_assert(not(se_net_ipv4_is_unicast(0xffffffff)));
}

/* ---- UDP validation ---- */

static bool
udp_verdict(struct pkt *p, unsigned int flags, uint16_t *ulen, enum se_stat_id *drop)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->b;
	struct guard g = { 0 };
	const uint8_t *b = guard_place(&g, p->b + 20, p->len - 20);
	bool ok = se_net_udp_check(ip, b, p->len - 20, flags, ulen, drop);

	guard_free(&g);
	return ok;
}

Test(net_udp, valid_datagram_gives_its_length)
{
	struct pkt p;
	uint16_t ulen = 0;
	enum se_stat_id drop;

	build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "REGISTER sip:x SIP/2.0\r\n\r\n");
	cr_assert(udp_verdict(&p, 0, &ulen, &drop));
	cr_assert(eq(u16, ulen, p.len - 20));
}

Test(net_udp, zero_checksum_is_accepted_for_ipv4)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "BYE");
	uint16_t ulen;
	enum se_stat_id drop;

	((struct rte_udp_hdr *)(ip + 1))->dgram_cksum = 0;
	cr_assert(udp_verdict(&p, 0, &ulen, &drop));
}

Test(net_udp, wrong_checksum_is_drop_udp_checksum)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "ACK");
	uint16_t ulen;
	enum se_stat_id drop = SE_STAT_COUNT;

	((uint8_t *)(ip + 1))[9] ^= 0x20; /* one payload bit */
	cr_assert(not(udp_verdict(&p, 0, &ulen, &drop)));
	cr_assert(eq(int, drop, SE_STAT_DROP_UDP_CHECKSUM));
	cr_assert(udp_verdict(&p, SE_NET_UDP_CKSUM_DONE, &ulen, &drop));
}

Test(net_udp, lengths_outside_header_and_ip_payload_are_drop_udp_len)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "INFO");
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint16_t ulen;
	enum se_stat_id drop = SE_STAT_COUNT;

	u->dgram_len = rte_cpu_to_be_16((uint16_t)(p.len - 20 + 1));
	cr_assert(not(udp_verdict(&p, SE_NET_UDP_CKSUM_DONE, &ulen, &drop)));
	cr_assert(eq(int, drop, SE_STAT_DROP_UDP_LEN));
	u->dgram_len = rte_cpu_to_be_16(7);
	cr_assert(not(udp_verdict(&p, SE_NET_UDP_CKSUM_DONE, &ulen, &drop)));
	cr_assert(eq(int, drop, SE_STAT_DROP_UDP_LEN));
}

Test(net_udp, shorter_udp_length_than_ip_payload_is_valid_padding)
{
	struct pkt p;
	struct rte_ipv4_hdr *ip = build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "MESSAGE");
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint16_t ulen = 0;
	enum se_stat_id drop;

	/* claim 3 payload bytes; the checksum covers what the UDP length says */
	u->dgram_len = rte_cpu_to_be_16(11);
	u->dgram_cksum = 0;
	u->dgram_cksum = se_net_ipv4_udp_cksum(ip, u, 11);
	cr_assert(udp_verdict(&p, 0, &ulen, &drop));
	cr_assert(eq(u16, ulen, 11));
}

Test(net_udp, fewer_than_eight_bytes_are_drop_udp_short)
{
	struct pkt p;
	uint16_t ulen;
	enum se_stat_id drop = SE_STAT_COUNT;

	build_udp(&p, CLI_IP, OUR_IP, 5060, 5060, "");
	for (uint32_t n = 0; n < 8; n++) {
		struct guard g = { 0 };
		const uint8_t *b = guard_place(&g, p.b + 20, n);

		cr_assert(not(se_net_udp_check((struct rte_ipv4_hdr *)p.b, b, n, 0, &ulen, &drop)));
		cr_assert(eq(int, drop, SE_STAT_DROP_UDP_SHORT));
		guard_free(&g);
	}
}

/* ---- ICMP ---- */

static uint32_t
build_icmp(uint8_t *b, uint8_t type, uint8_t code, const uint8_t *body, uint32_t n)
{
	b[0] = type;
	b[1] = code;
	b[2] = b[3] = 0;
	memset(b + 4, 0, 4);
	memcpy(b + 8, body, n);
	uint16_t c = se_net_cksum_finish(se_net_cksum_add(0, b, 8 + n));

	memcpy(b + 2, &c, 2);
	return 8 + n;
}

Test(net_icmp, checksum_and_length_are_checked)
{
	uint8_t b[128];
	enum se_stat_id drop = SE_STAT_COUNT;
	uint32_t n = build_icmp(b, 8, 0, (const uint8_t *)"abcdefgh", 8);

	cr_assert(se_net_icmp_check(b, n, &drop));
	b[10] ^= 1;
	cr_assert(not(se_net_icmp_check(b, n, &drop)));
	cr_assert(eq(int, drop, SE_STAT_DROP_ICMP));
	cr_assert(not(se_net_icmp_check(b, 7, &drop)));
}

Test(net_icmp, port_unreachable_decodes_the_quoted_udp_destination)
{
	struct pkt q;
	uint8_t b[128];
	struct se_net_icmp_err e;
	uint32_t n;

	build_udp(&q, IP4(198, 51, 100, 1), IP4(198, 51, 100, 12), 5060, 5080, "OPT");
	n = build_icmp(b, 3, 3, q.b, 28);
	cr_assert(eq(int, se_net_icmp_err_decode(b, n, &e), 0));
	cr_assert(eq(u8, e.type, 3));
	cr_assert(eq(u8, e.code, 3));
	cr_assert(eq(u8, e.orig_proto, IPPROTO_UDP));
	cr_assert(e.has_ports);
	cr_assert(eq(u32, e.orig_dst, rte_cpu_to_be_32(IP4(198, 51, 100, 12))));
	cr_assert(eq(u32, e.orig_src, rte_cpu_to_be_32(IP4(198, 51, 100, 1))));
	cr_assert(eq(u16, e.orig_sport, 5060));
	cr_assert(eq(u16, e.orig_dport, 5080));
}

Test(net_icmp, truncated_quote_or_echo_is_refused)
{
	struct pkt q;
	uint8_t b[128];
	struct se_net_icmp_err e;

	build_udp(&q, CLI_IP, OUR_IP, 5060, 5060, "x");
	for (uint32_t k = 0; k < 20; k++) {
		struct guard g = { 0 };
		uint32_t n = build_icmp(b, 3, 3, q.b, k);
		const uint8_t *p = guard_place(&g, b, n);

		cr_assert(eq(int, se_net_icmp_err_decode(p, n, &e), -EBADMSG), "quote %u", k);
		guard_free(&g);
	}
	cr_assert(eq(int, se_net_icmp_err_decode(b, build_icmp(b, 8, 0, q.b, 28), &e), -EINVAL));
	cr_assert(se_net_icmp_is_error(11));
	cr_assert(not(se_net_icmp_is_error(0)));
}

Test(net_icmp, quote_of_a_later_fragment_has_no_ports)
{
	struct pkt q;
	uint8_t b[128];
	struct se_net_icmp_err e;

	build_udp(&q, CLI_IP, OUR_IP, 5060, 5060, "x");
	((struct rte_ipv4_hdr *)q.b)->fragment_offset = rte_cpu_to_be_16(100);
	cr_assert(eq(int, se_net_icmp_err_decode(b, build_icmp(b, 3, 3, q.b, 28), &e), 0));
	cr_assert(not(e.has_ports));
}

/* ---- ARP ---- */

static const struct rte_ether_addr mac_us = { { 0x02, 0x70, 0x63, 0x61, 0x70, 0x00 } };
static const struct rte_ether_addr mac_cli = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x10 } };

Test(net_arp, build_writes_the_exact_request_frame)
{
	static const uint8_t want[SE_NET_ARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x70, 0x63, 0x61, 0x70, 0x00, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0x70, 0x63, 0x61, 0x70, 0x00, 203, 0, 113, 1,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 203, 0, 113, 10,
	};
	struct rte_ether_addr bc, zero;
	uint8_t f[SE_NET_ARP_FRAME_LEN];

	memset(&bc, 0xff, sizeof(bc));
	memset(&zero, 0, sizeof(zero));
	se_net_arp_build(f, RTE_ARP_OP_REQUEST, &bc, &mac_us, rte_cpu_to_be_32(OUR_IP), &zero,
			 rte_cpu_to_be_32(CLI_IP));
	cr_assert(eq(u8[SE_NET_ARP_FRAME_LEN], f, (uint8_t *)want));
}

Test(net_arp, parse_reads_back_what_build_wrote_and_reply_can_reuse_the_frame)
{
	uint8_t f[SE_NET_ARP_FRAME_LEN];
	struct se_net_arp a;
	enum se_stat_id drop;
	struct rte_ether_addr zero = { { 0 } };

	se_net_arp_build(f, RTE_ARP_OP_REQUEST, &mac_us, &mac_cli, rte_cpu_to_be_32(CLI_IP), &zero,
			 rte_cpu_to_be_32(OUR_IP));
	cr_assert(se_net_arp_parse(f + 14, 28, &a, &drop));
	cr_assert(eq(u16, a.op, RTE_ARP_OP_REQUEST));
	cr_assert(eq(u32, a.spa, rte_cpu_to_be_32(CLI_IP)));
	cr_assert(eq(u32, a.tpa, rte_cpu_to_be_32(OUR_IP)));
	cr_assert(rte_is_same_ether_addr(&a.sha, &mac_cli));
	/* answer in the same buffer, arguments pointing at the parsed copy */
	se_net_arp_build(f, RTE_ARP_OP_REPLY, &a.sha, &mac_us, a.tpa, &a.sha, a.spa);
	cr_assert(se_net_arp_parse(f + 14, 28, &a, &drop));
	cr_assert(eq(u16, a.op, RTE_ARP_OP_REPLY));
	cr_assert(eq(u32, a.spa, rte_cpu_to_be_32(OUR_IP)));
	cr_assert(eq(u32, a.tpa, rte_cpu_to_be_32(CLI_IP)));
	cr_assert(rte_is_same_ether_addr(&a.tha, &mac_cli));
	cr_assert(rte_is_same_ether_addr((struct rte_ether_addr *)f, &mac_cli));
}

Test(net_arp, malformed_packets_are_drop_arp_bad)
{
	static const int fields[] = { 0, 2, 4, 5, 6 }; /* htype, ptype, hlen, plen, op */
	uint8_t f[SE_NET_ARP_FRAME_LEN];
	struct se_net_arp a;
	struct rte_ether_addr zero = { { 0 } };

	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		enum se_stat_id drop = SE_STAT_COUNT;

		se_net_arp_build(f, RTE_ARP_OP_REQUEST, &mac_us, &mac_cli,
				 rte_cpu_to_be_32(CLI_IP), &zero, rte_cpu_to_be_32(OUR_IP));
		f[14 + fields[k] + (fields[k] < 4 || fields[k] == 6 ? 1 : 0)] ^= 0x10;
		cr_assert(not(se_net_arp_parse(f + 14, 28, &a, &drop)), "field %d", fields[k]);
		cr_assert(eq(int, drop, SE_STAT_DROP_ARP_BAD));
	}
	for (uint32_t n = 0; n < 28; n++) {
		struct guard g = { 0 };
		enum se_stat_id drop = SE_STAT_COUNT;
		const uint8_t *p = guard_place(&g, f + 14, n);

		cr_assert(not(se_net_arp_parse(p, n, &a, &drop)));
		cr_assert(eq(int, drop, SE_STAT_DROP_ARP_BAD));
		guard_free(&g);
	}
}

/* ---- text forms ---- */

Test(net_parse, addresses_prefixes_and_ports)
{
	struct se_net_addr a;
	uint8_t plen;
	uint16_t port;

	cr_assert(eq(int, se_net_parse_addr("198.51.100.11", &a), 0));
	cr_assert(eq(u8, a.family, SE_NET_AF_INET));
	cr_assert(eq(u32, a.v4, rte_cpu_to_be_32(IP4(198, 51, 100, 11))));
	cr_assert(eq(int, se_net_parse_addr("198.51.100", &a), -EINVAL));
	cr_assert(eq(int, se_net_parse_addr("198.51.100.256", &a), -EINVAL));
	cr_assert(eq(int, se_net_parse_addr("2001:db8::1", &a), -EAFNOSUPPORT));
	cr_assert(eq(int, se_net_parse_prefix("203.0.113.1/24", &a, &plen), 0));
	cr_assert(eq(u8, plen, 24));
	cr_assert(eq(int, se_net_parse_prefix("203.0.113.1/33", &a, &plen), -EINVAL));
	cr_assert(eq(int, se_net_parse_prefix("203.0.113.1", &a, &plen), -EINVAL));
	cr_assert(eq(int, se_net_parse_prefix("203.0.113.1/", &a, &plen), -EINVAL));
	cr_assert(eq(int, se_net_parse_prefix("2001:db8::1/64", &a, &plen), -EAFNOSUPPORT));
	cr_assert(eq(int, se_net_parse_addr_port("198.51.100.11:5060", &a, &port), 0));
	cr_assert(eq(u16, port, 5060));
	cr_assert(eq(int, se_net_parse_addr_port("198.51.100.11:0", &a, &port), -EINVAL));
	cr_assert(eq(int, se_net_parse_addr_port("198.51.100.11:65536", &a, &port), -EINVAL));
	cr_assert(eq(int, se_net_parse_addr_port("198.51.100.11", &a, &port), -EINVAL));
	cr_assert(eq(int, se_net_parse_addr_port("[2001:db8::1]:5060", &a, &port), -EAFNOSUPPORT));
	cr_assert(eq(u32, se_net_ipv4_mask(24), rte_cpu_to_be_32(0xffffff00)));
	cr_assert(eq(u32, se_net_ipv4_mask(0), 0));
	cr_assert(eq(u32, se_net_ipv4_mask(32), 0xffffffff));
}

Test(net_parse, mac_addresses)
{
	struct rte_ether_addr m;

	cr_assert(eq(int, se_net_parse_mac("02:00:5e:10:00:0A", &m), 0));
	cr_assert(eq(u8, m.addr_bytes[0], 0x02));
	cr_assert(eq(u8, m.addr_bytes[5], 0x0a));
	cr_assert(eq(int, se_net_parse_mac("02-00-5e-10-00-0a", &m), 0));
	cr_assert(eq(int, se_net_parse_mac("02:00-5e:10:00:0a", &m), -EINVAL));
	cr_assert(eq(int, se_net_parse_mac("02:00:5e:10:00", &m), -EINVAL));
	cr_assert(eq(int, se_net_parse_mac("02:00:5e:10:00:0g", &m), -EINVAL));
	cr_assert(eq(int, se_net_parse_mac("02:00:5e:10:00:0a:", &m), -EINVAL));
}
