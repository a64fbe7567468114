# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh compare: real SIPp calls through sipedge, and through
# Kamailio doing the same job, on the end-to-end topology (scripts/netns.sh):
# a SIPp client (uac) in the client namespace, three SIPp backends (uas) in
# the backend namespace, the balancer in the edge namespace between them.
#
#   sipedge        the release build ($SE_BENCH_BUILD), -l 0,1 (control core
#                  + one worker), on the two veth ends through net_af_packet,
#                  exactly as test/e2e/e2e_lib.sh runs it, with its default
#                  idle sleep (--idle-sleep-us 50): on a 2-core machine a
#                  busy-polling worker takes a whole core away from SIPp;
#                  health probes off (--probe-off, where sipedge has it):
#                  Kamailio's dispatcher here does not probe either;
#   sipedge-busy   the same with --idle-sleep-us 0 (busy polling), to show
#                  what that costs here;
#   sipedge-ring   sipedge with larger packet rings (net_af_packet
#                  framecnt=SE_CMP_RING_FRAMES instead of 512): the rings
#                  are what holds traffic while the worker waits for a core,
#                  as Kamailio's large socket buffers do for it;
#   kamailio       Debian's Kamailio (scripts/bench/compare/kamailio.cfg):
#                  dispatcher set 1, algorithm 0 (hash over Call-ID),
#                  stateless forward() (no tm), record_route() on initial
#                  requests, loose_route() for in-dialog ones, maxfwd;
#                  listening only on 203.0.113.1 and 198.51.100.1, which are
#                  put on the edge's veth ends while it runs (sipedge needs
#                  them address-less); -x tlsf -X tlsf, -m/-M below, children
#                  (UDP receivers per socket) below.
#
# At each rate (calls/s) every balancer runs one step, the order reversed at
# every rate (the machine is noisy): the balancer starts, three uas start,
# the client pings the edge (so a fresh sipedge learns its address), the
# balancer's idle CPU is taken over SE_CMP_IDLE_SECONDS, then the uac makes
# rate x SE_CMP_SECONDS calls (INVITE, 180, 200, ACK, hold, BYE, 200:
# test/e2e/sipp/uac.xml and uas.xml, which follow the Record-Route) and
# everything is stopped again. The uac runs with -pause_msg_ign: Kamailio's
# UDP receivers race each other, so a 200 can overtake its 180, which then
# reaches the client during the hold, which SIPp would otherwise count
# as a failed call (a real phone ignores it; sipedge's one worker keeps the
# order). Columns of the table:
#   ok, failed     calls; failed = asked for - successful, so calls never
#                  made or never finished count
#   fail%          failed / asked for
#   reached        the call rate SIPp reached (from the 200 OK timestamps)
#   rt_ms, p99ms   SIPp's INVITE-to-200 time (rtd), mean and 99th percentile
#                  over every call; SIPp's clock has 1 ms resolution
#   us/call        the balancer's CPU time per successful call: utime+stime
#                  (/proc/PID/stat) of every process in the edge namespace
#                  (sipedge; Kamailio's main, receivers and timers) over the
#                  uac's run, divided by the calls
#   net/call       the same minus the idle cost (base% over the same time):
#                  what the calls themselves cost ("-" when negative, as for
#                  a busy-polling worker that spins whatever the load)
#   us/msg         us/call over the 6 messages a call sends through the edge
#   sys%           the kernel's share (stime) of the balancer's CPU time
#   bal%, base%    the balancer's CPU in % of one core, loaded and idle
#   uac%, be%      the SIPp client's, and the three backends', CPU in % of
#                  one core
#   other%         the machine's busy time that is none of the above, in %
#                  of one core: other work on the machine (noise), and
#                  softirq time that interrupted no process of ours
#   idle%          the whole machine's idle time during the run (2 cores)
#   notes          client-bound: the uac used >= 85% of a core, SIPp is the
#                  bottleneck; cpu-full: the machine was under 5% idle, so
#                  every process waited for a core (look at other%: when it
#                  is high, other work on the machine took the cores); short:
#                  the rate reached is under 95% of the
#                  rate asked for; drops:... sipedge's non-zero drop
#                  counters; udp_err=N: UDP receive errors (full socket
#                  buffers) in the edge namespace (Kamailio's sockets);
#                  ring_miss=N: frames the edge's veth ends received that
#                  never reached sipedge (its packet rings were full)
# How calls fail under overload: once a 200 OK is more than 500 ms late
# (SIPp's T1), the client retransmits the INVITE, and SIPp's uas aborts the
# call on it ("unexpected message while expecting ACK": a SIPp quirk, its
# retransmission detection is lost when two sends, 180 and 200, follow one
# recv). So "failed" here means "answered later than 500 ms", and overload
# turns into failures within a second, for every balancer alike.
#
# A rate passes for a balancer when under 0.1% of its calls failed and the
# rate was reached, in one of SE_CMP_TRIES tries (each try is a table row; a
# busy machine makes single runs fail); after SE_CMP_GIVE_UP failed rates in
# a row a balancer is not tried at higher rates. The last line:
#   compare: sipedge N calls/s (X us CPU/call), kamailio M calls/s (Y us CPU/call)[, ...]
# where N and M are the highest passing rates and X and Y the CPU per call
# there ("<" before N: not even the first rate passed), followed by
# "above: client-bound" or "cpu-full" when the next rate up failed that way.
#
# CPU accounting: the kernel's work for a datagram (veth, softirq delivery to
# the receiving socket or packet ring) is charged to the process that sends
# it, for both balancers alike (tick-based accounting, no IRQ time split).
#
# The socket buffer limits (net.core.rmem_max, wmem_max) are not per network
# namespace: if they are under 8 MB they are raised for the run (SIPp's
# -buff_size 8388608 and Kamailio's maxbuffer need it) and restored at exit.
# Everything runs under timeout(1) and stops by itself; the namespaces are
# removed at exit (trap), however the script ends. A run with the defaults
# takes 10 to 20 minutes.
#
# Environment (defaults):
#   SE_CMP_RATES="500 1000 2000 4000 6000 8000 10000 12000 16000 20000"
#   SE_CMP_SECONDS=10           seconds of call creation per step
#   SE_CMP_BALANCERS="sipedge kamailio sipedge-busy sipedge-ring"
#   SE_CMP_RING_FRAMES=8192     sipedge-ring's packet ring size (framecnt)
#   SE_CMP_HOLD_MS=100          call hold time (SIPp -d)
#   SE_CMP_KAM_CHILDREN=2       Kamailio UDP receivers per listen socket
#   SE_CMP_KAM_SHM_MB=64        Kamailio shared memory (-m)
#   SE_CMP_KAM_PKG_MB=8         Kamailio private memory per process (-M)
#   SE_CMP_TRIES=2              tries of a rate before it counts as failed
#   SE_CMP_GIVE_UP=1            failed rates in a row before a balancer stops
#   SE_CMP_IDLE_SECONDS=2       idle measurement before each step's calls
#   SE_CMP_KEEP=1               keep the work directory (logs, CSVs, SIPp rtt
#                               files: some 400 MB for a whole run)
#   SE_NS_PREFIX=cmp-           namespace names (scripts/netns.sh)

