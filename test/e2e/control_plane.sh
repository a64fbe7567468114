#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The control core against real sockets (scripts/netns.sh topology): health
# probes answered by test/e2e/responder.py on 198.51.100.11:5060 as the test
# says, and by nobody on 198.51.100.12:5060 (the kernel answers ICMP port
# unreachable); DPDK telemetry; /metrics scraped with curl; SIGHUP rereads.
#
#   1. a reply 200 brings .11 up; .12 never answered: down, failing "unreachable"
#   2. 503 takes it down (code 503), 200 brings it back after --probe-ok replies
#   3. silence takes it down (timeout); 200 brings it back
#   4. the responder closes its socket: ICMP port unreachable takes it down
#   5. /metrics: every backend present with its state, probe RTT histogram
#   6. telemetry commands: drain, undrain, disable, enable
#   7. SIGHUP: the file's backends added / removed / reweighted, probed states
#      kept; a file with a bad line is refused whole, naming FILE:LINE
# Every wait is bounded; no timing is asserted.
#
# usage: control_plane.sh SIPEDGE
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
. "$(dirname "$0")/e2e_lib.sh"

"$NETNS" up || { echo "FAIL: topology"; exit 1; }
# Linux sends at most about one ICMP error per second to a peer after a burst of 6
# (net.ipv4.icmp_ratelimit): .12's unreachables would use up what .11's need in step 4.
# A real backend limits the same way; then its probes time out instead (step 3).
ip netns exec "$SE_NS_BE" sysctl -q -w net.ipv4.icmp_ratelimit=0
B1=198.51.100.11:5060 B2=198.51.100.12:5060
MODE=$E2E_WORK/mode
BEFILE=$E2E_WORK/backends.list
METRICS=127.0.0.1:9180
echo 200 >"$MODE"
printf '# reloaded on SIGHUP\n1 sip:198.51.100.13:5060 0 0 weight=1\n' >"$BEFILE"

start_responder() {
	ip netns exec "$SE_NS_BE" timeout 300 python3 "$E2E_ROOT/test/e2e/responder.py" \
		198.51.100.11 5060 "$MODE" "$E2E_WORK/responder.log" &
	E2E_PIDS+=($!)
	sleep 0.3
}

# field ADDR:PORT FIELD [SET]: one field of a backend from /sipedge/backends.
field() {
	se_e2e_telemetry "/sipedge/backends,$1" | python3 -c '
import json, sys
want_set = int(sys.argv[2]) if len(sys.argv) > 2 else None
for line in sys.stdin.read().splitlines():
    for v in (json.loads(line).get("/sipedge/backends") or {}).values():
        if isinstance(v, dict) and (want_set is None or v["set"] == want_set):
            print(v[sys.argv[1]])
            sys.exit(0)' "$2" ${3:-}
}

expect_field() {
	local got
	got=$(field "$1" "$2" ${4:-})
	[ "$got" = "$3" ] || bad "$1 $2: got '$got', want '$3'"
}

start_responder
se_e2e_sipedge --backend "$B1" --backend "$B2" --backends-file "$BEFILE" \
	--probe-interval 200 --probe-timeout 100 --probe-fail 2 --probe-ok 2 \
	--metrics "$METRICS"

echo "== 1. first reply brings it up; a closed port never answers"
t=$(se_e2e_wait_state "$B1" up) && echo "   $B1 up after ${t} s" ||
	bad "$B1 not up"
expect_field "$B1" last_transition "reply 200"
se_e2e_wait_state "$B2" down >/dev/null
seen=
for _ in $(seq 1 40); do
	[ "$(field "$B2" last_failure)" = unreachable ] && { seen=1; break; }
	sleep 0.1
done
[ -n "$seen" ] || bad "$B2: no ICMP port unreachable seen"
expect_field "$B2" last_transition "never answered"

echo "== 2. 503 is a failure; --probe-ok replies bring it back"
echo 503 >"$MODE"
t=$(se_e2e_wait_state "$B1" down) && echo "   down after ${t} s" ||
	bad "$B1 not down"
