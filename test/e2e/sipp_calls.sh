#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Real SIPp calls through sipedge (scripts/netns.sh topology, two ports on
# net_af_packet): a SIPp client in se-cli, three SIPp backends in se-be on
# 198.51.100.11/.12/.13.
#
# usage: sipp_calls.sh SIPEDGE MODE
#   calls   CALLS calls (2000) at RATE calls/s (200): 0 failed, 0 unexpected
#           messages, each backend 33% +/- 5% of them, ACK and BYE pinned
#           to their backend through our Record-Route, no packet dropped
#   uas-bye the backend hangs up: its BYE crosses the edge towards the client
#   cancel  the client cancels every call after 180: CANCEL, 487, ACK
set -uo pipefail
SIPEDGE=$(readlink -f "$1")
MODE=${2:-calls}
. "$(dirname "$0")/e2e_lib.sh"

"$NETNS" up || { echo "FAIL: topology"; exit 1; }
BES=($SE_BE_IPS)
args=()
for b in "${BES[@]}"; do args+=(--backend "$b:5060"); done
se_e2e_sipedge "${args[@]}" --stats-interval 5

case "$MODE" in
calls) calls=${CALLS:-2000} rate=${RATE:-200} uac=uac.xml uas=uas.xml ;;
uas-bye) calls=${CALLS:-300} rate=${RATE:-100} uac=uac_wait_bye.xml uas=uas_bye.xml ;;
cancel) calls=${CALLS:-300} rate=${RATE:-100} uac=uac_cancel.xml uas=uas_cancel.xml ;;
*) echo "unknown mode $MODE"; exit 2 ;;
esac

for i in "${!BES[@]}"; do se_e2e_uas "be$i" "${BES[$i]}" "$uas"; done
se_e2e_warmup
# a backend takes calls once it answered a health probe
se_e2e_wait_all_up $(printf '%s:5060 ' "${BES[@]}") || exit 1
se_e2e_uac uac "$uac" -r "$rate" -m "$calls" -l 1000 -d 500 -timeout 120 -timeout_error
uac_rc=$?
sleep 2
se_e2e_stop_sipp
se_e2e_stop_sipedge

ok=$(se_e2e_stat uac "SuccessfulCall(C)")
failed=$(se_e2e_stat uac "FailedCall(C)")
unexp=$(se_e2e_stat uac "FailedUnexpectedMessage(C)")
[ "$uac_rc" -eq 0 ] || bad "SIPp client exited $uac_rc"
[ "$ok" -eq "$calls" ] || bad "$ok of $calls calls succeeded"
[ "$failed" -eq 0 ] || bad "$failed calls failed"
[ "$unexp" -eq 0 ] || bad "$unexp unexpected messages"
summary=""
total=0
for i in "${!BES[@]}"; do
	n=$(se_e2e_calls "be$i")
	f=$(se_e2e_stat "be$i" "FailedCall(C)")
	total=$((total + n))
	summary+=" ${BES[$i]}=$n"
	[ "$f" -eq 0 ] || bad "backend ${BES[$i]}: $f failed calls"
	if [ "$MODE" = calls ]; then
		# 33% +/- 5% of the calls
		lo=$((calls * 28 / 100)) hi=$((calls * 38 / 100))
		[ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ] ||
			bad "backend ${BES[$i]} took $n calls, want $lo..$hi"
	fi
done
[ "$total" -eq "$calls" ] || bad "backends saw $total calls, the client made $calls"
se_e2e_no_drops
c_to_be=$(se_e2e_counter proxy_requests_to_backends)
c_to_cli=$(se_e2e_counter proxy_requests_to_clients)
c_pinned=$(se_e2e_counter proxy_pinned)
case "$MODE" in
calls)
	# INVITE, ACK, BYE per call reach a backend; ACK and BYE through our Route
	[ "$c_to_be" -ge $((3 * calls)) ] || bad "proxy_requests_to_backends=$c_to_be"
	[ "$c_pinned" -ge $((2 * calls)) ] || bad "proxy_pinned=$c_pinned, want >= $((2 * calls))"
	;;
uas-bye)
	[ "$c_to_cli" -ge "$calls" ] || bad "proxy_requests_to_clients=$c_to_cli, want >= $calls"
	;;
cancel)
	[ "$c_to_be" -ge $((3 * calls)) ] || bad "proxy_requests_to_backends=$c_to_be"
	;;
esac
if [ "$E2E_FAIL" -ne 0 ]; then
	echo "--- sipedge stderr"; tail -n 20 "$E2E_WORK/sipedge.err"
	echo "--- sipedge counters"; sed -n '/^counters:/,/^end/p' "$E2E_WORK/sipedge.out" | grep -v '=0$'
	for f in "$E2E_WORK"/*.err; do echo "--- $f"; head -n 20 "$f"; done
	exit 1
fi
# the summary a person reads (scripts/demo.sh shows it)
# SIPp's ResponseTime1(C) is HH:MM:SS:usec, its clock ticks in milliseconds
rt=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ResponseTime1(C)") c = i; next }
	{ v = $c } END { split(v, t, ":"); ms = (t[1] * 3600 + t[2] * 60 + t[3]) * 1000 + t[4] / 1000
		if (ms < 1) print "under 1 ms"; else printf "%.1f ms\n", ms }' "$E2E_WORK/uac.csv")
echo
echo "  client $SE_CLI_IP -> sipedge $SE_EDGE_EXT_IP | $SE_EDGE_INT_IP -> ${#BES[@]} SIPp backends ($MODE)"
echo "  calls: $ok successful, $failed failed, $unexp unexpected messages; mean INVITE-to-200 time $rt"
printf '  %-16s %7s %7s\n' backend calls share
for i in "${!BES[@]}"; do
	n=$(se_e2e_calls "be$i")
	awk -v b="${BES[$i]}" -v n="$n" -v t="$total" \
		'BEGIN { printf "  %-16s %7d %6.1f%%\n", b, n, (t ? 100 * n / t : 0) }'
done
echo "  edge: $c_to_be requests to backends, $c_to_cli to clients," \
	"$(se_e2e_counter proxy_responses) responses, $c_pinned in-dialog requests pinned by" \
	"Record-Route, 0 dropped"
echo
echo "e2e sipp $MODE: ok: $ok/$calls calls at $rate/s, per backend:$summary," \
	"requests to backends $c_to_be, to clients $c_to_cli, pinned $c_pinned"