cmp_rates=${SE_CMP_RATES:-"500 1000 2000 4000 6000 8000 10000 12000 16000 20000"}
cmp_secs=${SE_CMP_SECONDS:-10}
cmp_balancers=${SE_CMP_BALANCERS:-"sipedge kamailio sipedge-busy sipedge-ring"}
cmp_hold=${SE_CMP_HOLD_MS:-100}
cmp_children=${SE_CMP_KAM_CHILDREN:-2}
cmp_shm=${SE_CMP_KAM_SHM_MB:-64}
cmp_pkg=${SE_CMP_KAM_PKG_MB:-8}
cmp_give_up=${SE_CMP_GIVE_UP:-1}
cmp_idle_secs=${SE_CMP_IDLE_SECONDS:-2}
cmp_tries=${SE_CMP_TRIES:-2}
cmp_ring_frames=${SE_CMP_RING_FRAMES:-8192}
cmp_sockbuf=8388608
cmp_msgs_per_call=6
export SE_NS_PREFIX=${SE_NS_PREFIX:-cmp-}

[ "$(id -u)" -eq 0 ] || se_die "compare makes network namespaces: run it as root"
command -v sipp >/dev/null || se_die "no sipp (apt-get install sip-tester)"
command -v kamailio >/dev/null || se_die "no kamailio (apt-get install kamailio)"
cmp_sipedge="$SE_BENCH_BUILD/app/sipedge/sipedge"
[ -x "$cmp_sipedge" ] || se_die "no $cmp_sipedge"
cmp_netns="$SE_ROOT/scripts/netns.sh"
cmp_scen="$SE_ROOT/test/e2e/sipp"
cmp_kam_tmpl="$SE_ROOT/scripts/bench/compare/kamailio.cfg"
cmp_kam_mpath=/usr/lib/x86_64-linux-gnu/kamailio/modules
if [ ! -d "$cmp_kam_mpath" ]; then
	cmp_kam_mpath=$(dirname "$(dpkg -L kamailio | grep '/dispatcher\.so$' | head -n 1)")