expect_field "$B1" last_transition "code 503"
echo 200 >"$MODE"
t=$(se_e2e_wait_state "$B1" up) && echo "   up after ${t} s" ||
	bad "$B1 not up"

echo "== 3. silence: timeouts"
echo silent >"$MODE"
t=$(se_e2e_wait_state "$B1" down) && echo "   down after ${t} s" ||
	bad "$B1 not down"
expect_field "$B1" last_transition timeout
echo 200 >"$MODE"
se_e2e_wait_state "$B1" up >/dev/null

echo "== 4. the process goes away: ICMP port unreachable"
echo close >"$MODE"
t=$(se_e2e_wait_state "$B1" down) && echo "   down after ${t} s" ||
	bad "$B1 not down"
expect_field "$B1" last_transition unreachable

echo "== 5. /metrics"
ip netns exec "$SE_NS_EDGE" curl -sf --max-time 10 "http://$METRICS/metrics" \
	>"$E2E_WORK/metrics.txt" || bad "curl /metrics failed"
python3 - "$E2E_WORK/metrics.txt" "$B1" "$B2" 198.51.100.13:5060 <<'EOF' || bad "/metrics"
import re, sys
text = open(sys.argv[1]).read()
fams, samples = {}, {}
for line in text.splitlines():
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split()
        fams[name] = kind
    elif line and not line.startswith("#"):
        m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)', line)
        assert m, f"not a sample line: {line!r}"
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        samples.setdefault(m.group(1), []).append((labels, float(m.group(3))))
errors = []
for name in samples:
    base = re.sub(r"_(bucket|sum|count)$", "", name)
    if name not in fams and base not in fams:
        errors.append(f"{name} has no TYPE")
for name, kind in fams.items():
    if kind == "counter" and not name.endswith("_total"):
        errors.append(f"counter {name} does not end in _total")
want = {sys.argv[2]: "down", sys.argv[3]: "down", sys.argv[4]: "down"}
for be, st in want.items():
    rows = [(l, v) for l, v in samples.get("sipedge_backend_state", []) if l["backend"] == be]
    if not rows:
        errors.append(f"{be} missing from sipedge_backend_state")
        continue
    cur = [l["state"] for l, v in rows if v == 1]
    if cur != [st]:
        errors.append(f"{be}: state {cur}, want {st}")
    if not any(l["backend"] == be for l, v in samples.get("sipedge_backend_up", [])):
        errors.append(f"{be} missing from sipedge_backend_up")
cnt = [v for l, v in samples.get("sipedge_backend_probe_rtt_seconds_count", [])
       if l["backend"] == sys.argv[2]]
inf = [v for l, v in samples.get("sipedge_backend_probe_rtt_seconds_bucket", [])
       if l["backend"] == sys.argv[2] and l["le"] == "+Inf"]
if not cnt or cnt[0] < 3 or inf != cnt:
    errors.append(f"RTT histogram of {sys.argv[2]}: count {cnt}, +Inf {inf}")
for c in ("sipedge_rx_packets_total", "sipedge_drop_no_backend_total",
          "sipedge_probes_sent_total", "sipedge_table_version",
          "sipedge_table_publications_total"):
    if c not in samples:
        errors.append(f"{c} missing")
if samples.get("sipedge_table_publications_total", [({}, 0)])[0][1] < 5:
    errors.append("fewer than 5 publications after 4 transitions")
for e in errors:
    print("  metrics:", e)
print(f"   /metrics: {len(samples)} metric names, {sum(map(len, samples.values()))} samples")
sys.exit(1 if errors else 0)
EOF

se_e2e_telemetry /sipedge/stats | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())["/sipedge/stats"]
assert d["probes_sent"] > 0 and d["probe_unreachable"] > 0, d
assert "drop_no_backend" in d and "sip_parse_start_line" in d, "counters missing"
print("   /sipedge/stats:", len(d), "counters, probes_sent", d["probes_sent"])' ||
	bad "/sipedge/stats"

