#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The guard end to end (scripts/netns.sh topology, two ports on
# net_af_packet).
#
# usage: guard.sh SIPEDGE MODE
#   flood  a legitimate SIPp caller on 203.0.113.10 (CALLS calls at RATE/s,
#          2000 at 100/s) while a second source, 203.0.113.11, floods
#          REGISTERs at FLOOD_RATE/s (3000) for FLOOD_COUNT (15000) - far
#          above --rate-limit 400,burst=400: every legitimate call succeeds,
#          the flooder alone is banned (guard_bans=1), its datagrams die
#          before parsing (drop_guard_banned), the registrar saw only its
#          first second or so, and /sipedge/guard lists it as the top
#          offender, banned.
#   scan   sipvicious' svmap scans the edge: with the guard, no answer and
#          drop_guard_scanner counted; with --guard off the same scan finds
#          the backend PBX behind the edge (so the test can fail).
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
MODE=${2:-flood}
. "$(dirname "$0")/e2e_lib.sh"
command -v svmap >/dev/null || { echo "SKIP: no svmap (apt-get install sipvicious)"; exit 77; }
TELEMETRY="$E2E_ROOT/test/e2e/telemetry.py"

"$NETNS" up || { echo "FAIL: topology"; exit 1; }
BES=($SE_BE_IPS)
FLOODER=${SE_CLI_EXTRA_IPS%% *}
[ -n "$FLOODER" ] || { echo "FAIL: no second client address (SE_CLI_EXTRA_IPS)"; exit 1; }