fi
cmp_hz=$(getconf CLK_TCK)
# health probes off where sipedge has them: Kamailio here does not probe
# either (ds_ping_interval 0), and every backend is up from the start
cmp_se_opts=()
if "$cmp_sipedge" --help 2>&1 | grep -q -- '--probe-off'; then
	cmp_se_opts+=(--probe-off)
fi
eval "$("$cmp_netns" env)"
read -ra cmp_bes <<<"$SE_BE_IPS"

cmp_work=$(mktemp -d /tmp/se-compare.XXXXXX)
cmp_prefix="se-cmp-$$"
cmp_bal_pid=
cmp_uac_pid=
cmp_rmem_old=
cmp_wmem_old=

cmp_cleanup() {
	[ -z "$cmp_uac_pid" ] || kill "$cmp_uac_pid" 2>/dev/null || true
	[ -z "$cmp_bal_pid" ] || kill -TERM "$cmp_bal_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	"$cmp_netns" down || true
	[ -z "$cmp_rmem_old" ] || sysctl -q -w "net.core.rmem_max=$cmp_rmem_old" >/dev/null || true
	[ -z "$cmp_wmem_old" ] || sysctl -q -w "net.core.wmem_max=$cmp_wmem_old" >/dev/null || true
	rm -rf "/var/run/dpdk/$cmp_prefix"
	if [ -n "${SE_CMP_KEEP:-}" ]; then
		echo "work directory kept: $cmp_work" >&2
	else
		rm -rf "$cmp_work"
	fi
}
trap cmp_cleanup EXIT
trap 'exit 130' INT TERM

# ---- socket buffer limits (global, not per namespace): raised, restored at exit ----
cmp_v=$(sysctl -n net.core.rmem_max)
if [ "$cmp_v" -lt "$cmp_sockbuf" ]; then
	cmp_rmem_old=$cmp_v
	sysctl -q -w "net.core.rmem_max=$cmp_sockbuf" >/dev/null
fi
cmp_v=$(sysctl -n net.core.wmem_max)
if [ "$cmp_v" -lt "$cmp_sockbuf" ]; then
	cmp_wmem_old=$cmp_v
	sysctl -q -w "net.core.wmem_max=$cmp_sockbuf" >/dev/null
fi

"$cmp_netns" down
"$cmp_netns" up

# ---- measuring ----

# cmp_ticks NS: "UTIME STIME" (clock ticks) summed over every process in namespace NS
cmp_ticks() {
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do
		cat "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ sub(/^.*\) /, ""); u += $12; s += $13 } END { print u + 0, s + 0 }'
}

# cmp_pid_ticks PID: utime+stime of one process (empty if it is gone)
cmp_pid_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || true
}

# cmp_pct TICKS MS: TICKS of CPU time over MS milliseconds of wall time, in % of one core
cmp_pct() {
	awk -v d="$1" -v hz="$cmp_hz" -v w="$2" 'BEGIN { printf "%.0f", (w > 0 ? 1e5 * d / hz / w : 0) }'
}

# cmp_cpu_idle: "IDLE TOTAL" jiffies of the whole machine
cmp_cpu_idle() {
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print $5 + $6, t }' /proc/stat
}

# cmp_udp_errors NS: UDP InErrors in namespace NS (full receive buffers)
cmp_udp_errors() {
	# shellcheck disable=SC2016
	ip netns exec "$1" awk '/^Udp:/ { if (h) { print $4; exit } h = 1 }' /proc/net/snmp
}

# cmp_stat FILE COLUMN: the last value of a SIPp statistics column
cmp_stat() {
	awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		c { v = $c } END { print (v == "" ? 0 : v) }' "$1" 2>/dev/null || echo 0
}

