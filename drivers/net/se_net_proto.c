/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_udp.h>

#include "se_net_proto.h"

#define IPV4_MIN_HDR 20u
#define UDP_HDR 8u
#define ICMP_HDR 8u

static inline bool
fail(enum se_stat_id *drop, enum se_stat_id why)
{
	*drop = why;
	return false;
}

bool
se_net_ipv4_is_unicast(uint32_t ip)
{
	uint32_t h = rte_be_to_cpu_32(ip);
	uint8_t first = (uint8_t)(h >> 24);

	return first != 0 && first != 127 && first < 224;
}

bool
se_net_ipv4_check(const void *p, uint32_t len, uint32_t our_ip, unsigned int flags,
		  struct se_net_ipv4_info *info, enum se_stat_id *drop)
{
	const struct rte_ipv4_hdr *ip = p;
	uint32_t hl, tl;
	uint16_t frag;

	if (len < IPV4_MIN_HDR)
		return fail(drop, SE_STAT_DROP_IP_SHORT);
	if ((ip->version_ihl >> 4) != 4)
		return fail(drop, SE_STAT_DROP_IP_VERSION);
	hl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4;
	if (hl < IPV4_MIN_HDR || hl > len)
		return fail(drop, SE_STAT_DROP_IP_HDR_LEN);
	tl = rte_be_to_cpu_16(ip->total_length);
	if (tl < hl || tl > len)
		return fail(drop, SE_STAT_DROP_IP_LEN);
	if ((flags & SE_NET_IPV4_CKSUM_DONE) == 0 &&
	    se_net_cksum_finish(se_net_cksum_add(0, ip, hl)) != 0)
		return fail(drop, SE_STAT_DROP_IP_CHECKSUM);
	if (ip->time_to_live == 0)
		return fail(drop, SE_STAT_DROP_IP_TTL);
	if (!se_net_ipv4_is_unicast(ip->src_addr) || ip->src_addr == our_ip)
		return fail(drop, SE_STAT_DROP_IP_SRC);
	if (ip->dst_addr != our_ip)
		return fail(drop, SE_STAT_DROP_IP_NOT_US);
	if (hl != IPV4_MIN_HDR)
		return fail(drop, SE_STAT_DROP_IP_OPTIONS);
	if (ip->next_proto_id != IPPROTO_UDP && ip->next_proto_id != IPPROTO_ICMP)
		return fail(drop, SE_STAT_DROP_IP_PROTO);

