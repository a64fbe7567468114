/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NET_ROUTE_H_
#define _SE_NET_ROUTE_H_

/**
 * @file
 * The next-hop decision: which port a datagram leaves by, and which IPv4
 * neighbour (the destination itself when on-link, else the port's gateway)
 * gets the frame.
 *
 * The edge has at most a handful of ports, each with one address, one prefix
 * and an optional gateway: a routing table would be overkill. The rule is
 * the longest on-link prefix first, then the first port (in configuration
 * order: external before internal) that has a gateway. Pure function over a
 * small array, unit-tested without EAL.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of ports the edge drives (external, internal, and room). */
#define SE_NET_MAX_PORTS 4

/** Egress port "any": choose by destination (se_net_route_lookup()). */
#define SE_PORT_ROUTE UINT16_MAX

/** One port's IPv4 configuration as routing sees it (network byte order). */
struct se_net_iface {
	uint32_t ip;   /**< our address on this port */
	uint32_t mask; /**< netmask of its prefix */
	uint32_t gw;   /**< gateway, 0 for none */
};

/** Where a datagram goes next. */
struct se_net_nexthop {
	uint16_t port; /**< index into the interface array */
	uint32_t ip;   /**< neighbour to resolve: destination or gateway, network order */
};

/**
 * Choose the next hop towards @p dst among @p n interfaces.
 *
 * With @p port = SE_PORT_ROUTE the port is chosen: the longest prefix that
 * contains @p dst, else the first port with a gateway. With a given @p port
 * only that port is considered (on-link, else its gateway).
 *
 * @return 0 with @p nh filled; -EINVAL if @p dst is not unicast, is one of
 *   our addresses or a directed broadcast of the chosen prefix, or @p port
 *   is out of range; -ENETUNREACH if no port reaches it
 */
int se_net_route_lookup(const struct se_net_iface *ifs, uint16_t n, uint16_t port, uint32_t dst,
			struct se_net_nexthop *nh);

/** True if @p ip (network order) is inside the prefix of @p ifc. */
static inline int
se_net_iface_on_link(const struct se_net_iface *ifc, uint32_t ip)
{
	return (ip & ifc->mask) == (ifc->ip & ifc->mask);
}

#ifdef __cplusplus
}
#endif

#endif /* _SE_NET_ROUTE_H_ */
