# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh churn: zero-loss table pushes under the replay load.
#
# The replay benchmark of scripts/bench/forward.sh in proxy mode (a pcap of
# distinct SIP datagrams replayed with net_pcap infinite_rx into ONE busy
# worker, out to net_null; three backends, probes off) runs in two modes
# that alternate, SE_BENCH_RUNS runs of SE_BENCH_SECONDS each:
#   still  the backend table is published once, at startup;
#   churn  the control core also rebuilds the table and publishes it every
#          SE_CHURN_US microseconds (1000: every millisecond; sipedge
#          --bench-churn-us), flipping the first backend's weight so each
#          table differs from the one before: build, atomic store, RCU grace
#          period, free (poisoned) while the worker looks up every packet.
# Printed side by side: Mpps (tx_packets over the worker's receive window),
# Mpps per second of CPU the worker thread got (what a dedicated core would
# do: on a shared box a preempted worker loses wall time, not CPU time),
# tables published per second, and every drop reason with its count; then
# which drop reasons only the churn runs have (there should be none).
#
# Then the churn mode once more in an AddressSanitizer build (build-bench-asan:
# -Db_sanitize=address, -O2), which catches a worker reading a table after it
# was freed; it prints the number of AddressSanitizer reports (there should be
# none). SE_BENCH_ASAN=0 skips it. By hand:
#   meson setup build-bench-asan -Dbuildtype=debugoptimized -Db_sanitize=address
#   ninja -C build-bench-asan
#   build-bench-asan/app/sipedge/sipedge -l 0,1 --no-huge -m 1024 --no-pci \
#     --vdev net_pcap0,rx_pcap=PCAP,infinite_rx=1 --vdev net_null0,no-rx=1 -- \
#     --port 0,ip=203.0.113.1/24 --port 1,ip=198.51.100.1/24 --neigh ... \
#     --backend ... --probe-off --idle-sleep-us 0 --bench-churn-us 1000
#   (SIGINT to stop; the counters and any ASan report are on stdout/stderr)
# Sourced by scripts/bench.sh (SE_ROOT, SE_BENCH_BUILD set). Ends with the line
# "churn: X Mpps (still: Y Mpps, Z%; per worker CPU second W%), T tables/s, A ASan reports".

churn_runs=${SE_BENCH_RUNS:-3}
churn_secs=${SE_BENCH_SECONDS:-5}
churn_pkts=${SE_BENCH_PACKETS:-12000}
churn_us=${SE_CHURN_US:-1000}
churn_dir="$SE_BENCH_BUILD/bench"
churn_pcap="$churn_dir/calls-$churn_pkts.pcap"
churn_prefix="se-churn-$$"
mkdir -p "$churn_dir"
[ -s "$churn_pcap" ] ||
	python3 "$SE_ROOT/test/bench/gen_sip_pcap.py" --count "$churn_pkts" --out "$churn_pcap"

# ---- memory: 2 MB hugepages if they can be had, else --no-huge (scripts/bench.sh) ----
se_bench_memory "$churn_prefix" "$churn_prefix-asan"
churn_mem=("${SE_BENCH_MEM[@]}")
churn_memnote=$SE_BENCH_MEMNOTE

churn_args=("${SE_BENCH_EDGE[@]}" "${SE_BENCH_BACKENDS[@]}")

# churn_one BIN PREFIX MEM... -- EXTRA...: one run; prints "MPPS CPU_MPPS TABLES_PER_S DROPS":
# MPPS over the worker's receive window, CPU_MPPS over the CPU time the worker thread got
# (this box is shared: a preempted worker loses wall time, not CPU time), DROPS name=count of
# every non-zero drop counter or "none". stderr goes to $churn_dir/last.err.
churn_one() {
	local bin=$1 prefix=$2 mem=() out pid t cpu=0
	shift 2
	while [ "$1" != "--" ]; do mem+=("$1"); shift; done
	shift
	"$bin" -l 0,1 "${mem[@]}" --no-pci --file-prefix="$prefix" \
		--vdev "net_pcap0,rx_pcap=$churn_pcap,infinite_rx=1" --vdev "net_null0,no-rx=1" -- \
		"${churn_args[@]}" "$@" >"$churn_dir/last.out" 2>"$churn_dir/last.err" &
	pid=$!
	sleep "$churn_secs"
	# utime + stime of the worker thread, in clock ticks, just before it stops
	for t in /proc/$pid/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = rte-worker-1 ] &&
			cpu=$(awk '{ print $14 + $15 }' "$t/stat")
	done
	kill -INT "$pid" 2>/dev/null
	wait "$pid" || true
	out=$(cat "$churn_dir/last.out")
	awk -F= -v cpu="$cpu" -v hz="$(getconf CLK_TCK)" '
		/^rx_window_us=/ { w = $2 }
		/^counters:/ { c = 1 }
		c && /^tx_packets=/ { t = $2 }
		c && /^tables_published=/ { p = $2 }
		c && (/^drop_/ || /^sip_parse_/) && $2 > 0 { d = d $1 "=" $2 " " }
		END { printf "%.3f %.3f %.0f %s\n", (w > 0 ? t / w : 0),
			(cpu > 0 ? t / (cpu / hz) / 1e6 : 0), (w > 0 ? (p - 1) / (w / 1e6) : 0),
			(d == "" ? "none" : d) }' <<<"$out"
	# a run that moved nothing says why
	grep -q '^rx_window_us=[1-9]' <<<"$out" || tail -n 5 "$churn_dir/last.err" >&2
}