# cmp_rtt FILE: "MEAN_MS P99_MS RATE" from SIPp's -trace_rtt file
# (Date_ms;response_time_ms;rtd_no, one line per call): the mean and 99th
# percentile INVITE-to-200 time, and the rate at which the 200 OKs came in
# (SIPp's own mean in its statistics file is rounded down to whole ms)
cmp_rtt() {
	if [ -z "$1" ] || [ ! -s "$1" ]; then
		echo "- - 0"
		return
	fi
	awk -F';' 'NR > 1 && $3 == 1 {
			n++; v = int($2); c[v]++; s += $2; if (v > m) m = v
			if (n == 1 || $1 < lo) lo = $1
			if (n == 1 || $1 > hi) hi = $1
		}
		END {
			if (n < 2) { print "- - 0"; exit }
			want = int(n * 0.99); if (want < 1) want = 1
			for (v = 0; v <= m; v++) { k += c[v]; if (k >= want) break }
			printf "%.2f %d %.0f\n", s / n, v, (hi > lo ? (n - 1) * 1000 / (hi - lo) : 0)
		}' "$1"
}

# ---- the balancers ----

# cmp_if_rx: frames received by the kernel on the edge's two veth ends
cmp_if_rx() {
	local i t=0 v
	for i in "$SE_IF_EXT" "$SE_IF_INT"; do
		v=$(ip netns exec "$SE_NS_EDGE" cat "/sys/class/net/$i/statistics/rx_packets")
		t=$((t + v))
	done
	echo "$t"
}

# cmp_start_sipedge IDLE_SLEEP_US [AF_PACKET_ARGS]
cmp_start_sipedge() {
	local args=() b
	for b in "${cmp_bes[@]}"; do args+=(--backend "$b:5060"); done
	ip -n "$SE_NS_EDGE" addr flush dev "$SE_IF_EXT"
	ip -n "$SE_NS_EDGE" addr flush dev "$SE_IF_INT"
	cmp_if_rx0=$(cmp_if_rx)
	# there before the background job opens them: the wait below reads one
	: >"$cmp_step_dir/sipedge.out"
	: >"$cmp_step_dir/sipedge.err"
	ip netns exec "$SE_NS_EDGE" timeout "$cmp_bound" "$cmp_sipedge" -l 0,1 --no-huge -m 512 \
		--no-pci --file-prefix="$cmp_prefix" \
		--vdev "net_af_packet0,iface=$SE_IF_EXT${2:-}" \
		--vdev "net_af_packet1,iface=$SE_IF_INT${2:-}" -- \
		--port "0,ip=$SE_EDGE_EXT_IP/$SE_PREFIX" --port "1,ip=$SE_EDGE_INT_IP/$SE_PREFIX" \
		"${args[@]}" "${cmp_se_opts[@]}" --stats-interval 0 --idle-sleep-us "$1" \
		>"$cmp_step_dir/sipedge.out" 2>"$cmp_step_dir/sipedge.err" &
	cmp_bal_pid=$!
	for _ in $(seq 1 150); do
		grep -q "worker(s) running" "$cmp_step_dir/sipedge.err" && return 0
		kill -0 "$cmp_bal_pid" 2>/dev/null || break
		sleep 0.2
	done
	tail -n 20 "$cmp_step_dir/sipedge.err" >&2
	se_die "sipedge did not start"
}

cmp_stop_sipedge() {
	kill -INT "$cmp_bal_pid" 2>/dev/null || true
	wait "$cmp_bal_pid" 2>/dev/null || true
	cmp_bal_pid=
	rm -rf "/var/run/dpdk/$cmp_prefix"
	cmp_note_drops=$(sed -n '/^counters:/,/^end/p' "$cmp_step_dir/sipedge.out" |
		grep -E '^(drop_|sip_parse_)' | grep -v '=0$' | tr '\n' ',' | sed 's/,$//' || true)
	# frames the kernel received on the veth ends that never reached sipedge:
	# its packet rings were full (sipedge does not count these itself)
	local rx
	rx=$(sed -n '/^counters:/,/^end/s/^rx_packets=//p' "$cmp_step_dir/sipedge.out")
	cmp_ring_miss=$(( $(cmp_if_rx) - cmp_if_rx0 - ${rx:-0} ))
}

