#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A phone behind a real NAT registers through sipedge with two real Kamailio
# registrars behind it, and is called by a caller on the public side
# (scripts/netns_nat.sh topology: nftables masquerade in the home router).
#
#   phone 192.168.1.20:5062 (SIPp) -> NAT 203.0.113.10:40000-40999 -> sipedge
#   caller 203.0.113.20:5070 (SIPp) ------------------------------> sipedge
#   sipedge -> Kamailio 198.51.100.21 / .22 (registrar, usrloc, Path)
#
# sipedge runs with --set 2,key=to-uri --register-set 2 --call-set 2: every
# REGISTER of an address of record, and every call to it, reaches the one
# registrar that holds its binding (registration pinning). The phone
# registers 8 users (alice twice) from one socket; the caller calls alice;
# the registrar's INVITE comes back through the Path the edge added, the
# edge sends it into the pinhole (the Contact it rewrote); the call
# completes (INVITE, 180, 200, ACK, BYE, 200). Captures on the registrars'
# link and on the phone's show the rewritten Contact, the restored
# Request-URI, and the phone's own Contact in each registrar's 200
# (test/e2e/nat_capture.py checks them).
#
# usage: nat_calls.sh SIPEDGE MODE [SIPEDGE OPTIONS...]
#   nat   default detection: the call must complete, as above
#   none  the same run with --nat-detect none: the registrars store the
#         private Contact, the INVITE is sent to 192.168.1.20 and dropped
#         (drop_no_route), the call fails. This mode passes only when it
#         fails that way: it proves the rewrite, not the topology, made the
#         call work.
# Options after MODE go to sipedge: `nat_calls.sh SIPEDGE nat --nat-detect none`
# is the nat test without the rewrite, and fails.
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
MODE=${2:-nat}
. "$(dirname "$0")/e2e_lib.sh"
NETNS="$E2E_ROOT/scripts/netns_nat.sh" # se_e2e_cleanup takes this whole topology down
eval "$("$NETNS" env)"
command -v kamailio >/dev/null || { echo "SKIP: no kamailio (apt-get install kamailio)"; exit 77; }
command -v dumpcap >/dev/null || { echo "SKIP: no dumpcap (apt-get install tshark)"; exit 77; }
case "$MODE" in
nat) nat_args=("${@:3}") ;;
none) nat_args=(--nat-detect none "${@:3}") ;;
*) echo "unknown mode $MODE"; exit 2 ;;
esac

"$NETNS" up || { echo "FAIL: topology"; exit 1; }
REGS=($SE_REGISTRAR_IPS)
USER_CALLED=alice
KAM_PIDS=()
CAP_PIDS=()

stop_all() {
	local p
	for p in "${CAP_PIDS[@]}" "${KAM_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
	for p in "${CAP_PIDS[@]}" "${KAM_PIDS[@]}"; do
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
	CAP_PIDS=()
	KAM_PIDS=()
}
trap 'stop_all; se_e2e_cleanup' EXIT

# kamailio ADDR: a registrar in se-be, in the foreground of its own process group
start_kamailio() {
	local a=$1 d="$E2E_WORK/kam-$1"
	mkdir -p "$d"
	sed "s/@LISTEN@/$a/" "$E2E_ROOT/test/e2e/kamailio/registrar.cfg" >"$d/kamailio.cfg"
	ip netns exec "$SE_NS_BE" timeout 200 kamailio -f "$d/kamailio.cfg" -DD -E -m 32 -M 8 \
		-P "$d/kamailio.pid" -Y "$d" >"$d/log" 2>&1 &
	KAM_PIDS+=($!)
}

