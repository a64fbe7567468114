/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "se_net_proto.h"

static inline uint32_t
fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/*
 * Sum 32-bit words into 64-bit lanes: 2^16 == 1 (mod 0xffff), so folding
 * the wide sum at the end gives the 16-bit ones' complement sum, and no
 * carry is lost as long as fewer than 2^32 words are added (len < 16 GiB).
 * SIP datagrams are hundreds of bytes: the SSE2 loop takes 32 bytes per
 * iteration, which is what keeps the checksum off the forwarding profile.
 */
uint32_t
se_net_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

#ifdef __SSE2__
	if (len >= 32) {
		const __m128i zero = _mm_setzero_si128();
		__m128i a0 = zero, a1 = zero;

		while (len >= 32) {
			__m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)p);
			__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));

			a0 = _mm_add_epi64(a0, _mm_unpacklo_epi32(v0, zero));
			a1 = _mm_add_epi64(a1, _mm_unpackhi_epi32(v0, zero));
			a0 = _mm_add_epi64(a0, _mm_unpacklo_epi32(v1, zero));
			a1 = _mm_add_epi64(a1, _mm_unpackhi_epi32(v1, zero));
			p += 32;
			len -= 32;
		}
		a0 = _mm_add_epi64(a0, a1);
		uint64_t lanes[2];

		_mm_storeu_si128((__m128i *)(void *)lanes, a0);
		/* each lane < 2^48 here: the sum of both cannot wrap */
		s += fold(lanes[0]) + (uint64_t)fold(lanes[1]);
	}
#endif
	while (len >= 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;

		memcpy(&w, p, 2);
		s += w;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		/* the odd byte is the first byte of a zero-padded 16-bit word */
		uint16_t w = 0;

		memcpy(&w, p, 1);
		s += w;
	}
	return fold(s);
}

uint16_t
se_net_ipv4_hdr_cksum(const struct rte_ipv4_hdr *ip)
{
	size_t hl = (size_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4;
	uint32_t s;

	/* the checksum field is bytes 10-11: sum around it */
	s = se_net_cksum_add(0, ip, 10);
	s = se_net_cksum_add(s, (const uint8_t *)ip + 12, hl - 12);
	return se_net_cksum_finish(s);
}

uint32_t
se_net_ipv4_phdr_sum(const struct rte_ipv4_hdr *ip, uint16_t l4_len)
{
	uint64_t s = 0;
	uint16_t w;

	s += (ip->src_addr & 0xffff) + (ip->src_addr >> 16);
	s += (ip->dst_addr & 0xffff) + (ip->dst_addr >> 16);
	w = rte_cpu_to_be_16((uint16_t)ip->next_proto_id);
	s += w;
	w = rte_cpu_to_be_16(l4_len);
	s += w;
	return fold(s);
}

uint16_t
se_net_ipv4_udp_cksum(const struct rte_ipv4_hdr *ip, const void *udp, uint16_t udp_len)
{
	const uint8_t *u = udp;
	uint32_t s = se_net_ipv4_phdr_sum(ip, udp_len);
	uint16_t c;

	/* the checksum field is bytes 6-7 of the UDP header */
	s = se_net_cksum_add(s, u, 6);
	if (udp_len > 8)
		s = se_net_cksum_add(s, u + 8, udp_len - 8u);
	c = se_net_cksum_finish(s);
	return c == 0 ? 0xffff : c;
}
