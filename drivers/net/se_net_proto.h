/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NET_PROTO_H_
#define _SE_NET_PROTO_H_

/**
 * @file
 * Protocol helpers over byte buffers: checksums, IPv4/UDP/ICMP validation,
 * ARP parsing and building, address parsing.
 *
 * Nothing here touches an mbuf, a port or EAL: each function takes a pointer
 * and a length, never reads outside [p, p + len), and returns a verdict. A
 * failed check names its reason as a counter of lib/stats (the same name an
 * operator sees), so the data plane counts a drop with one increment and the
 * unit tests assert the reason exactly.
 *
 * Addresses travel in network byte order (uint32_t as found in the header);
 * ports and lengths in host order unless a field says otherwise. IPv6 is not
 * implemented: struct se_net_addr and enum se_net_family leave room for it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>

#include "se_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Address families the data plane knows (values are the IP version). */
enum se_net_family {
	SE_NET_AF_NONE = 0,  /**< no address */
	SE_NET_AF_INET = 4,  /**< IPv4 */
	SE_NET_AF_INET6 = 6, /**< IPv6: reserved, not implemented yet */
};

/** An IP address of either family; only IPv4 is used today. */
struct se_net_addr {
	uint8_t family; /**< enum se_net_family */
	union {
		uint32_t v4;    /**< IPv4, network byte order */
		uint8_t v6[16]; /**< IPv6 (reserved) */
	};
};

/** Length of an Ethernet + ARP (IPv4 over Ethernet) frame, without padding. */
#define SE_NET_ARP_FRAME_LEN (RTE_ETHER_HDR_LEN + 28)

/** Bytes of UDP + IPv4 (no options) + Ethernet headers the TX path prepends. */
#define SE_NET_UDP_HDRS_LEN (RTE_ETHER_HDR_LEN + 20 + 8)

/** TTL of every IPv4 datagram the edge originates or forwards. */
#define SE_NET_TTL 64

/* ---- checksums (RFC 1071) ---- */

/**
 * Ones' complement sum of @p len bytes at @p buf, added to @p sum.
 *
 * The result is folded to 16 bits in the native byte order of the words in
 * memory (RFC 1071 section 2(B)), so storing ~result as a native uint16_t
 * yields the checksum field. Pieces of a longer buffer can be summed one after
 * another if every piece but the last has an even length.
 *
 * @return partial sum, <= 0xffff
 */
uint32_t se_net_cksum_add(uint32_t sum, const void *buf, size_t len);

/** Fold @p sum to 16 bits and complement it: the value to store in a checksum field. */
static inline uint16_t
se_net_cksum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/** Header checksum of the IPv4 header @p ip (its own checksum field is ignored). */
uint16_t se_net_ipv4_hdr_cksum(const struct rte_ipv4_hdr *ip);

/**
 * Pseudo-header partial sum of @p ip for an upper layer of @p l4_len bytes.
 * @return partial sum, <= 0xffff
 */
uint32_t se_net_ipv4_phdr_sum(const struct rte_ipv4_hdr *ip, uint16_t l4_len);

/**
 * UDP checksum to store for the @p udp_len bytes at @p udp (header and
 * payload; the header's checksum field is ignored) under IPv4 header @p ip.
 * @return the checksum, never 0 (0xffff instead, RFC 768)
 */
uint16_t se_net_ipv4_udp_cksum(const struct rte_ipv4_hdr *ip, const void *udp, uint16_t udp_len);

/* ---- IPv4 ---- */

/** What se_net_ipv4_check() learned about a valid header. */
struct se_net_ipv4_info {
	uint16_t hdr_len;   /**< header length in bytes (20: options are refused) */
	uint16_t total_len; /**< total length: header and payload */
	uint8_t proto;      /**< IPPROTO_UDP or IPPROTO_ICMP */
	bool fragment;      /**< MF set or fragment offset non-zero */
};

/** Checks se_net_ipv4_check() may skip. */
enum se_net_ipv4_flags {
	SE_NET_IPV4_CKSUM_DONE = 1u << 0, /**< header checksum already verified (RX offload) */
};

/**
 * Validate the IPv4 header at @p p, @p len bytes available, as a datagram
 * addressed to @p our_ip.
 *
 * Checks, in this order (the first failure is the reason): length of a
 * minimal header (drop_ip_short), version (drop_ip_version), IHL against 5
 * and @p len (drop_ip_hdr_len), total length against IHL and @p len
 * (drop_ip_len), header checksum unless @p flags has SE_NET_IPV4_CKSUM_DONE
 * (drop_ip_checksum), TTL 0 (drop_ip_ttl), source zero, broadcast,
 * multicast, loopback, class E or @p our_ip itself (drop_ip_src), destination
 * other than @p our_ip (drop_ip_not_us), options (drop_ip_options), protocol
 * other than UDP or ICMP (drop_ip_proto). Bytes beyond the total length
 * (Ethernet padding) are allowed.
 *
 * @return true if valid (then @p info is filled), false with @p *drop set
 */
bool se_net_ipv4_check(const void *p, uint32_t len, uint32_t our_ip, unsigned int flags,
		       struct se_net_ipv4_info *info, enum se_stat_id *drop);

/**
 * True if @p ip (network order) is a unicast address the edge may talk to:
 * not 0.0.0.0/8, 127.0.0.0/8, multicast 224.0.0.0/4, class E 240.0.0.0/4
 * or the limited broadcast.
 */