cmp_start_kamailio() {
	local b n want
	: >"$cmp_work/dispatcher.list"
	for b in "${cmp_bes[@]}"; do echo "1 sip:$b:5060" >>"$cmp_work/dispatcher.list"; done
	sed -e "s|@CHILDREN@|$cmp_children|g; s|@SOCKBUF@|$cmp_sockbuf|g" \
		-e "s|@EXT_IP@|$SE_EDGE_EXT_IP|g; s|@INT_IP@|$SE_EDGE_INT_IP|g; s|@SIP_PORT@|5060|g" \
		-e "s|@MPATH@|$cmp_kam_mpath|g; s|@DS_LIST@|$cmp_work/dispatcher.list|g" \
		"$cmp_kam_tmpl" >"$cmp_work/kamailio.cfg"
	ip -n "$SE_NS_EDGE" addr replace "$SE_EDGE_EXT_IP/$SE_PREFIX" dev "$SE_IF_EXT"
	ip -n "$SE_NS_EDGE" addr replace "$SE_EDGE_INT_IP/$SE_PREFIX" dev "$SE_IF_INT"
	mkdir -p "$cmp_work/kamailio-run"
	ip netns exec "$SE_NS_EDGE" timeout "$cmp_bound" kamailio -DD -E -x tlsf -X tlsf \
		-m "$cmp_shm" -M "$cmp_pkg" -f "$cmp_work/kamailio.cfg" -Y "$cmp_work/kamailio-run" \
		-P "$cmp_work/kamailio-run/kamailio.pid" -w "$cmp_work" \
		>"$cmp_step_dir/kamailio.log" 2>&1 &
	cmp_bal_pid=$!
	# main, the UDP receivers (children per socket, two sockets), timers
	want=$((2 * cmp_children + 3))
	for _ in $(seq 1 150); do
		n=$(for p in $(ip netns pids "$SE_NS_EDGE"); do cat "/proc/$p/comm" 2>/dev/null; done |
			grep -c '^kamailio$' || true)
		if [ "$n" -ge "$want" ]; then
			sleep 0.5
			return 0
		fi
		kill -0 "$cmp_bal_pid" 2>/dev/null || break
		sleep 0.2
	done
	tail -n 20 "$cmp_step_dir/kamailio.log" >&2
	se_die "kamailio did not start"
}

cmp_stop_kamailio() {
	local p
	kill -TERM "$cmp_bal_pid" 2>/dev/null || true
	wait "$cmp_bal_pid" 2>/dev/null || true
	cmp_bal_pid=
	for _ in $(seq 1 50); do
		p=$(ip netns pids "$SE_NS_EDGE" 2>/dev/null || true)
		[ -z "$p" ] && break
		sleep 0.1
	done
	# shellcheck disable=SC2086 # a list of PIDs
	[ -z "$p" ] || kill -9 $p 2>/dev/null || true
	ip -n "$SE_NS_EDGE" addr flush dev "$SE_IF_EXT"
	ip -n "$SE_NS_EDGE" addr flush dev "$SE_IF_INT"
}

# ---- SIPp ----

cmp_start_uas() {
	local i pid
	for i in "${!cmp_bes[@]}"; do
		(cd "$cmp_step_dir" && ip netns exec "$SE_NS_BE" timeout "$cmp_bound" sipp \
			-sf "$cmp_scen/uas.xml" -i "${cmp_bes[$i]}" -p 5060 -bg -nostdin -aa \
			-buff_size "$cmp_sockbuf" -timeout "${cmp_bound}s" \
			-trace_stat -stf "$cmp_step_dir/be$i.csv" -fd 1 \
			-trace_err -error_file "$cmp_step_dir/be$i.err" >"$cmp_step_dir/be$i.log" 2>&1) ||
			true
		# -bg: the parent's exit status says nothing; the daemon prints its PID
		pid=$(sed -n 's/^Background mode - PID=\[\([0-9]*\)\].*/\1/p' "$cmp_step_dir/be$i.log")
		if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
			se_die "SIPp backend ${cmp_bes[$i]} did not start: $(head -c 300 "$cmp_step_dir/be$i.log")"
		fi
	done
}

cmp_stop_uas() {
	local p
	p=$(ip netns pids "$SE_NS_BE" 2>/dev/null || true)
	# shellcheck disable=SC2086 # a list of PIDs
	[ -z "$p" ] || kill -TERM $p 2>/dev/null || true
	for _ in $(seq 1 50); do
		p=$(ip netns pids "$SE_NS_BE" 2>/dev/null || true)
		[ -z "$p" ] && return 0
		sleep 0.1
	done
	# shellcheck disable=SC2086 # a list of PIDs
	kill -9 $p 2>/dev/null || true
}

