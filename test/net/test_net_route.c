/* SPDX-License-Identifier: BSD-3-Clause */
/* The next-hop decision over the edge's ports. */
#include <errno.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "se_net_proto.h"
#include "se_net_route.h"

/* RTE_IPV4 shifts a signed int: UB from 128.0.0.0 up, so the tests use their own */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define BE(a, b, c, d) RTE_BE32(IP4(a, b, c, d))

/* external 203.0.113.1/24 via 203.0.113.254; internal 198.51.100.1/24, no gateway */
static const struct se_net_iface two[2] = {
	{ BE(203, 0, 113, 1), 0, BE(203, 0, 113, 254) },
	{ BE(198, 51, 100, 1), 0, 0 },
};

static struct se_net_iface ifs[4];

static void
setup(void)
{
	ifs[0] = two[0];
	ifs[1] = two[1];
	ifs[0].mask = se_net_ipv4_mask(24);
	ifs[1].mask = se_net_ipv4_mask(24);
}

TestSuite(net_route, .init = setup);

Test(net_route, on_link_destination_is_its_own_next_hop)
{
	struct se_net_nexthop nh;

	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 100, 11), &nh),
		     0));
	cr_assert(eq(u16, nh.port, 1));
	cr_assert(eq(u32, nh.ip, BE(198, 51, 100, 11)));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(203, 0, 113, 10), &nh), 0));
	cr_assert(eq(u16, nh.port, 0));
	cr_assert(eq(u32, nh.ip, BE(203, 0, 113, 10)));
}

Test(net_route, off_link_destination_goes_to_the_first_gateway)
{
	struct se_net_nexthop nh;

	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(192, 0, 2, 7), &nh), 0));
	cr_assert(eq(u16, nh.port, 0));
	cr_assert(eq(u32, nh.ip, BE(203, 0, 113, 254)));
}

Test(net_route, without_any_gateway_off_link_is_unreachable)
{
	struct se_net_nexthop nh;

	ifs[0].gw = 0;
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(192, 0, 2, 7), &nh),
		     -ENETUNREACH));
}

Test(net_route, longest_prefix_wins_over_a_wider_one)
{
	struct se_net_nexthop nh;

	/* a /16 on port 0 that also covers port 1's /24 */
	ifs[0].ip = BE(198, 51, 0, 1);
	ifs[0].mask = se_net_ipv4_mask(16);
	ifs[0].gw = 0;
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 100, 9), &nh), 0));
	cr_assert(eq(u16, nh.port, 1));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 7, 9), &nh), 0));
	cr_assert(eq(u16, nh.port, 0));
}

Test(net_route, a_given_port_is_used_on_link_or_through_its_gateway)
{
	struct se_net_nexthop nh;

	cr_assert(eq(int, se_net_route_lookup(ifs, 2, 0, BE(198, 51, 100, 11), &nh), 0));
	cr_assert(eq(u16, nh.port, 0));
	cr_assert(eq(u32, nh.ip, BE(203, 0, 113, 254)));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, 1, BE(192, 0, 2, 7), &nh), -ENETUNREACH));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, 2, BE(192, 0, 2, 7), &nh), -EINVAL));
}

Test(net_route, broadcast_multicast_ours_and_directed_broadcast_are_invalid)
{
	struct se_net_nexthop nh;

	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, 0xffffffff, &nh), -EINVAL));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(224, 0, 0, 1), &nh),
		     -EINVAL));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, 0, &nh), -EINVAL));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 100, 1), &nh),
		     -EINVAL));
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 100, 255), &nh),
		     -EINVAL));
}

Test(net_route, point_to_point_prefix_has_no_broadcast)
{
	struct se_net_nexthop nh;

	ifs[1].ip = BE(198, 51, 100, 254);
	ifs[1].mask = se_net_ipv4_mask(31);
	cr_assert(eq(int, se_net_route_lookup(ifs, 2, SE_PORT_ROUTE, BE(198, 51, 100, 255), &nh),
		     0));
	cr_assert(eq(u16, nh.port, 1));
}
