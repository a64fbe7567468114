# SPDX-License-Identifier: BSD-3-Clause
# Shared by the end-to-end tests (sourced): topology, sipedge, SIPp, counters.
# Every wait is bounded; se_e2e_cleanup (trapped on EXIT) stops everything.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETNS="$E2E_ROOT/scripts/netns.sh"
SCEN="$E2E_ROOT/test/e2e/sipp"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v sipp >/dev/null || { echo "SKIP: no sipp (apt-get install sip-tester)"; exit 77; }
eval "$("$NETNS" env)"

E2E_WORK=$(mktemp -d /tmp/se-e2e.XXXXXX)
E2E_PREFIX="se-e2e-$$"
E2E_SIPEDGE_PID=
E2E_PIDS=()
E2E_FAIL=0

se_e2e_cleanup() {
	[ -n "$E2E_SIPEDGE_PID" ] && kill -INT "$E2E_SIPEDGE_PID" 2>/dev/null
	for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	"$NETNS" down
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$E2E_WORK"
	rm -rf "/var/run/dpdk/$E2E_PREFIX"
}
trap se_e2e_cleanup EXIT

bad() { echo "FAIL: $*"; E2E_FAIL=1; }

# Frames in each af_packet ring (the PMD's default is 512): a burst SIPp sends
# while the worker sleeps must fit, as a socket buffer would take it. A full
# ring is counted (drop_port_rx_missed).
E2E_RING="framecnt=${SE_E2E_RING_FRAMES:-4096}"

# se_e2e_sipedge ARGS...: start sipedge in se-edge on both veth ends; wait until it runs.
se_e2e_sipedge() {
	ip netns exec "$SE_NS_EDGE" timeout 300 "$SIPEDGE" -l 0,1 --no-huge -m 512 --no-pci \
		--file-prefix="$E2E_PREFIX" \
		--vdev "net_af_packet0,iface=$SE_IF_EXT,$E2E_RING" \
		--vdev "net_af_packet1,iface=$SE_IF_INT,$E2E_RING" -- \
		--port "0,ip=$SE_EDGE_EXT_IP/$SE_PREFIX" --port "1,ip=$SE_EDGE_INT_IP/$SE_PREFIX" \
		"$@" >"$E2E_WORK/sipedge.out" 2>"$E2E_WORK/sipedge.err" &
	E2E_SIPEDGE_PID=$!
	for _ in $(seq 1 150); do
		grep -q "worker(s) running" "$E2E_WORK/sipedge.err" && return 0
		kill -0 "$E2E_SIPEDGE_PID" 2>/dev/null || break
		sleep 0.2
	done
	cat "$E2E_WORK/sipedge.err"
	echo "FAIL: sipedge did not start"
	exit 1
}

# se_e2e_warmup: the client resolves the edge by ARP, and the edge learns the
# client from that ARP request, before the first call. (A real edge's clients
# sit behind a gateway that stays resolved; without this the first response to
# a client that was never seen meets an unresolved neighbour and is dropped,
# counted as drop_neigh_unresolved, and SIPp's retransmission repairs it.)
se_e2e_warmup() {
	ip netns exec "$SE_NS_CLI" ping -c 1 -W 2 "$SE_EDGE_EXT_IP" >/dev/null 2>&1 ||
		bad "the client cannot ping the edge"
	sleep 0.2
}

# se_e2e_stop_sipedge: SIGINT, wait, check the exit status.
se_e2e_stop_sipedge() {
	local rc
	kill -INT "$E2E_SIPEDGE_PID"
	wait "$E2E_SIPEDGE_PID"
	rc=$?
	E2E_SIPEDGE_PID=
	[ "$rc" -eq 0 ] || bad "sipedge exited $rc"
}

# se_e2e_signal SIG: send SIG to sipedge itself (E2E_SIPEDGE_PID is the timeout(1)
# wrapping it, which passes on only the first signal it gets).
se_e2e_signal() {
	local p
	p=$(pgrep -P "$E2E_SIPEDGE_PID" -x sipedge)
	[ -n "$p" ] && kill "-$1" "$p"
}

# se_e2e_counter NAME: a final counter of the stopped sipedge.
se_e2e_counter() {
	sed -n "/^counters:/,/^end/s/^$1=//p" "$E2E_WORK/sipedge.out"
}

# se_e2e_no_drops: every drop counter of the stopped sipedge is zero.
se_e2e_no_drops() {
	local drops
	drops=$(sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" |
		grep -E '^(drop_|sip_parse_)' | grep -v '=0$' || true)
	[ -z "$drops" ] || bad "packets dropped: $(echo $drops)"
}