# cmp_run_uac RATE CALLS: the client, in the background; sets cmp_uac_ticks (its CPU)
cmp_run_uac() {
	local rate=$1 calls=$2 limit pid t
	# open calls: rate x (hold + response time) when all is well; one second's
	# worth bounds an overload (SIPp then slows down: "short")
	limit=$((rate > 1000 ? rate : 1000))
	limit=$((limit > 15000 ? 15000 : limit))
	(cd "$cmp_step_dir" && exec ip netns exec "$SE_NS_CLI" timeout "$cmp_bound" sipp \
		"$SE_EDGE_EXT_IP:5060" -sf "$cmp_scen/uac.xml" -i "$SE_CLI_IP" -p 5070 \
		-r "$rate" -m "$calls" -l "$limit" -d "$cmp_hold" -buff_size "$cmp_sockbuf" \
		-recv_timeout 8000 -timeout "$((cmp_secs + 40))s" -pause_msg_ign -nostdin \
		-trace_stat -stf "$cmp_step_dir/uac.csv" -fd 1 -trace_rtt -rtt_freq 1 \
		-trace_err -error_file "$cmp_step_dir/uac.err" >"$cmp_step_dir/uac.log" 2>&1) &
	cmp_uac_pid=$!
	cmp_uac_ticks=0
	pid=
	# the last reading before SIPp exits: lost at most 0.2 s of its CPU, at the quiet end
	while kill -0 "$cmp_uac_pid" 2>/dev/null; do
		[ -n "$pid" ] || pid=$(pgrep -P "$cmp_uac_pid" -x sipp 2>/dev/null | head -n 1 || true)
		if [ -n "$pid" ]; then
			t=$(cmp_pid_ticks "$pid")
			[ -z "$t" ] || cmp_uac_ticks=$t
		fi
		sleep 0.2
	done
	wait "$cmp_uac_pid" 2>/dev/null || true
	cmp_uac_pid=
}

# ---- one step ----

cmp_results="$cmp_work/results"
cmp_seq=0
: >"$cmp_results"
cmp_fmt='%-12s %5s %7s %6s %6s %7s %7s %5s %7s %8s %6s %4s %4s %5s %4s %4s %6s %5s  %s\n'

# cmp_us TICKS N: TICKS of CPU time per N things, in microseconds
cmp_us() {
	awk -v d="$1" -v hz="$cmp_hz" -v n="$2" \
		'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "-" }'
}

