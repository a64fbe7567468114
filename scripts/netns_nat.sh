#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The NAT topology: scripts/netns.sh's three namespaces, plus a home network
# behind a NAT router doing source NAT with nftables.
#
#   se-home  home0 192.168.1.20/24 (a phone behind NAT), default via 192.168.1.1
#      |
#   se-cli   lan0 192.168.1.1/24 | cli0 203.0.113.10/24: the home router, masquerading
#            192.168.1.0/24 to 203.0.113.10 (UDP to ports 40000-40999); cli0 also
#            holds 203.0.113.20, a caller on the public side
#      |
#   se-edge  sipedge (edge-ext 203.0.113.1 | edge-int 198.51.100.1)
#      |
#   se-be    be0 198.51.100.21, .22 (registrars) and netns.sh's backend addresses
#
# Only the router's public address reaches the edge: the phone's private
# address is not routable from there (no gw= on the edge's ports), so a
# request sent to it is dropped (drop_no_route) instead of leaking anywhere.
#
# usage: scripts/netns_nat.sh up|down|status|env (as scripts/netns.sh; SE_NS_PREFIX
# renames every namespace, so a run does not share a topology with another).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${SE_NS_PREFIX:=se-}"
: "${SE_NS_HOME:=${SE_NS_PREFIX}home}"
: "${SE_IF_HOME:=home0}"
: "${SE_IF_LAN:=lan0}"
: "${SE_HOME_IP:=192.168.1.20}"
: "${SE_LAN_GW:=192.168.1.1}"
: "${SE_LAN_PREFIX:=24}"
: "${SE_LAN_NET:=192.168.1.0/24}"
: "${SE_CALLER_IP:=203.0.113.20}"
: "${SE_NAT_PORTS:=40000-40999}"
: "${SE_REGISTRAR_IPS:=198.51.100.21 198.51.100.22}"
export SE_NS_PREFIX
eval "$("$here/netns.sh" env)"

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

up() {
	"$here/netns.sh" up
	ns_exists "$SE_NS_HOME" || ip netns add "$SE_NS_HOME"
	ip -n "$SE_NS_HOME" link set lo up
	ip netns exec "$SE_NS_HOME" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 >/dev/null
	ip netns exec "$SE_NS_HOME" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	if ! ip -n "$SE_NS_HOME" link show "$SE_IF_HOME" >/dev/null 2>&1 ||
		! ip -n "$SE_NS_CLI" link show "$SE_IF_LAN" >/dev/null 2>&1; then
		ip -n "$SE_NS_HOME" link del "$SE_IF_HOME" 2>/dev/null || true
		ip -n "$SE_NS_CLI" link del "$SE_IF_LAN" 2>/dev/null || true
		ip link add "$SE_IF_LAN" netns "$SE_NS_CLI" type veth peer name "$SE_IF_HOME" \
			netns "$SE_NS_HOME"
	fi
	ip netns exec "$SE_NS_HOME" sysctl -q -w "net.ipv6.conf.$SE_IF_HOME.disable_ipv6=1" >/dev/null
	ip netns exec "$SE_NS_CLI" sysctl -q -w "net.ipv6.conf.$SE_IF_LAN.disable_ipv6=1" >/dev/null
	ip -n "$SE_NS_HOME" link set "$SE_IF_HOME" up
	ip -n "$SE_NS_CLI" link set "$SE_IF_LAN" up
	# full checksums on the wire: the edge checks them (veth would leave them partial)
	ip netns exec "$SE_NS_HOME" ethtool -K "$SE_IF_HOME" tx off >/dev/null 2>&1 || true
	ip netns exec "$SE_NS_CLI" ethtool -K "$SE_IF_LAN" tx off >/dev/null 2>&1 || true
	ip -n "$SE_NS_HOME" addr replace "$SE_HOME_IP/$SE_LAN_PREFIX" dev "$SE_IF_HOME"
	ip -n "$SE_NS_HOME" route replace default via "$SE_LAN_GW"
	ip -n "$SE_NS_CLI" addr replace "$SE_LAN_GW/$SE_LAN_PREFIX" dev "$SE_IF_LAN"
	ip -n "$SE_NS_CLI" addr replace "$SE_CALLER_IP/$SE_PREFIX" dev "$SE_IF_CLI"
	ip netns exec "$SE_NS_CLI" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
	# the home router: source NAT of the LAN behind its public address
	ip netns exec "$SE_NS_CLI" nft -f - <<-EOF
		table ip se_nat
		delete table ip se_nat
		table ip se_nat {
			chain post {
				type nat hook postrouting priority srcnat; policy accept;
				ip saddr $SE_LAN_NET oifname "$SE_IF_CLI" meta l4proto udp masquerade to :$SE_NAT_PORTS
				ip saddr $SE_LAN_NET oifname "$SE_IF_CLI" masquerade
			}
		}
	EOF
	local a
	for a in $SE_REGISTRAR_IPS; do
		ip -n "$SE_NS_BE" addr replace "$a/$SE_PREFIX" dev "$SE_IF_BE"
	done
}

down() {
	local pids
	if ns_exists "$SE_NS_HOME"; then
		pids=$(ip netns pids "$SE_NS_HOME" 2>/dev/null || true)
		[ -z "$pids" ] || kill $pids 2>/dev/null || true
		sleep 0.2
		pids=$(ip netns pids "$SE_NS_HOME" 2>/dev/null || true)
		[ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
		ip netns del "$SE_NS_HOME"
	fi
	"$here/netns.sh" down
}

status() {
	"$here/netns.sh" status
	if ns_exists "$SE_NS_HOME"; then
		echo "== $SE_NS_HOME"
		ip -n "$SE_NS_HOME" -brief addr show
		echo "== NAT in $SE_NS_CLI"
		ip netns exec "$SE_NS_CLI" nft list table ip se_nat 2>/dev/null || echo "(no table)"
	else
		echo "== $SE_NS_HOME: absent"
	fi
}

env_vars() {
	local v
	"$here/netns.sh" env
	for v in SE_NS_HOME SE_IF_HOME SE_IF_LAN SE_HOME_IP SE_LAN_GW SE_LAN_PREFIX SE_LAN_NET SE_CALLER_IP \
		SE_NAT_PORTS SE_REGISTRAR_IPS; do
		printf '%s=%q\n' "$v" "${!v}"
	done
}

[ "$(id -u)" -eq 0 ] || { [ "${1:-}" = env ] || { echo "netns_nat.sh: needs root" >&2; exit 1; }; }
case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
env) env_vars ;;
*) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
