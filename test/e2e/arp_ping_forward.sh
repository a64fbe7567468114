#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End to end on veth + net_af_packet (scripts/netns.sh topology), two ports:
#  1. the client pings the edge: the client's ARP request is answered by
#     sipedge and its echo requests are answered;
#  2. a UDP datagram from the client to the edge's SIP port is forwarded by
#     the interim stage to a listener on 198.51.100.11:5060 in se-be, after
#     the edge resolved the backend by ARP itself.
# Every wait is bounded; the topology is removed on exit.
# usage: arp_ping_forward.sh SIPEDGE
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NETNS="$ROOT/scripts/netns.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: no iproute2"; exit 77; }
eval "$("$NETNS" env)"

work=$(mktemp -d /tmp/se-e2e.XXXXXX)
prefix="se-e2e-$$"
spid= lpid=
fail=0

cleanup() {
	[ -n "$spid" ] && kill -INT "$spid" 2>/dev/null
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	wait 2>/dev/null
	"$NETNS" down
	rm -rf "$work" "/var/run/dpdk/$prefix"
}
trap cleanup EXIT

bad() { echo "FAIL: $*"; fail=1; }

"$NETNS" up || { echo "FAIL: topology"; exit 1; }
BE1=${SE_BE_IPS%% *}

# the backend: first datagram on BE1:5060 -> "ip port" line + payload, then exit
ip netns exec "$SE_NS_BE" timeout 40 python3 - "$BE1" "$work/got" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5060))
data, (ip, port) = s.recvfrom(65535)
with open(sys.argv[2] + ".tmp", "wb") as f:
    f.write(f"{ip} {port}\n".encode() + data)
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
EOF
lpid=$!

ip netns exec "$SE_NS_EDGE" timeout 90 "$SIPEDGE" -l 0,1 --no-huge -m 512 --no-pci \
	--file-prefix="$prefix" \
	--vdev "net_af_packet0,iface=$SE_IF_EXT" --vdev "net_af_packet1,iface=$SE_IF_INT" -- \
	--port "0,ip=$SE_EDGE_EXT_IP/$SE_PREFIX" --port "1,ip=$SE_EDGE_INT_IP/$SE_PREFIX" \
	--forward-to "$BE1:5060" --stats-interval 1 >"$work/out" 2>"$work/err" &
spid=$!
for _ in $(seq 1 100); do
	grep -q "worker(s) running" "$work/err" && break
	kill -0 "$spid" 2>/dev/null || break
	sleep 0.2
done
grep -q "worker(s) running" "$work/err" || { cat "$work/err"; echo "FAIL: sipedge did not start"; exit 1; }

# 1. ping: ARP answered by the edge, then echo replies
ip netns exec "$SE_NS_CLI" ping -c 3 -i 0.2 -W 2 "$SE_EDGE_EXT_IP" >"$work/ping" 2>&1 ||
	bad "ping $SE_EDGE_EXT_IP: $(cat "$work/ping")"
edge_mac=$(ip -n "$SE_NS_EDGE" -o link show "$SE_IF_EXT" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
ip -n "$SE_NS_CLI" neigh show "$SE_EDGE_EXT_IP" | grep -q "lladdr $edge_mac" ||
	bad "client did not resolve $SE_EDGE_EXT_IP to $edge_mac: $(ip -n "$SE_NS_CLI" neigh)"

# 2. SIP over UDP, client -> edge -> backend; the first may meet an unresolved backend
payload="OPTIONS sip:$BE1 SIP/2.0\r\nVia: SIP/2.0/UDP $SE_CLI_IP:5062;branch=z9hG4bKe2e\r\nCall-ID: e2e@$SE_CLI_IP\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
ip netns exec "$SE_NS_CLI" python3 - "$SE_CLI_IP" "$SE_EDGE_EXT_IP" "$work/got" "$payload" <<'EOF' ||
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5062))
msg = sys.argv[4].encode().decode("unicode_escape").encode()
for _ in range(50):
    s.sendto(msg, (sys.argv[2], 5060))
    time.sleep(0.2)
    if os.path.exists(sys.argv[3]):
        sys.exit(0)
sys.exit(1)
EOF
	bad "no datagram reached the backend"
wait "$lpid" 2>/dev/null
lpid=
if [ -f "$work/got" ]; then
	head -n 1 "$work/got" | grep -qx "$SE_EDGE_INT_IP 5060" ||
		bad "backend saw source $(head -n 1 "$work/got"), want $SE_EDGE_INT_IP 5060"
	want=$(printf '%b' "$payload" | od -An -tx1 | tr -d ' \n')
	got=$(tail -c +"$(($(head -n 1 "$work/got" | wc -c) + 1))" "$work/got" | od -An -tx1 | tr -d ' \n')
	[ "$want" = "$got" ] || bad "payload changed on the way"
fi
int_mac=$(ip -n "$SE_NS_EDGE" -o link show "$SE_IF_INT" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
ip -n "$SE_NS_BE" neigh show "$SE_EDGE_INT_IP" | grep -q "lladdr $int_mac" ||
	bad "the backend never heard the edge's ARP request: $(ip -n "$SE_NS_BE" neigh)"

# 3. SIGINT: clean stop, exit 0, final counters
kill -INT "$spid"
wait "$spid"
rc=$?
spid=
[ "$rc" -eq 0 ] || bad "sipedge exited $rc"
counter() { sed -n "/^counters:/,/^end/s/^$1=//p" "$work/out"; }
for c in arp_replied icmp_echo_replied sip_forwarded arp_requests_sent neigh_published; do
	v=$(counter "$c")
	[ "${v:-0}" -ge 1 ] || bad "counter $c=${v:-missing}"
done
[ "$(counter icmp_echo_replied)" -ge 3 ] || bad "icmp_echo_replied=$(counter icmp_echo_replied)"

if [ "$fail" -ne 0 ]; then
	echo "--- sipedge stderr"; tail -n 30 "$work/err"
	echo "--- sipedge stdout"; tail -n 80 "$work/out"
	exit 1
fi
echo "e2e arp/ping/forward: ok ($(grep -c '^stats:' "$work/out") stats lines," \
	"sip_forwarded=$(counter sip_forwarded), drop_neigh_unresolved=$(counter drop_neigh_unresolved))"