# cmp_step BALANCER RATE: one measurement; appends a line to $cmp_results,
# prints a table row, returns 0 if the rate passed
cmp_step() {
	local bal=$1 rate=$2 calls t0 t1 b0 b1 i0 i1 u0 u1 wall ok failed fpct rt p99 reached
	local base base_ms net us_call us_msg bal_pct base_pct uac_pct idle notes pass
	local bu0 bs0 bu1 bs1 bu2 bs2 eu0 es0 eu1 es1 be be_pct other_pct sys_pct
	calls=$((rate * cmp_secs))
	cmp_seq=$((cmp_seq + 1))
	cmp_step_dir="$cmp_work/$cmp_seq-$bal-$rate"
	mkdir -p "$cmp_step_dir"
	cmp_note_drops=
	cmp_ring_miss=0
	# fresh neighbour caches: a fresh sipedge learns the client from its ARP request
	ip -n "$SE_NS_CLI" neigh flush dev "$SE_IF_CLI" 2>/dev/null || true
	ip -n "$SE_NS_BE" neigh flush dev "$SE_IF_BE" 2>/dev/null || true
	case "$bal" in
	sipedge) cmp_start_sipedge 50 ;;
	sipedge-busy) cmp_start_sipedge 0 ;;
	sipedge-ring) cmp_start_sipedge 50 ",framecnt=$cmp_ring_frames" ;;
	kamailio) cmp_start_kamailio ;;
	esac
	cmp_start_uas
	ip netns exec "$SE_NS_CLI" ping -c 1 -W 2 "$SE_EDGE_EXT_IP" >/dev/null 2>&1 ||
		echo "warning: the client cannot ping the edge ($bal)" >&2
	sleep 0.3

	# the balancer's own cost with no traffic (idle polling, timers)
	base_ms=$(date +%s%N)
	read -r bu0 bs0 < <(cmp_ticks "$SE_NS_EDGE")
	sleep "$cmp_idle_secs"
	read -r bu1 bs1 < <(cmp_ticks "$SE_NS_EDGE")
	read -r eu0 es0 < <(cmp_ticks "$SE_NS_BE")
	wall=$(date +%s%N)
	base_ms=$(( (wall - base_ms) / 1000000 ))
	base=$((bu1 + bs1 - bu0 - bs0))
	read -r i0 t0 < <(cmp_cpu_idle)
	u0=$(cmp_udp_errors "$SE_NS_EDGE")
	cmp_run_uac "$rate" "$calls"
	wall=$(( ($(date +%s%N) - wall) / 1000000 ))
	read -r bu2 bs2 < <(cmp_ticks "$SE_NS_EDGE")
	read -r eu1 es1 < <(cmp_ticks "$SE_NS_BE")
	read -r i1 t1 < <(cmp_cpu_idle)
	u1=$(cmp_udp_errors "$SE_NS_EDGE")
	b0=$((bu1 + bs1))
	b1=$((bu2 + bs2))
	be=$((eu1 + es1 - eu0 - es0))

	cmp_stop_uas
	case "$bal" in
	sipedge*) cmp_stop_sipedge ;;
	kamailio) cmp_stop_kamailio ;;
	esac

	ok=$(cmp_stat "$cmp_step_dir/uac.csv" "SuccessfulCall(C)")
	failed=$((calls - ok))
	fpct=$(awk -v f="$failed" -v n="$calls" 'BEGIN { printf "%.2f", 100 * f / n }')
	read -r rt p99 reached < <(cmp_rtt "$(find "$cmp_step_dir" -maxdepth 1 \
		-name 'uac_*_rtt.csv' | head -n 1)")
	# one line per call: tens of MB per step at high rates
	[ -n "${SE_CMP_KEEP:-}" ] || rm -f "$cmp_step_dir"/uac_*_rtt.csv
	us_call=$(cmp_us "$((b1 - b0))" "$ok")
	us_msg=$(cmp_us "$((b1 - b0))" "$((ok * cmp_msgs_per_call))")
	# CPU per call above the idle cost (the idle rate over the same wall time)
	net=$(awk -v d="$((b1 - b0))" -v b="$base" -v bm="$base_ms" -v w="$wall" -v hz="$cmp_hz" \
		-v n="$ok" 'BEGIN { x = (n > 0 && bm > 0) ? (d - b * w / bm) * 1e6 / hz / n : -1
			if (x >= 0) printf "%.1f", x; else print "-" }')
	bal_pct=$(cmp_pct "$((b1 - b0))" "$wall")
	base_pct=$(cmp_pct "$base" "$base_ms")
	uac_pct=$(cmp_pct "$cmp_uac_ticks" "$wall")
	be_pct=$(cmp_pct "$be" "$wall")
	# the machine's busy time that is none of ours: other work on the machine
	other_pct=$(cmp_pct "$(( (t1 - t0) - (i1 - i0) - (b1 - b0) - be - cmp_uac_ticks ))" "$wall")
	[ "$other_pct" -ge 0 ] || other_pct=0
	sys_pct=$(awk -v s="$((bs2 - bs1))" -v t="$((b1 - b0))" \
		'BEGIN { printf "%.0f", (t > 0 ? 100 * s / t : 0) }')
	idle=$(awk -v i="$((i1 - i0))" -v t="$((t1 - t0))" \
		'BEGIN { printf "%.0f", (t > 0 ? 100 * i / t : 0) }')
	notes=
	[ "$uac_pct" -lt 85 ] || notes+="client-bound "
	[ "$idle" -ge 5 ] || notes+="cpu-full "
	awk -v r="$reached" -v w="$rate" 'BEGIN { exit !(r < 0.95 * w) }' && notes+="short "
	[ -z "$cmp_note_drops" ] || notes+="drops:$cmp_note_drops "
	[ "$((u1 - u0))" -eq 0 ] || notes+="udp_err=$((u1 - u0)) "
	[ "$cmp_ring_miss" -le 0 ] || notes+="ring_miss=$cmp_ring_miss "
	pass=0
	if [ "$((failed * 1000))" -lt "$calls" ] &&
		awk -v r="$reached" -v w="$rate" 'BEGIN { exit !(r >= 0.95 * w) }'; then
		pass=1
	fi
	# shellcheck disable=SC2059
	printf "$cmp_fmt" "$bal" "$rate" "$ok" "$failed" "$fpct" "$reached" "$rt" "$p99" \
		"$us_call" "$net" "$us_msg" "$sys_pct" "$bal_pct" "$base_pct" "$uac_pct" "$be_pct" \
		"$other_pct" "$idle" "$notes"
	echo "$bal $rate $ok $failed $fpct $reached $rt $p99 $us_call $net $us_msg $sys_pct" \
		"$bal_pct $base_pct $uac_pct $be_pct $other_pct $idle $pass ${notes// /;}" \
		>>"$cmp_results"
	[ "$pass" -eq 1 ]
}