dump() {
	echo "--- sipedge stderr"; tail -n 20 "$E2E_WORK/sipedge.err"
	echo "--- sipedge counters"
	sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -v '=0$'
	for f in "$E2E_WORK"/*.err "$E2E_WORK"/*.txt; do
		[ -f "$f" ] && { echo "--- $f"; head -n 20 "$f"; }
	done
}

flood() {
	local calls=${CALLS:-2000} rate=${RATE:-100}
	local frate=${FLOOD_RATE:-3000} fcount=${FLOOD_COUNT:-15000}
	local ok failed unexp uac_rc regs banned rate_d bans tel

	se_e2e_sipedge --backend "${BES[0]}:5060" --backend "${BES[1]}:5060" \
		--backend "${BES[2]}:5060,set=2" --register-set 2 \
		--rate-limit 400,burst=400 --ban-seconds 120 --stats-interval 5
	se_e2e_uas be0 "${BES[0]}" uas.xml
	se_e2e_uas be1 "${BES[1]}" uas.xml
	se_e2e_uas reg "${BES[2]}" uas_register.xml
	se_e2e_warmup
	sleep 0.5
	# the flood starts 3 s into the calls and stops by itself (-m), well before them
	(
		sleep 3
		ip netns exec "$SE_NS_CLI" timeout 60 sipp "$SE_EDGE_EXT_IP:5060" \
			-sf "$SCEN/flood_register.xml" -i "$FLOODER" -p 5080 -r "$frate" \
			-m "$fcount" -nostdin -trace_stat -stf "$E2E_WORK/flood.csv" -fd 1 \
			>"$E2E_WORK/flood.log" 2>&1
	) &
	E2E_PIDS+=($!)
	se_e2e_uac uac uac.xml -r "$rate" -m "$calls" -l 1000 -d 500 -timeout 120 \
		-timeout_error
	uac_rc=$?
	wait "${E2E_PIDS[-1]}" 2>/dev/null
	tel=$(python3 "$TELEMETRY" "$E2E_PREFIX" "/sipedge/guard,8" 2>"$E2E_WORK/telemetry.txt")
	echo "$tel" >>"$E2E_WORK/telemetry.txt"
	sleep 1
	se_e2e_stop_sipp
	se_e2e_stop_sipedge

	ok=$(se_e2e_stat uac "SuccessfulCall(C)")
	failed=$(se_e2e_stat uac "FailedCall(C)")
	unexp=$(se_e2e_stat uac "FailedUnexpectedMessage(C)")
	regs=$(se_e2e_stat reg "IncomingCall(C)")
	banned=$(se_e2e_counter drop_guard_banned)
	rate_d=$(se_e2e_counter drop_guard_rate)
	bans=$(se_e2e_counter guard_bans)
	[ "$uac_rc" -eq 0 ] || bad "SIPp client exited $uac_rc"
	[ "$ok" -eq "$calls" ] || bad "$ok of $calls legitimate calls succeeded"
	[ "$failed" -eq 0 ] || bad "$failed legitimate calls failed"
	[ "$unexp" -eq 0 ] || bad "$unexp unexpected messages"
	[ "$bans" -eq 1 ] || bad "guard_bans=$bans, want 1 (the flooder only)"
	[ "$rate_d" -ge 1 ] || bad "drop_guard_rate=$rate_d"
	# all but what passed before the ban (about burst + 1/4 s of rate) dies before parsing
	[ "$banned" -ge $((fcount - 2000)) ] || bad "drop_guard_banned=$banned of $fcount sent"
	[ "$regs" -ge 100 ] && [ "$regs" -le 2000 ] ||
		bad "the registrar saw $regs REGISTERs, want 100..2000 (before the ban)"
	[ "$(se_e2e_counter drop_guard_acl)" -eq 0 ] || bad "drop_guard_acl non-zero"
	python3 - "$tel" "$FLOODER" "$SE_CLI_IP" <<'PY' || bad "telemetry: $tel"
import json, sys
g = json.loads(sys.argv[1])["/sipedge/guard"]
top, flooder, legit = g["top_addr"], sys.argv[2], sys.argv[3]
assert top and top[0] == flooder, f"top offender {top}, want {flooder}"
assert g["top_banned"][0] == 1 and g["top_ban_left_s"][0] > 0, "the flooder is not banned"
assert g["top_drops"][0] >= 10000, f"drops {g['top_drops'][0]}"
assert legit not in top, f"the legitimate caller {legit} is listed: {top}"
assert g["guard_bans"] == 1 and g["rate_limit"] == 400
PY
	if [ "$E2E_FAIL" -ne 0 ]; then
		dump
		exit 1
	fi
	echo "e2e guard flood: ok: $ok/$calls legitimate calls at $rate/s, 0 failed; flooder" \
		"$FLOODER sent $fcount REGISTERs at $frate/s: banned (guard_bans=$bans)," \
		"drop_guard_rate=$rate_d, drop_guard_banned=$banned, registrar saw $regs"
}

# scan_once NAME ARGS...: sipedge with ARGS, one svmap scan; its report in $E2E_WORK/NAME.txt
scan_once() {
	local name=$1
	shift
	se_e2e_sipedge --backend "${BES[0]}:5060" "$@"
	# a new edge knows no neighbour: make the client ARP for it again
	ip -n "$SE_NS_CLI" neigh flush dev "$SE_IF_CLI"
	se_e2e_warmup
	ip netns exec "$SE_NS_CLI" timeout 60 svmap "$SE_EDGE_EXT_IP" -p 5060 \
		-x "$SE_CLI_IP" -P 5090 >"$E2E_WORK/$name.txt" 2>&1
	sleep 0.5
	se_e2e_stop_sipedge
	cp "$E2E_WORK/sipedge.out" "$E2E_WORK/$name.sipedge.out"
}

scan() {
	local found scanner fwd

	se_e2e_uas pbx "${BES[0]}" uas_options.xml
	scan_once scan_guard
	found=$(grep -c "$SE_EDGE_EXT_IP:5060" "$E2E_WORK/scan_guard.txt")
	scanner=$(se_e2e_counter drop_guard_scanner)
	fwd=$(se_e2e_counter proxy_requests_to_backends)
	[ "$found" -eq 0 ] || bad "with the guard, svmap found the edge (scan_guard.txt)"
	[ "$scanner" -ge 1 ] || bad "drop_guard_scanner=$scanner"
	[ "$fwd" -eq 0 ] || bad "with the guard, $fwd scan requests reached the backend"

	scan_once scan_off --guard off
	grep -q "$SE_EDGE_EXT_IP:5060" "$E2E_WORK/scan_off.txt" ||
		bad "with --guard off svmap found nothing (scan_off.txt): this test cannot tell"
	[ "$(se_e2e_counter proxy_requests_to_backends)" -ge 1 ] ||
		bad "with --guard off the scan did not reach the backend"
	se_e2e_stop_sipp
	if [ "$E2E_FAIL" -ne 0 ]; then
		dump
		exit 1
	fi
	echo "e2e guard scan: ok: svmap got no answer with the guard" \
		"(drop_guard_scanner=$scanner) and found the PBX behind the edge with --guard off"
}

case "$MODE" in
flood) flood ;;
scan) scan ;;
*) echo "unknown mode $MODE"; exit 2 ;;
esac
