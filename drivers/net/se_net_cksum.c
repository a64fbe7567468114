/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <immintrin.h>
#endif

#include <rte_byteorder.h>

#include "se_net_proto.h"

/* Fold a 64-bit sum to 16 bits without changing it modulo 0xffff. */
static inline uint32_t
fold(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);   /* < 2^33 */
	s = (s & 0xffffu) + (s >> 16);       /* < 2^18 */
	s = (s & 0xffffu) + (s >> 16);       /* <= 0xffff + 3 */
	s = (s & 0xffffu) + (s >> 16);       /* <= 0xffff */
	return (uint32_t)s;
}

/*
 * 2^16 == 1 (mod 0xffff): a sum of wider words, folded at the end, is the
 * 16-bit ones' complement sum. The vector loops split every 32-bit lane
 * into its two 16-bit halves (an and, a shift: no shuffle) and add them
 * into two 32-bit accumulators; a lane takes one 16-bit value per
 * iteration, so after BLOCK iterations the two together stay below 2^32.
 *
 * The last partial vector is one overlapping load of the buffer's final
 * bytes with the already-summed ones masked off: no byte outside the
 * buffer is read, and no branch depends on the length (SIP datagram
 * lengths are random, and mispredicted tail branches cost as much as the
 * loop). When the new bytes sit at odd positions of that load, the folded
 * sum is byte-swapped back.
 *
 * The checksum is the largest cost of forwarding a datagram in software
 * (read twice: RX validation, TX), hence the care: SSE2 always, AVX2 when
 * the CPU has it (chosen once at startup, whatever -march the build used).
 */
#if defined(__SSE2__) && RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
#define BLOCK 32768 /* 2 * 32768 * 0xffff < 2^32 */

/* 32 bytes at tail_mask + t, or 16 at tail_mask + 16 + t: the last t bytes are 0xff */
static const uint8_t tail_mask[64] __attribute__((aligned(64))) = {
	[32] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff,
};

static inline uint32_t
swap_if(uint32_t folded, size_t odd)
{
	uint32_t swapped = ((folded & 0xff) << 8) | (folded >> 8);

	return odd ? swapped : folded;
}

static inline uint64_t
lanes_sum128(__m128i a)
{
	const __m128i lo32 = _mm_set1_epi64x(0xffffffff);
	__m128i w = _mm_add_epi64(_mm_and_si128(a, lo32), _mm_srli_epi64(a, 32));
	uint64_t l[2];

	_mm_storeu_si128((__m128i *)(void *)l, w);
	return l[0] + l[1];
}

/* Sum of len >= 16 bytes. */
static uint64_t
vec_sum_sse2(const uint8_t *p, size_t len)
{
	const __m128i lo16 = _mm_set1_epi32(0xffff);
	const uint8_t *end = p + len;
	uint64_t s = 0;
	size_t t;
	__m128i v;

	while (len >= 16) {
		__m128i a0 = _mm_setzero_si128(), a1 = a0;
		size_t n = len / 16 < BLOCK ? len / 16 : BLOCK;

		for (size_t i = 0; i < n; i++) {
			v = _mm_loadu_si128((const __m128i *)(const void *)p);
			a0 = _mm_add_epi32(a0, _mm_and_si128(v, lo16));
			a1 = _mm_add_epi32(a1, _mm_srli_epi32(v, 16));
			p += 16;
		}
		len -= n * 16;
		s += lanes_sum128(_mm_add_epi32(a0, a1));
	}
	t = len;
	v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
	v = _mm_and_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(tail_mask + 16 + t)));
	v = _mm_add_epi32(_mm_and_si128(v, lo16), _mm_srli_epi32(v, 16));
	return fold(s) + swap_if(fold(lanes_sum128(v)), t & 1);
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_AVX2_TARGET 1
__attribute__((target("avx2"))) static inline uint64_t
lanes_sum256(__m256i a)
{
	const __m256i lo32 = _mm256_set1_epi64x(0xffffffff);
	__m256i w = _mm256_add_epi64(_mm256_and_si256(a, lo32), _mm256_srli_epi64(a, 32));
	__m128i h = _mm_add_epi64(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
	uint64_t l[2];

	_mm_storeu_si128((__m128i *)(void *)l, h);
	return l[0] + l[1];
}

/* Sum of len >= 32 bytes. */
__attribute__((target("avx2"))) static uint64_t
vec_sum_avx2(const uint8_t *p, size_t len)
{
	const __m256i lo16 = _mm256_set1_epi32(0xffff);
	const uint8_t *end = p + len;
	uint64_t s = 0;
	size_t t;
	__m256i v;

	while (len >= 32) {
		__m256i a0 = _mm256_setzero_si256(), a1 = a0;
		size_t n = len / 32 < BLOCK ? len / 32 : BLOCK;

		for (size_t i = 0; i < n; i++) {
			v = _mm256_loadu_si256((const __m256i *)(const void *)p);
			a0 = _mm256_add_epi32(a0, _mm256_and_si256(v, lo16));
			a1 = _mm256_add_epi32(a1, _mm256_srli_epi32(v, 16));
			p += 32;
		}
		len -= n * 32;
		s += lanes_sum256(_mm256_add_epi32(a0, a1));
	}
	t = len;
	v = _mm256_loadu_si256((const __m256i *)(const void *)(end - 32));
	v = _mm256_and_si256(v, _mm256_loadu_si256((const __m256i *)(const void *)
						    (tail_mask + t)));
	v = _mm256_add_epi32(_mm256_and_si256(v, lo16), _mm256_srli_epi32(v, 16));
	return fold(s) + swap_if(fold(lanes_sum256(v)), t & 1);
}
#endif

typedef uint64_t (*vec_sum_fn)(const uint8_t *p, size_t len);
static vec_sum_fn vec_sum = vec_sum_sse2;
static size_t vec_min = 16;

/* SE_NET_CKSUM=sse2 in the environment keeps the SSE2 loop (tests cover both). */
__attribute__((constructor)) static void
pick_vec_sum(void)
{
#ifdef HAVE_AVX2_TARGET
	const char *force = getenv("SE_NET_CKSUM");

	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && (force == NULL || strcmp(force, "sse2") != 0)) {
		vec_sum = vec_sum_avx2;
		vec_min = 32;
	}
#endif
}
#define HAVE_VEC 1
#endif

uint32_t
se_net_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

#ifdef HAVE_VEC
	if (len >= vec_min)
		return fold(s + vec_sum(p, len));
#endif
	while (len >= 8) {
		uint32_t w[2];

		memcpy(w, p, 8);
		s += (uint64_t)w[0] + w[1];
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
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
