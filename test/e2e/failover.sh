#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Failover and draining under a steady SIPp call load (scripts/netns.sh
# topology): three SIPp backends answering health probes (-aa), sipedge with
# --probe-interval 200 --probe-timeout 100 --probe-fail 2, a SIPp client
# making RATE calls/s (50) for DURATION s (16), each call 2 s long.
#
#   t=3 s    the SIPp process of one backend is killed (SIGKILL): every call
#            started more than 1 s after the kill succeeds on the other two;
#            the calls that failed inside the window are reported (INVITE
#            retransmissions rescue those the dead backend never answered;
#            calls it had answered lose their BYE with it)
#   t=6.5 s  it is started again: back up within 1 s of listening, and takes
#            its share of the new calls
#   t=10 s   another one is drained through DPDK telemetry: it takes no new
#            dialog from then on, while the dialogs it holds still end with a
#            BYE through it (pinned by our Record-Route), none of them failed
#
# usage: failover.sh SIPEDGE
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
. "$(dirname "$0")/e2e_lib.sh"

RATE=${RATE:-50}
DURATION=${DURATION:-16}
CALLS=$((RATE * DURATION))
"$NETNS" up || { echo "FAIL: topology"; exit 1; }
BES=($SE_BE_IPS)
KILLED=${BES[1]}:5060
DRAINED=${BES[2]}:5060
args=()
for b in "${BES[@]}"; do args+=(--backend "$b:5060"); done
se_e2e_sipedge "${args[@]}" --probe-interval 200 --probe-timeout 100 --probe-fail 2 \
	--stats-interval 5
for i in "${!BES[@]}"; do se_e2e_uas "be$i" "${BES[$i]}" uas.xml; done
se_e2e_warmup
se_e2e_wait_all_up $(printf '%s:5060 ' "${BES[@]}") || exit 1

now() { date +%s.%N; }
# sleep_until T: sleep until the epoch time T
sleep_until() {
	local d
	d=$(awk -v t="$1" -v n="$(now)" 'BEGIN { d = t - n; printf "%.3f\n", (d > 0 ? d : 0) }')
	sleep "$d"
}
# at SECONDS: the epoch time SECONDS after the load started (awk's print would round it)
at() { awk -v t="$t0" -v s="$1" 'BEGIN { printf "%.6f\n", t + s }'; }
# uas_pid IP: the (daemonised, -bg) SIPp backend on IP
uas_pid() {
	local p
	for p in $(ip netns pids "$SE_NS_BE"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "-i $1 -p 5060" && echo "$p"
	done
}
# field ADDR:PORT FIELD: one field of a backend from /sipedge/backends
field() {
	se_e2e_telemetry "/sipedge/backends,$1" | python3 -c '
import json, sys
for line in sys.stdin.read().splitlines():
    for v in (json.loads(line).get("/sipedge/backends") or {}).values():
        if isinstance(v, dict):
            print(v[sys.argv[1]])
            sys.exit(0)' "$2"
}

se_e2e_uac uac uac_log.xml -r "$RATE" -m "$CALLS" -l 1000 -d 2000 -timeout 120 \
	-max_invite_retrans 5 -max_non_invite_retrans 4 -trace_logs \
	-log_file "$E2E_WORK/calls.log" &
uac_pid=$!
t0=$(now)

echo "== kill ${BES[1]} at 3 s"
sleep_until "$(at 3)"
pid=$(uas_pid "${BES[1]}")
[ -n "$pid" ] || bad "no SIPp on ${BES[1]}"
kill -KILL $pid
t_kill=$(now)
down=$(se_e2e_wait_state "$KILLED" down 5) || bad "$KILLED not down after the kill"
echo "   seen down after $down s (polling telemetry)"

echo "== restart it at 6.5 s"
sleep_until "$(at 6.5)"
se_e2e_uas be1b "${BES[1]}" uas.xml
t_listen=$(now)
se_e2e_wait_state "$KILLED" up 5 >/dev/null || bad "$KILLED not up again"
# when the edge made it up: its own clock, not our polling
since=$(field "$KILLED" since_ms)
t_seen=$(now)
up_after=$(awk -v a="$t_listen" -v b="$t_seen" -v s="$since" \
	'BEGIN { printf "%.3f", b - s / 1000 - a }')
echo "   up $up_after s after it listens again"
awk -v u="$up_after" 'BEGIN { exit !(u <= 1.0) }' || bad "up $up_after s after restart, want <= 1 s"
t_up=$(awk -v b="$t_seen" -v s="$since" 'BEGIN { printf "%.6f", b - s / 1000 }')

echo "== drain ${BES[2]} at 10 s"
sleep_until "$(at 10)"
r=$(se_e2e_telemetry "/sipedge/drain,$DRAINED")
t_drain=$(now)
echo "   $r"
echo "$r" | grep -q '"result": "set 1: draining' || bad "drain: $r"
dialogs_at_drain=$(field "$DRAINED" new_dialogs)
requests_at_drain=$(field "$DRAINED" requests)

wait $uac_pid
uac_rc=$?
sleep 1
dialogs_end=$(field "$DRAINED" new_dialogs)
requests_end=$(field "$DRAINED" requests)
se_e2e_stop_sipp
se_e2e_stop_sipedge

# ---- what happened to each call (the client's log)
read -r n_total n_failed n_win n_after n_after_fail n_since_up n_up_be1 n_drain_new n_held \
	n_held_fail <<<"$(python3 - "$E2E_WORK/calls.log" "$t_kill" "$t_up" "$t_drain" \
	"${BES[1]}" "${BES[2]}" <<'EOF'
import sys
start, by, ok = {}, {}, set()
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 3 and f[0] in ("start", "answered", "ok"):
        n, epoch = int(f[1]), float(f[-1])
        if f[0] == "start":
            start[n] = epoch
        elif f[0] == "answered":
            by[n] = f[2]
        else:
            ok.add(n)
kill, up, drain = map(float, sys.argv[2:5])
restarted, drained = sys.argv[5], sys.argv[6]
failed = [n for n in start if n not in ok]
win = [n for n in failed if start[n] <= kill + 1]
after = [n for n in start if start[n] > kill + 1]
since_up = [n for n in start if start[n] > up]
# calls are 2 s long: those answered by the drained backend in the 2 s before the drain
# held a dialog there when it was drained, and send their BYE after
held = [n for n in start if by.get(n) == drained and drain - 2 < start[n] <= drain]
print(len(start), len(failed), len(win), len(after), len([n for n in after if n not in ok]),
      len(since_up), len([n for n in since_up if by.get(n) == restarted]),
      len([n for n in start if start[n] > drain and by.get(n) == drained]),
      len(held), len([n for n in held if n not in ok]))
EOF
)"
echo "== calls: $n_total started, $n_failed failed"
echo "   inside the window (started before kill + 1 s): $n_win failed"
echo "   started more than 1 s after the kill: $n_after, $n_after_fail failed"
[ "$n_total" -eq "$CALLS" ] || bad "$n_total calls started, want $CALLS"
[ "$n_after" -gt 0 ] || bad "no call started after the kill window"
[ "$n_after_fail" -eq 0 ] || bad "$n_after_fail calls started after the window failed"
[ "$n_failed" -eq "$n_win" ] || bad "failures outside the window"