churn_bin="$SE_BENCH_BUILD/app/sipedge/sipedge"
se_log "churn bench: $churn_runs runs x ${churn_secs}s per mode, a table every $churn_us us," \
	"$churn_pkts datagrams, $churn_memnote"
churn_still=() churn_moving=() churn_still_cpu=() churn_moving_cpu=() churn_rate=()
churn_drops_still="" churn_drops_moving=""
for r in $(seq 1 "$churn_runs"); do
	read -r m c t d < <(churn_one "$churn_bin" "$churn_prefix" "${churn_mem[@]}" --)
	churn_still+=("$m")
	churn_still_cpu+=("$c")
	[ "$d" = none ] || churn_drops_still+=" $d"
	echo "run $r still: $m Mpps ($c Mpps per worker CPU second), drops: $d"
	read -r m c t d < <(churn_one "$churn_bin" "$churn_prefix" "${churn_mem[@]}" -- \
		--bench-churn-us "$churn_us")
	churn_moving+=("$m")
	churn_moving_cpu+=("$c")
	churn_rate+=("$t")
	[ "$d" = none ] || churn_drops_moving+=" $d"
	echo "run $r churn: $m Mpps ($c Mpps per worker CPU second), $t tables/s, drops: $d"
done
churn_still_med=$(printf '%s\n' "${churn_still[@]}" | se_bench_median)
churn_moving_med=$(printf '%s\n' "${churn_moving[@]}" | se_bench_median)
churn_still_cpu_med=$(printf '%s\n' "${churn_still_cpu[@]}" | se_bench_median)
churn_moving_cpu_med=$(printf '%s\n' "${churn_moving_cpu[@]}" | se_bench_median)
churn_rate_med=$(printf '%s\n' "${churn_rate[@]}" | se_bench_median)
# drop reasons seen only with churn
churn_new=""
for kv in $churn_drops_moving; do
	k=${kv%%=*}
	case " $churn_drops_still " in *" $k="*) ;; *) churn_new+=" $k" ;; esac
done
[ -z "$churn_new" ] || churn_new=$(printf '%s\n' $churn_new | sort -u | tr '\n' ' ')

# ---- the churn mode in an AddressSanitizer build ----
churn_asan="skipped (SE_BENCH_ASAN=0)"
churn_asan_n="-"
if [ "${SE_BENCH_ASAN:-1}" != 0 ]; then
	se_log "AddressSanitizer build (build-bench-asan) and one churn run"
	if se_build build-bench-asan -Dbuildtype=debugoptimized -Db_sanitize=address \
		-Dtests=disabled; then
		read -r m c t d < <(ASAN_OPTIONS=detect_leaks=0 churn_one \
			"$SE_ROOT/build-bench-asan/app/sipedge/sipedge" "$churn_prefix-asan" \
			--no-huge -m 1024 -- --bench-churn-us "$churn_us")
		churn_asan_n=$(grep -c 'ERROR: AddressSanitizer' "$churn_dir/last.err" || true)
		churn_asan="$m Mpps, $t tables/s, drops: $d; $churn_asan_n AddressSanitizer reports"
		[ "$churn_asan_n" -eq 0 ] || grep -A 20 -m 1 'ERROR: AddressSanitizer' "$churn_dir/last.err"
	else
		churn_asan="the build failed"
	fi
fi

churn_pct=$(awk -v a="$churn_moving_med" -v b="$churn_still_med" \
	'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
churn_cpu_pct=$(awk -v a="$churn_moving_cpu_med" -v b="$churn_still_cpu_med" \
	'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
echo "memory: $churn_memnote; medians of $churn_runs runs"
printf '%-8s %10s %16s %10s  %s\n' mode Mpps "Mpps/worker-CPU" tables/s "drop reasons (all runs)"
printf '%-8s %10s %16s %10s  %s\n' still "$churn_still_med" "$churn_still_cpu_med" 0 \
	"${churn_drops_still:- none}"
printf '%-8s %10s %16s %10s  %s\n' churn "$churn_moving_med" "$churn_moving_cpu_med" \
	"$churn_rate_med" "${churn_drops_moving:- none}"
echo "churn / still: $churn_pct% (per worker CPU second: $churn_cpu_pct%);" \
	"drop reasons only with churn: ${churn_new:-none}"
echo "asan churn run: $churn_asan"
churn_fmt='churn: %.2f Mpps (still: %.2f Mpps, %s%%; per worker CPU second %s%%),'
printf "$churn_fmt %s tables/s, %s ASan reports\n" \
	"$churn_moving_med" "$churn_still_med" "$churn_pct" "$churn_cpu_pct" "$churn_rate_med" \
	"$churn_asan_n"
