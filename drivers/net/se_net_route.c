/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>

#include "se_net_proto.h"
#include "se_net_route.h"

static bool
is_directed_broadcast(const struct se_net_iface *ifc, uint32_t dst)
{
	/* a /31 or /32 has no broadcast address (RFC 3021) */
	if (ifc->mask == 0xffffffffu || ifc->mask == rte_cpu_to_be_32(0xfffffffeu))
		return false;
	return (dst | ifc->mask) == 0xffffffffu;
}

static int
via(const struct se_net_iface *ifs, uint16_t p, uint32_t dst, struct se_net_nexthop *nh)
{
	const struct se_net_iface *ifc = &ifs[p];

	if (se_net_iface_on_link(ifc, dst)) {
		if (is_directed_broadcast(ifc, dst))
			return -EINVAL;
		nh->port = p;
		nh->ip = dst;
		return 0;
	}
	if (ifc->gw == 0)
		return -ENETUNREACH;
	nh->port = p;
	nh->ip = ifc->gw;
	return 0;
}

int
se_net_route_lookup(const struct se_net_iface *ifs, uint16_t n, uint16_t port, uint32_t dst,
		    struct se_net_nexthop *nh)
{
	int best = -1;
	uint32_t best_mask = 0;

	if (!se_net_ipv4_is_unicast(dst))
		return -EINVAL;
	for (uint16_t i = 0; i < n; i++)
		if (ifs[i].ip == dst)
			return -EINVAL;
	if (port != SE_PORT_ROUTE)
		return port < n ? via(ifs, port, dst, nh) : -EINVAL;

	for (uint16_t i = 0; i < n; i++) {
		uint32_t m = rte_be_to_cpu_32(ifs[i].mask);

		if (se_net_iface_on_link(&ifs[i], dst) && (best < 0 || m > best_mask)) {
			best = i;
			best_mask = m;
		}
	}
	if (best >= 0)
		return via(ifs, (uint16_t)best, dst, nh);
	for (uint16_t i = 0; i < n; i++)
		if (ifs[i].gw != 0)
			return via(ifs, i, dst, nh);
	return -ENETUNREACH;
}