# se_e2e_telemetry CMD: one DPDK telemetry command to the running sipedge; prints its JSON.
se_e2e_telemetry() {
	echo "$1" | timeout 10 dpdk-telemetry.py -f "$E2E_PREFIX" 2>/dev/null
}

# se_e2e_backend_states: "ADDR:PORT=STATE" per backend, from /sipedge/backends.
se_e2e_backend_states() {
	se_e2e_telemetry /sipedge/backends | python3 -c '
import json, sys
for line in sys.stdin.read().splitlines():
    d = json.loads(line).get("/sipedge/backends") or {}
    for k, v in sorted(d.items()):
        if isinstance(v, dict):
            print(v["address"] + "=" + v["state"])'
}

# se_e2e_wait_state ADDR:PORT STATE [SECONDS]: wait (bounded, 20 s by default) until the
# backend is in STATE; prints the seconds it took. Fails the test if it never is (and
# returns 1: inside $(...) the caller must say so itself).
se_e2e_wait_state() {
	local be=$1 want=$2 limit=${3:-20} t0 t
	t0=$(date +%s.%N)
	for _ in $(seq 1 $((limit * 20))); do
		if se_e2e_backend_states | grep -qx "$be=$want"; then
			t=$(date +%s.%N)
			awk -v a="$t0" -v b="$t" 'BEGIN { printf "%.2f\n", b - a }'
			return 0
		fi
		sleep 0.05
	done
	bad "backend $be not $want after ${limit} s: $(se_e2e_backend_states | tr '\n' ' ')"
	echo "-1"
	return 1
}

# se_e2e_wait_all_up ADDR:PORT...: wait until every listed backend is up (health probes).
se_e2e_wait_all_up() {
	local b
	for b in "$@"; do se_e2e_wait_state "$b" up >/dev/null || return 1; done
}

# se_e2e_uas NAME IP SCENARIO [ARGS...]: a SIPp backend on IP:5060 in se-be; it answers
# the edge's health probes (OPTIONS) with 200 by itself (-aa).
se_e2e_uas() {
	local name=$1 ip=$2 sf=$3
	shift 3
	ip netns exec "$SE_NS_BE" timeout 300 sipp -sf "$SCEN/$sf" -i "$ip" -p 5060 -aa \
		-bg -trace_stat -stf "$E2E_WORK/$name.csv" -fd 1 -trace_err \
		-error_file "$E2E_WORK/$name.err" -nostdin "$@" \
		>"$E2E_WORK/$name.log" 2>&1
}

# se_e2e_uac NAME SCENARIO ARGS...: a SIPp client in se-cli towards the edge (foreground).
se_e2e_uac() {
	local name=$1 sf=$2
	shift 2
	ip netns exec "$SE_NS_CLI" timeout 240 sipp "$SE_EDGE_EXT_IP:5060" -sf "$SCEN/$sf" \
		-i "$SE_CLI_IP" -p 5070 -trace_stat -stf "$E2E_WORK/$name.csv" -fd 1 \
		-trace_err -error_file "$E2E_WORK/$name.err" -nostdin "$@" \
		>"$E2E_WORK/$name.log" 2>&1
}

# se_e2e_stat NAME COLUMN: the last value of a SIPp statistics column.
se_e2e_stat() {
	awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		{ v = $c } END { print v + 0 }' "$E2E_WORK/$1.csv"
}

# se_e2e_calls NAME: calls a SIPp backend took, without the health probes it answered
# by itself (SIPp counts each OPTIONS as an incoming call, and as auto-answered).
se_e2e_calls() {
	echo $(($(se_e2e_stat "$1" "IncomingCall(C)") - $(se_e2e_stat "$1" "AutoAnswered(C)")))
}

# se_e2e_stop_sipp: stop every background SIPp in se-be (they dump final stats).
se_e2e_stop_sipp() {
	local pids
	pids=$(ip netns pids "$SE_NS_BE" 2>/dev/null || true)
	[ -z "$pids" ] || kill -USR1 $pids 2>/dev/null
	for _ in $(seq 1 50); do
		[ -z "$(ip netns pids "$SE_NS_BE" 2>/dev/null)" ] && return 0
		sleep 0.2
	done
	pids=$(ip netns pids "$SE_NS_BE" 2>/dev/null || true)
	[ -z "$pids" ] || kill $pids 2>/dev/null
}