echo "== 6. operator commands"
echo 200 >"$MODE"
start_responder
se_e2e_wait_state "$B1" up >/dev/null
for step in "drain draining" "undrain up" "disable disabled" "undrain disabled" \
	"enable up" "drain draining" "enable up"; do
	set -- $step
	r=$(se_e2e_telemetry "/sipedge/$1,$B1")
	echo "   /sipedge/$1: $r"
	expect_field "$B1" state "$2"
done
r=$(se_e2e_telemetry "/sipedge/drain,198.51.100.99:5060")
echo "$r" | grep -q '"error": "no backend' || bad "drain of an unknown backend: $r"

echo "== 7. SIGHUP"
expect_field 198.51.100.13:5060 weight 1
printf '1 sip:198.51.100.13:5060 0 0 weight=3\n2 sip:198.51.100.11:5060\n' >"$BEFILE"
se_e2e_signal HUP
for _ in $(seq 1 50); do
	grep -q "SIGHUP: .* applied" "$E2E_WORK/sipedge.err" && break
	sleep 0.1
done
grep -q "SIGHUP: .* applied: 4 backends" "$E2E_WORK/sipedge.err" || bad "SIGHUP not applied"
expect_field 198.51.100.13:5060 weight 3
expect_field "$B1" state up 1
expect_field "$B1" last_transition operator 1    # what set 1's entry knew stays
expect_field "$B1" state up 2    # the new set-2 entry shares the probed address: up at once
expect_field "$B1" last_transition "reply 200" 2
printf '1 sip:198.51.100.13:5060\n1 sip:backend.example.com:5060\n' >"$BEFILE"
se_e2e_signal HUP
for _ in $(seq 1 50); do grep -q "refused" "$E2E_WORK/sipedge.err" && break; sleep 0.1; done
grep -q "SIGHUP: $BEFILE refused: $BEFILE:2: " "$E2E_WORK/sipedge.err" ||
	bad "a bad file was not refused naming its line"
expect_field "$B1" state up 2    # the running table stays
expect_field 198.51.100.13:5060 weight 3

# SIGUSR1: every backend's state in the log, on demand
n_before=$(grep -c ' for [0-9.]* s (' "$E2E_WORK/sipedge.err")
se_e2e_signal USR1
for _ in $(seq 1 50); do
	[ "$(grep -c ' for [0-9.]* s (' "$E2E_WORK/sipedge.err")" -ge $((n_before + 4)) ] && break
	sleep 0.1
done
[ "$(grep -c ' for [0-9.]* s (' "$E2E_WORK/sipedge.err")" -eq $((n_before + 4)) ] ||
	bad "SIGUSR1 did not log the 4 backends"

se_e2e_stop_sipedge
grep -q '^bad' "$E2E_WORK/responder.log" &&
	bad "probes malformed: $(grep -m 3 '^bad' "$E2E_WORK/responder.log")"
grep -q '^ok' "$E2E_WORK/responder.log" || bad "the responder saw no probe"
se_e2e_no_drops
for c in probes_sent probe_ok probe_refused probe_timeouts probe_unreachable \
	backend_transitions_up backend_transitions_down tables_published config_reloads \
	config_reloads_refused; do
	[ "$(se_e2e_counter $c)" -gt 0 ] 2>/dev/null || bad "counter $c is $(se_e2e_counter $c)"
done
if [ "$E2E_FAIL" -ne 0 ]; then
	echo "--- sipedge stderr"; grep -v '^EAL' "$E2E_WORK/sipedge.err" | tail -n 40
	echo "--- sipedge counters"; sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -v '=0$'
	exit 1
fi
echo "e2e control plane: ok: probes $(se_e2e_counter probes_sent), transitions" \
	"up $(se_e2e_counter backend_transitions_up) down $(se_e2e_counter backend_transitions_down)," \
	"tables published $(se_e2e_counter tables_published)"