# capture NS IFACE NAME: dumpcap until stop_all, classic pcap for pcaplib
start_capture() {
	local ns=$1 ifc=$2 name=$3
	ip netns exec "$ns" timeout 200 dumpcap -P -i "$ifc" -f udp -w "$E2E_WORK/$name.pcap" \
		>"$E2E_WORK/$name.dumpcap" 2>&1 &
	CAP_PIDS+=($!)
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s
wait_until() {
	local n=$(($1 * 10))
	shift
	for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}
bound() { ip netns exec "$1" ss -Hlun "src $2" | grep -q .; }
capturing() { grep -q "Capturing on" "$E2E_WORK/$1.dumpcap"; }

for a in "${REGS[@]}"; do start_kamailio "$a"; done
for a in "${REGS[@]}"; do
	wait_until 10 bound "$SE_NS_BE" "$a:5060" ||
		{ cat "$E2E_WORK/kam-$a/log"; echo "FAIL: kamailio on $a did not start"; exit 1; }
done
start_capture "$SE_NS_BE" "$SE_IF_BE" registrars
start_capture "$SE_NS_HOME" "$SE_IF_HOME" phone
wait_until 10 capturing registrars && wait_until 10 capturing phone ||
	{ cat "$E2E_WORK"/*.dumpcap; echo "FAIL: dumpcap did not start"; exit 1; }

args=()
for a in "${REGS[@]}"; do args+=(--backend "$a:5060,set=2"); done
se_e2e_sipedge "${args[@]}" --set 2,key=to-uri --register-set 2 --call-set 2 "${nat_args[@]}"
se_e2e_warmup
# the caller's own ARP request (sender 203.0.113.20) teaches the edge its address too
ip -n "$SE_NS_CLI" neigh flush dev "$SE_IF_CLI"
ip netns exec "$SE_NS_CLI" ping -c 1 -W 2 -I "$SE_CALLER_IP" "$SE_EDGE_EXT_IP" >/dev/null 2>&1 ||
	bad "the caller cannot ping the edge"
sleep 0.2

# 1. the phone registers its users, alice twice, through one pinhole
{ echo SEQUENTIAL; printf '%s\n' alice bob carol dave erin frank grace heidi alice; } \
	>"$E2E_WORK/users.csv"
ip netns exec "$SE_NS_HOME" timeout 60 sipp "$SE_EDGE_EXT_IP:5060" -sf "$SCEN/nat_register.xml" \
	-inf "$E2E_WORK/users.csv" -i "$SE_HOME_IP" -p 5062 -m 9 -r 20 -timeout 20 -timeout_error \
	-trace_stat -stf "$E2E_WORK/register.csv" -trace_err -error_file "$E2E_WORK/register.err" \
	-nostdin >"$E2E_WORK/register.log" 2>&1
reg_rc=$?
[ "$reg_rc" -eq 0 ] || bad "REGISTER: SIPp exited $reg_rc"
[ "$(se_e2e_stat register 'SuccessfulCall(C)')" -eq 9 ] ||
	bad "$(se_e2e_stat register 'SuccessfulCall(C)') of 9 REGISTERs answered 200"

# 2. the phone waits for calls on the socket that opened the pinhole
ip netns exec "$SE_NS_HOME" timeout 60 sipp -sf "$SCEN/nat_callee.xml" -s "$USER_CALLED" \
	-i "$SE_HOME_IP" -p 5062 -m 1 -timeout 30 -timeout_error -trace_stat \
	-stf "$E2E_WORK/callee.csv" -trace_err -error_file "$E2E_WORK/callee.err" -nostdin \
	>"$E2E_WORK/callee.log" 2>&1 &
callee_pid=$!
wait_until 10 bound "$SE_NS_HOME" "$SE_HOME_IP:5062" || bad "the callee did not start"

# 3. the caller calls alice by her address of record
ip netns exec "$SE_NS_CLI" timeout 60 sipp "$SE_EDGE_EXT_IP:5060" -sf "$SCEN/nat_caller.xml" \
	-s "$USER_CALLED" -i "$SE_CALLER_IP" -p 5070 -m 1 -timeout 20 -timeout_error -trace_stat \
	-stf "$E2E_WORK/caller.csv" -trace_err -error_file "$E2E_WORK/caller.err" -nostdin \
	>"$E2E_WORK/caller.log" 2>&1
caller_rc=$?
if [ "$MODE" = none ]; then
	kill "$callee_pid" 2>/dev/null # nothing will ever reach it
fi
wait "$callee_pid"
callee_rc=$?
sleep 0.5
stop_all
se_e2e_stop_sipedge

pinhole=$(se_e2e_counter nat_requests_to_pinhole)
rewritten=$(se_e2e_counter nat_contacts_rewritten)
detected=$(se_e2e_counter nat_detected)
no_route=$(se_e2e_counter drop_no_route)
restored=$(se_e2e_counter nat_contacts_restored)
python3 "$E2E_ROOT/test/e2e/nat_capture.py" "$MODE" "$E2E_WORK/registrars.pcap" \
	"$E2E_WORK/phone.pcap" "edge=$SE_EDGE_INT_IP" "nat=$SE_CLI_IP" "home=$SE_HOME_IP:5062" \
	"user=$USER_CALLED" >"$E2E_WORK/capture.txt" 2>&1
capture_rc=$?
cat "$E2E_WORK/capture.txt"

if [ "$MODE" = nat ]; then
	[ "$caller_rc" -eq 0 ] || bad "the caller exited $caller_rc: the call did not complete"
	[ "$callee_rc" -eq 0 ] || bad "the callee exited $callee_rc"
	[ "$(se_e2e_stat caller 'SuccessfulCall(C)')" -eq 1 ] || bad "caller: no successful call"
	[ "$capture_rc" -eq 0 ] || bad "the captures do not show the rewrite (above)"
	# 9 REGISTERs and the callee's 180 and 200 (retransmissions may add some)
	[ "$rewritten" -ge 11 ] || bad "nat_contacts_rewritten=$rewritten, want >= 11"
	[ "$detected" -ge 11 ] || bad "nat_detected=$detected, want >= 11"
	# INVITE, ACK and BYE into the pinhole
	[ "$pinhole" -ge 3 ] || bad "nat_requests_to_pinhole=$pinhole, want >= 3"
	# the phone's own binding in each registrar's 200
	[ "$restored" -ge 9 ] || bad "nat_contacts_restored=$restored, want >= 9"
	se_e2e_no_drops
else
	# the proof that the rewrite did it: without it the same call fails, this way
	[ "$caller_rc" -ne 0 ] || bad "the call completed without the rewrite: the test proves nothing"
	[ "$(se_e2e_stat callee 'IncomingCall(C)' 2>/dev/null || echo 0)" -eq 0 ] ||
		bad "an INVITE reached the phone without the rewrite"
	[ "$capture_rc" -eq 0 ] || bad "the captures do not show the private Contact (above)"
	[ "$no_route" -ge 1 ] || bad "drop_no_route=$no_route: the INVITE to 192.168.1.20 was not dropped"
	[ "$rewritten" -eq 0 ] && [ "$detected" -eq 0 ] && [ "$pinhole" -eq 0 ] &&
		[ "$restored" -eq 0 ] ||
		bad "NAT counters with --nat-detect none: $detected $rewritten $pinhole $restored"
fi
if [ "$E2E_FAIL" -ne 0 ]; then
	echo "--- sipedge counters"; sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -v '=0$'
	for f in "$E2E_WORK"/*.err; do [ -s "$f" ] && { echo "--- $f"; head -n 30 "$f"; }; done
	for a in "${REGS[@]}"; do echo "--- kamailio $a"; grep -E "REGISTER|INVITE|ERROR" \
		"$E2E_WORK/kam-$a/log" | tail -n 15; done
	exit 1
fi
echo
echo "  phone $SE_HOME_IP:5062 behind NAT $SE_CLI_IP, caller $SE_CALLER_IP, registrars ${REGS[*]}"
echo "  edge: $detected messages found behind NAT, $rewritten Contacts rewritten," \
	"$pinhole requests into the pinhole, $restored Contacts given back, $no_route dropped" \
	"for no route"
echo "e2e nat $MODE: ok"