	frag = rte_be_to_cpu_16(ip->fragment_offset);
	info->hdr_len = (uint16_t)hl;
	info->total_len = (uint16_t)tl;
	info->proto = ip->next_proto_id;
	info->fragment = (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0;
	return true;
}

bool
se_net_udp_check(const struct rte_ipv4_hdr *ip, const void *udp, uint32_t ip_payload_len,
		 unsigned int flags, uint16_t *udp_len, enum se_stat_id *drop)
{
	const struct rte_udp_hdr *u = udp;
	uint16_t ulen;

	if (ip_payload_len < UDP_HDR)
		return fail(drop, SE_STAT_DROP_UDP_SHORT);
	ulen = rte_be_to_cpu_16(u->dgram_len);
	if (ulen < UDP_HDR || ulen > ip_payload_len)
		return fail(drop, SE_STAT_DROP_UDP_LEN);
	if (u->dgram_cksum != 0 && (flags & SE_NET_UDP_CKSUM_DONE) == 0) {
		uint32_t s = se_net_ipv4_phdr_sum(ip, ulen);

		/* a correct datagram sums to 0xffff including its checksum field */
		s = se_net_cksum_add(s, u, ulen);
		if (se_net_cksum_finish(s) != 0)
			return fail(drop, SE_STAT_DROP_UDP_CHECKSUM);
	}
	*udp_len = ulen;
	return true;
}

bool
se_net_icmp_check(const void *icmp, uint32_t len, enum se_stat_id *drop)
{
	if (len < ICMP_HDR)
		return fail(drop, SE_STAT_DROP_ICMP);
	if (se_net_cksum_finish(se_net_cksum_add(0, icmp, len)) != 0)
		return fail(drop, SE_STAT_DROP_ICMP);
	return true;
}

bool
se_net_icmp_is_error(uint8_t type)
{
	switch (type) {
	case 3:  /* destination unreachable */
	case 4:  /* source quench (obsolete, still seen) */
	case 5:  /* redirect */
	case 11: /* time exceeded */
	case 12: /* parameter problem */
		return true;
	default:
		return false;
	}
}

int
se_net_icmp_err_decode(const void *icmp, uint32_t len, struct se_net_icmp_err *e)
{
	const struct rte_icmp_hdr *h = icmp;
	const struct rte_ipv4_hdr *q;
	uint32_t qhl;

	if (len < ICMP_HDR || !se_net_icmp_is_error(h->icmp_type))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->type = h->icmp_type;
	e->code = h->icmp_code;
	len -= ICMP_HDR;
	q = (const struct rte_ipv4_hdr *)((const uint8_t *)icmp + ICMP_HDR);
	if (len < IPV4_MIN_HDR || (q->version_ihl >> 4) != 4)
		return -EBADMSG;
	qhl = (uint32_t)(q->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4;
	if (qhl < IPV4_MIN_HDR || qhl > len)
		return -EBADMSG;
	e->orig_proto = q->next_proto_id;
	e->orig_src = q->src_addr;
	e->orig_dst = q->dst_addr;
	/* RFC 792 quotes 64 bits of the payload: enough for both UDP ports */
	if (q->next_proto_id == IPPROTO_UDP && len - qhl >= 4 &&
	    (rte_be_to_cpu_16(q->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK) == 0) {
		const struct rte_udp_hdr *u = (const void *)((const uint8_t *)q + qhl);

		e->has_ports = true;
		e->orig_sport = rte_be_to_cpu_16(u->src_port);
		e->orig_dport = rte_be_to_cpu_16(u->dst_port);
	}
	return 0;
}

bool
se_net_arp_parse(const void *p, uint32_t len, struct se_net_arp *a, enum se_stat_id *drop)
{
	const struct rte_arp_hdr *h = p;
	uint16_t op;

	if (len < sizeof(*h))
		return fail(drop, SE_STAT_DROP_ARP_BAD);
	op = rte_be_to_cpu_16(h->arp_opcode);
	if (h->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    h->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    h->arp_hlen != RTE_ETHER_ADDR_LEN || h->arp_plen != 4 ||
	    (op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY))
		return fail(drop, SE_STAT_DROP_ARP_BAD);
	a->op = op;
	memcpy(&a->sha, &h->arp_data.arp_sha, sizeof(a->sha));
	memcpy(&a->tha, &h->arp_data.arp_tha, sizeof(a->tha));
	memcpy(&a->spa, &h->arp_data.arp_sip, sizeof(a->spa));
	memcpy(&a->tpa, &h->arp_data.arp_tip, sizeof(a->tpa));
	return true;
}

void
se_net_arp_build(void *frame, uint16_t op, const struct rte_ether_addr *eth_dst,
		 const struct rte_ether_addr *sha, uint32_t spa,
		 const struct rte_ether_addr *tha, uint32_t tpa)
{
	uint8_t *f = frame;
	struct rte_ether_hdr eh;
	struct rte_arp_hdr ah;

	/* build on the stack first: the arguments may point into @frame */
	eh.dst_addr = *eth_dst;
	eh.src_addr = *sha;
	eh.ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	ah.arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ah.arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ah.arp_hlen = RTE_ETHER_ADDR_LEN;
	ah.arp_plen = 4;
	ah.arp_opcode = rte_cpu_to_be_16(op);
	ah.arp_data.arp_sha = *sha;
	ah.arp_data.arp_sip = spa;
	ah.arp_data.arp_tha = *tha;
	ah.arp_data.arp_tip = tpa;
	memcpy(f, &eh, sizeof(eh));
	memcpy(f + sizeof(eh), &ah, sizeof(ah));
}

int
se_net_parse_addr(const char *s, struct se_net_addr *a)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (s == NULL)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		memset(a, 0, sizeof(*a));
		a->family = SE_NET_AF_INET;
		a->v4 = a4.s_addr;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1)
		return -EAFNOSUPPORT;
	return -EINVAL;
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

int
se_net_parse_prefix(const char *s, struct se_net_addr *a, uint8_t *prefix_len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	unsigned long plen;
	size_t n;
	int rc;

	if (s == NULL || (slash = strchr(s, '/')) == NULL)
		return -EINVAL;
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = se_net_parse_addr(buf, a);
	if (rc != 0)
		return rc;
	if (parse_uint(slash + 1, 0, 32, &plen) != 0)
		return -EINVAL;
	*prefix_len = (uint8_t)plen;
	return 0;
}

int
se_net_parse_addr_port(const char *s, struct se_net_addr *a, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *colon;
	unsigned long p;
	size_t n;
	int rc;

	if (s == NULL)
		return -EINVAL;
	if (s[0] == '[')
		return strchr(s, ']') != NULL ? -EAFNOSUPPORT : -EINVAL;
	colon = strrchr(s, ':');
	if (colon == NULL)
		return -EINVAL;
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = se_net_parse_addr(buf, a);
	if (rc != 0)
		return rc;
	if (parse_uint(colon + 1, 1, 65535, &p) != 0)
		return -EINVAL;
	*port = (uint16_t)p;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
se_net_parse_mac(const char *s, struct rte_ether_addr *mac)
{
	char sep = 0;

	if (s == NULL || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		const char *h = s + 3 * i;
		int hi = hexval(h[0]), lo = hexval(h[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i < RTE_ETHER_ADDR_LEN - 1) {
			if (h[2] != ':' && h[2] != '-')
				return -EINVAL;
			if (sep == 0)
				sep = h[2];
			else if (h[2] != sep)
				return -EINVAL;
		}
		mac->addr_bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
