#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The end-to-end topology: three network namespaces joined by two veth pairs.
#
#   se-cli  cli0 203.0.113.10/24 ──── edge-ext ┐
#                                               se-edge (sipedge, net_af_packet, no kernel address)
#   se-be   be0  198.51.100.11,.12,.13/24 ─── edge-int ┘
#
# sipedge runs inside se-edge on the veth ends edge-ext (port 0, external,
# 203.0.113.1/24) and edge-int (port 1, internal, 198.51.100.1/24); those
# ends carry no kernel address, so the kernel neither answers ARP nor routes
# there. TX checksum offload is off on the kernel ends (cli0, be0): veth would
# otherwise hand out packets with unfinished checksums. IPv6 is off in all
# three namespaces (no router solicitations or MLD noise on the wire).
#
# The client link also carries SE_CLI_EXTRA_IPS (203.0.113.11 by default):
# a second client address, e.g. a flooding source next to a legitimate one.
#
# usage: scripts/netns.sh up|down|status|env
#   up      create what is missing (idempotent)
#   down    stop every process left in these namespaces, delete them (idempotent)
#   status  show the namespaces, links and addresses
#   env     print the names and addresses as shell assignments, e.g.
#           eval "$(scripts/netns.sh env)"; ip netns exec "$SE_NS_EDGE" ...
# Every name can be overridden through the environment (SE_NS_EDGE=...);
# SE_NS_PREFIX (default "se-") renames all three namespaces at once, so two
# test runs on one machine do not share a topology.
set -euo pipefail

: "${SE_NS_PREFIX:=se-}"
: "${SE_NS_EDGE:=${SE_NS_PREFIX}edge}"
: "${SE_NS_CLI:=${SE_NS_PREFIX}cli}"
: "${SE_NS_BE:=${SE_NS_PREFIX}be}"
: "${SE_IF_EXT:=edge-ext}"
: "${SE_IF_INT:=edge-int}"
: "${SE_IF_CLI:=cli0}"
: "${SE_IF_BE:=be0}"
: "${SE_EDGE_EXT_IP:=203.0.113.1}"
: "${SE_EDGE_INT_IP:=198.51.100.1}"
: "${SE_CLI_IP:=203.0.113.10}"
: "${SE_CLI_EXTRA_IPS:=203.0.113.11}"
: "${SE_BE_IPS:=198.51.100.11 198.51.100.12 198.51.100.13}"
: "${SE_PREFIX:=24}"

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

link_in() { ip -n "$1" link show "$2" >/dev/null 2>&1; }

ns_up() {
	local ns=$1
	ns_exists "$ns" || ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 >/dev/null
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null
}

# veth_up EDGE_IF PEER_NS PEER_IF: a veth pair between se-edge and PEER_NS
veth_up() {
	local eif=$1 pns=$2 pif=$3
	if ! link_in "$SE_NS_EDGE" "$eif" || ! link_in "$pns" "$pif"; then
		ip -n "$SE_NS_EDGE" link del "$eif" 2>/dev/null || true
		ip -n "$pns" link del "$pif" 2>/dev/null || true
		ip link add "$eif" netns "$SE_NS_EDGE" type veth peer name "$pif" netns "$pns"
	fi
	ip netns exec "$SE_NS_EDGE" sysctl -q -w "net.ipv6.conf.$eif.disable_ipv6=1" >/dev/null
	ip netns exec "$pns" sysctl -q -w "net.ipv6.conf.$pif.disable_ipv6=1" >/dev/null
	ip -n "$SE_NS_EDGE" addr flush dev "$eif"
	ip -n "$SE_NS_EDGE" link set "$eif" up
	ip -n "$pns" link set "$pif" up
	ip netns exec "$pns" ethtool -K "$pif" tx off >/dev/null 2>&1 || true
	ip netns exec "$SE_NS_EDGE" ethtool -K "$eif" tx off gro off gso off tso off \
		>/dev/null 2>&1 || true
}

up() {
	ns_up "$SE_NS_EDGE"
	ns_up "$SE_NS_CLI"
	ns_up "$SE_NS_BE"
	veth_up "$SE_IF_EXT" "$SE_NS_CLI" "$SE_IF_CLI"
	veth_up "$SE_IF_INT" "$SE_NS_BE" "$SE_IF_BE"
	ip -n "$SE_NS_CLI" addr replace "$SE_CLI_IP/$SE_PREFIX" dev "$SE_IF_CLI"
	local a
	for a in $SE_CLI_EXTRA_IPS; do
		ip -n "$SE_NS_CLI" addr replace "$a/$SE_PREFIX" dev "$SE_IF_CLI"
	done
	for a in $SE_BE_IPS; do
		ip -n "$SE_NS_BE" addr replace "$a/$SE_PREFIX" dev "$SE_IF_BE"
	done
}

down() {
	local ns pids
	for ns in "$SE_NS_CLI" "$SE_NS_BE" "$SE_NS_EDGE"; do
		ns_exists "$ns" || continue
		# only what runs inside our own namespaces: tests that died mid-way
		pids=$(ip netns pids "$ns" 2>/dev/null || true)
		if [ -n "$pids" ]; then
			kill $pids 2>/dev/null || true
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				[ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
				sleep 0.2
			done
			pids=$(ip netns pids "$ns" 2>/dev/null || true)
			[ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
		fi
		ip netns del "$ns"
	done
}

status() {
	local ns
	for ns in "$SE_NS_EDGE" "$SE_NS_CLI" "$SE_NS_BE"; do
		if ns_exists "$ns"; then
			echo "== $ns"
			ip -n "$ns" -brief addr show
		else
			echo "== $ns: absent"
		fi
	done
}

env_vars() {
	local v
	for v in SE_NS_EDGE SE_NS_CLI SE_NS_BE SE_IF_EXT SE_IF_INT SE_IF_CLI SE_IF_BE \
		SE_EDGE_EXT_IP SE_EDGE_INT_IP SE_CLI_IP SE_BE_IPS SE_PREFIX; do
		printf '%s=%q\n' "$v" "${!v}"
	done
	printf '%s=%q\n' SE_CLI_EXTRA_IPS "$SE_CLI_EXTRA_IPS"
}

[ "$(id -u)" -eq 0 ] || { [ "${1:-}" = env ] || { echo "netns.sh: needs root" >&2; exit 1; }; }
case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
env) env_vars ;;
*) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