share=$(awk -v a="$n_up_be1" -v n="$n_since_up" 'BEGIN { printf "%.1f", n ? 100 * a / n : 0 }')
echo "   restarted ${BES[1]}: answered $n_up_be1 of the $n_since_up calls started since it" \
	"was up ($share%)"
# a third of them until the drain, half after it: at least 20% is its share, with room
awk -v s="$share" 'BEGIN { exit !(s >= 20) }' ||
	bad "the restarted backend took $share% of new calls"

echo "   drained ${BES[2]}: $n_drain_new calls started after the drain answered by it;" \
	"$n_held dialogs it held at the drain, $n_held_fail of them failed; edge: new dialogs" \
	"$dialogs_at_drain at the drain, $dialogs_end at the end, requests $requests_at_drain ->" \
	"$requests_end"
[ "$n_drain_new" -eq 0 ] || bad "the drained backend answered $n_drain_new new calls"
[ "$dialogs_end" = "$dialogs_at_drain" ] || bad "the edge sent new dialogs to the drained backend"
[ "$n_held" -gt 0 ] || bad "the drained backend held no dialog when drained"
[ "$n_held_fail" -eq 0 ] || bad "$n_held_fail dialogs of the drained backend failed"
[ "$requests_end" -gt "$requests_at_drain" ] 2>/dev/null ||
	bad "no in-dialog request reached the drained backend after the drain"
pinned_fb=$(se_e2e_counter proxy_pin_fallback)
# the dialogs the killed backend held: their BYEs found it down and went by the hash
[ "$pinned_fb" -gt 0 ] 2>/dev/null || bad "no in-dialog request fell back from the down backend"
echo "   edge: $(se_e2e_counter backend_transitions_down) down /" \
	"$(se_e2e_counter backend_transitions_up)" \
	"up transitions, $(se_e2e_counter tables_published) tables published, $pinned_fb in-dialog" \
	"requests re-hashed (their backend was down), probes: $(se_e2e_counter probe_unreachable)" \
	"unreachable, $(se_e2e_counter probe_timeouts) timed out"
drops=$(sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -E '^(drop_|sip_parse_)' |
	grep -v '=0$' | tr '\n' ' ')
echo "   edge drops: ${drops:-none}"
[ "$uac_rc" -eq 0 ] || echo "   (the SIPp client exited $uac_rc: the failed calls above)"
if [ "$E2E_FAIL" -ne 0 ]; then
	echo "--- sipedge stderr"; grep -v '^EAL' "$E2E_WORK/sipedge.err" | tail -n 30
	echo "--- sipedge counters"; sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -v '=0$'
	exit 1
fi
echo "e2e failover: ok: $n_total calls at $RATE/s; killed backend: $n_win failed inside the" \
	"1 s window, 0 of $n_after after it; back up in $up_after s, then $share% of new calls;" \
	"drained backend: 0 new calls, its $n_held dialogs ended through it" \
	"($((requests_end - requests_at_drain)) in-dialog requests after the drain)"