# ---- the run ----

# every process of a step lives at most this long (seconds)
cmp_bound=$((cmp_secs + 90))
se_log "compare: balancers: $cmp_balancers; rates: $cmp_rates calls/s;" \
	"${cmp_secs}s of calls per step, hold ${cmp_hold} ms; kamailio: children=$cmp_children" \
	"per socket (2 sockets), -m $cmp_shm -M $cmp_pkg, -x tlsf; namespaces ${SE_NS_PREFIX}*"
# shellcheck disable=SC2059
printf "$cmp_fmt" balancer rate ok failed fail% reached rt_ms p99ms us/call net/call us/msg \
	sys% bal% base% uac% be% other% idle% notes
declare -A cmp_fails=()
read -ra cmp_order <<<"$cmp_balancers"
for b in "${cmp_order[@]}"; do cmp_fails[$b]=0; done
cmp_flip=0
for rate in $cmp_rates; do
	cmp_now=("${cmp_order[@]}")
	if [ "$cmp_flip" -eq 1 ]; then
		cmp_now=()
		for ((k = ${#cmp_order[@]} - 1; k >= 0; k--)); do cmp_now+=("${cmp_order[$k]}"); done
	fi
	cmp_flip=$((1 - cmp_flip))
	cmp_any=0
	for b in "${cmp_now[@]}"; do
		[ "${cmp_fails[$b]}" -lt "$cmp_give_up" ] || continue
		cmp_any=1
		cmp_passed=0
		for ((try = 1; try <= cmp_tries; try++)); do
			if cmp_step "$b" "$rate"; then
				cmp_passed=1
				break
			fi
		done
		if [ "$cmp_passed" -eq 1 ]; then
			cmp_fails[$b]=0
		else
			cmp_fails[$b]=$((cmp_fails[$b] + 1))
		fi
	done
	[ "$cmp_any" -eq 1 ] || break
done

# ---- summary: the highest passing rate of each balancer ----
# results columns: 1 balancer, 2 rate, 9 us/call, 19 pass, 20 notes
echo
echo "conditions: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
	"sipedge -l 0,1 (1 worker) on net_af_packet; kamailio $cmp_children UDP receivers per socket" \
	"x 2 sockets; rt: SIPp ResponseTime1 (1 ms clock)"
cmp_summary="compare:"
cmp_sep=" "
for b in "${cmp_order[@]}"; do
	line=$(awk -v b="$b" '$1 == b && $19 == 1 { if ($2 + 0 > best + 0) { best = $2; l = $0 } }
		END { print l }' "$cmp_results")
	r=0 uc=
	if [ -n "$line" ]; then
		read -r _ r _ _ _ _ _ _ uc _ <<<"$line"
		cmp_summary+="$cmp_sep$b $r calls/s ($uc us CPU/call"
	else
		cmp_summary+="$cmp_sep$b <$(echo "$cmp_rates" | awk '{ print $1 }') calls/s ("
	fi
	# why the next rate up failed, when a reason is known
	why=$(awk -v b="$b" -v r="$r" '$1 == b && $2 + 0 > r + 0 && $19 == 0 {
			if (n == "") n = $2; if ($2 == n) w = w ";" $20 }
		END { print w }' "$cmp_results" | tr ';' '\n' | grep -E '^(client-bound|cpu-full)$' |
		sort -u | tr '\n' ' ' | sed 's/ $//; s/ /+/g' || true)
	[ -z "$why" ] || cmp_summary+="${uc:+, }above: $why"
	cmp_summary+=")"
	cmp_sep=", "
done
echo "${cmp_summary// ()/}"