bool se_net_ipv4_is_unicast(uint32_t ip);

/* ---- UDP ---- */

/** Checks se_net_udp_check() may skip. */
enum se_net_udp_flags {
	SE_NET_UDP_CKSUM_DONE = 1u << 0, /**< checksum already verified (RX offload) */
};

/**
 * Validate the UDP header and checksum at @p udp, the payload of IPv4
 * header @p ip carrying @p ip_payload_len bytes (all readable at @p udp).
 *
 * Checks: header length (drop_udp_short), UDP length below 8 or beyond
 * @p ip_payload_len (drop_udp_len), checksum unless it is zero (allowed for
 * IPv4) or @p flags has SE_NET_UDP_CKSUM_DONE (drop_udp_checksum). A UDP
 * length below the IP payload length is valid: the rest is padding.
 *
 * @return true if valid, with @p *udp_len set to the UDP length; false with @p *drop set
 */
bool se_net_udp_check(const struct rte_ipv4_hdr *ip, const void *udp, uint32_t ip_payload_len,
		      unsigned int flags, uint16_t *udp_len, enum se_stat_id *drop);

/* ---- ICMP ---- */

/** Validate an ICMP message (@p len bytes: length, checksum); drop_icmp on failure. */
bool se_net_icmp_check(const void *icmp, uint32_t len, enum se_stat_id *drop);

/** True for the ICMP error types handed to the control core (3, 4, 5, 11, 12). */
bool se_net_icmp_is_error(uint8_t type);

/** An ICMP error, decoded with the datagram it quotes. */
struct se_net_icmp_err {
	uint8_t type;        /**< ICMP type (3 = destination unreachable ...) */
	uint8_t code;        /**< ICMP code (3 = port unreachable ...) */
	uint8_t orig_proto;  /**< protocol of the quoted datagram */
	bool has_ports;      /**< the quoted datagram is UDP and its ports are present */
	uint32_t orig_src;   /**< quoted source address (ours when we sent it), network order */
	uint32_t orig_dst;   /**< quoted destination address, network order */
	uint16_t orig_sport; /**< quoted UDP source port, host order */
	uint16_t orig_dport; /**< quoted UDP destination port, host order */
};

/**
 * Decode the ICMP error message at @p icmp (@p len bytes, checksum already
 * checked) and the IPv4 header (and UDP ports) it quotes.
 * @return 0, -EINVAL if not an error type, -EBADMSG if the quote is truncated or not IPv4
 */
int se_net_icmp_err_decode(const void *icmp, uint32_t len, struct se_net_icmp_err *e);

/* ---- ARP (RFC 826, IPv4 over Ethernet) ---- */

/** A parsed ARP packet. */
struct se_net_arp {
	uint16_t op;               /**< RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY */
	struct rte_ether_addr sha; /**< sender hardware address */
	struct rte_ether_addr tha; /**< target hardware address */
	uint32_t spa;              /**< sender protocol address, network order */
	uint32_t tpa;              /**< target protocol address, network order */
};

/**
 * Parse the ARP packet at @p p (after the Ethernet header, @p len bytes).
 * Accepts Ethernet/IPv4 requests and replies only (drop_arp_bad otherwise).
 * @return true with @p a filled, false with @p *drop set
 */
bool se_net_arp_parse(const void *p, uint32_t len, struct se_net_arp *a, enum se_stat_id *drop);

/**
 * Write an Ethernet + ARP frame of SE_NET_ARP_FRAME_LEN bytes at @p frame:
 * Ethernet from @p sha to @p eth_dst, ARP @p op with sender (@p sha, @p spa)
 * and target (@p tha, @p tpa). @p frame may alias the packet being answered
 * if the arguments were copied out first.
 */
void se_net_arp_build(void *frame, uint16_t op, const struct rte_ether_addr *eth_dst,
		      const struct rte_ether_addr *sha, uint32_t spa,
		      const struct rte_ether_addr *tha, uint32_t tpa);

/* ---- text forms (configuration) ---- */

/**
 * Parse an IP address ("192.0.2.1"). IPv6 literals are recognised and refused.
 * @return 0, -EINVAL if not an address, -EAFNOSUPPORT for IPv6
 */
int se_net_parse_addr(const char *s, struct se_net_addr *a);

/**
 * Parse "ADDR/PREFIX" (prefix 0..32 for IPv4).
 * @return 0, -EINVAL, -EAFNOSUPPORT for IPv6
 */
int se_net_parse_prefix(const char *s, struct se_net_addr *a, uint8_t *prefix_len);

/**
 * Parse "ADDR:PORT" (port 1..65535; "[ADDR6]:PORT" is recognised and refused).
 * @return 0, -EINVAL, -EAFNOSUPPORT for IPv6
 */
int se_net_parse_addr_port(const char *s, struct se_net_addr *a, uint16_t *port);

/**
 * Parse a MAC address "02:00:00:00:00:01" (six hex pairs separated by ':' or '-').
 * @return 0, -EINVAL
 */
int se_net_parse_mac(const char *s, struct rte_ether_addr *mac);

/** Netmask of an IPv4 prefix length (0..32), network order. */
static inline uint32_t
se_net_ipv4_mask(uint8_t prefix_len)
{
	return prefix_len == 0 ? 0 : rte_cpu_to_be_32(~0u << (32 - prefix_len));
}

#ifdef __cplusplus
}
#endif

#endif /* _SE_NET_PROTO_H_ */
