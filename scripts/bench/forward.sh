# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh forward: data-plane replay throughput of one worker.
#
# A pcap of distinct SIP datagrams (test/bench/gen_sip_pcap.py) is replayed
# with net_pcap infinite_rx into sipedge (-l 0,1: one control core, ONE
# worker, busy polling), transmitting to net_null (no-rx=1, so the worker
# polls nothing else), for SE_BENCH_SECONDS per run, in three modes:
#   proxy        the full SIP path: Ethernet/IPv4/UDP validation, parse,
#                Call-ID hash over 3 backends (Maglev), Via/Record-Route/
#                received insertion, Route removal, Max-Forwards, response
#                Via removal, UDP/IPv4/Ethernet rebuilt, checksums, TX;
#   l3           the same L2/L3/UDP path with the test stage (--forward-to:
#                no SIP parsing), to see what the SIP part costs;
#   passthrough  every frame sent back untouched: the I/O floor.
# The modes alternate, SE_BENCH_RUNS runs each; medians are reported. Mpps
# is tx_packets over the worker's receive window (first to last frame), both
# printed by sipedge at exit. dpdk-testpmd io forwarding over the same pcap
# runs once as a reference. Hugepages are used if they can be set up (the
# previous setting is restored at exit), --no-huge otherwise; it says which.
# Sourced by scripts/bench.sh (SE_ROOT, SE_BENCH_BUILD set). Ends with the
# line "forward: X Mpps, passthrough: Y Mpps" (X: the proxy mode).

bench_runs=${SE_BENCH_RUNS:-3}
bench_secs=${SE_BENCH_SECONDS:-5}
bench_pkts=${SE_BENCH_PACKETS:-12000}
bench_dir="$SE_BENCH_BUILD/bench"
bench_pcap="$bench_dir/calls-$bench_pkts.pcap"
bench_bin="$SE_BENCH_BUILD/app/sipedge/sipedge"
bench_prefix="se-bench-$$"
mkdir -p "$bench_dir"
[ -s "$bench_pcap" ] ||
	python3 "$SE_ROOT/test/bench/gen_sip_pcap.py" --count "$bench_pkts" --out "$bench_pcap"

# ---- memory: 2 MB hugepages if they can be had, else --no-huge (scripts/bench.sh) ----
se_bench_memory "$bench_prefix" "$bench_prefix-tp"
bench_mem=("${SE_BENCH_MEM[@]}")
bench_memnote=$SE_BENCH_MEMNOTE

bench_vdevs=(--vdev "net_pcap0,rx_pcap=$bench_pcap,infinite_rx=1" --vdev "net_null0,no-rx=1")

# bench_one MODE: one run, prints "MPPS DROPS" (DROPS: non-zero drop counters)
bench_one() {
	local out mode=(--mode forward)
	case "$1" in
	proxy) mode+=("${SE_BENCH_BACKENDS[@]}") ;;
	l3) mode+=(--forward-to 198.51.100.11:5060) ;;
	passthrough) mode=(--mode passthrough) ;;
	esac
	out=$(timeout -s INT "$bench_secs" "$bench_bin" -l 0,1 "${bench_mem[@]}" --no-pci \
		--file-prefix="$bench_prefix" "${bench_vdevs[@]}" -- \
		"${SE_BENCH_EDGE[@]}" "${mode[@]}" 2>/dev/null) || true
	awk -F= '
		/^rx_window_us=/ { w = $2 }
		/^counters:/ { c = 1 }
		c && /^tx_packets=/ { t = $2 }
		c && (/^drop_/ || /^sip_parse_/) && $2 > 0 { d = d $1 "=" $2 " " }
		END { printf "%.3f %s\n", (w > 0 ? t / w : 0), (d == "" ? "none" : d) }' <<<"$out"
}

se_log "forward bench: $bench_runs runs x ${bench_secs}s per mode, $bench_pkts datagrams, $bench_memnote"
bench_px=() bench_l3=() bench_pt=()
for r in $(seq 1 "$bench_runs"); do
	read -r m d < <(bench_one proxy)
	bench_px+=("$m")
	echo "run $r proxy:       $m Mpps ($(se_bench_ns "$m") ns/packet), drops: $d"
	read -r m d < <(bench_one l3)
	bench_l3+=("$m")
	echo "run $r l3:          $m Mpps ($(se_bench_ns "$m") ns/packet), drops: $d"
	read -r m d < <(bench_one passthrough)
	bench_pt+=("$m")
	echo "run $r passthrough: $m Mpps ($(se_bench_ns "$m") ns/packet), drops: $d"
done
bench_px_med=$(printf '%s\n' "${bench_px[@]}" | se_bench_median)
bench_l3_med=$(printf '%s\n' "${bench_l3[@]}" | se_bench_median)
bench_pt_med=$(printf '%s\n' "${bench_pt[@]}" | se_bench_median)

# ---- reference: dpdk-testpmd io forwarding, same pcap, same memory ----
bench_tp="n/a"
if command -v dpdk-testpmd >/dev/null; then
	bench_tp=$(timeout -s INT "$((bench_secs + 2))" dpdk-testpmd -l 0,1 "${bench_mem[@]}" --no-pci \
		--file-prefix="$bench_prefix-tp" "${bench_vdevs[@]}" -- --forward-mode=io \
		--nb-cores=1 --stats-period=1 --total-num-mbufs=32768 </dev/null 2>/dev/null |
		awk '/statistics for port/ { for (i = 1; i < NF; i++) if ($i == "port") p = $(i + 1) }
			p == "1" && /Tx-pps:/ && $2 > 0 { print $2 / 1e6 }' |
		tail -n +2 | se_bench_median) || true
fi

echo "memory: $bench_memnote"
echo "proxy       median: $bench_px_med Mpps ($(se_bench_ns "$bench_px_med") ns/packet)"
echo "l3          median: $bench_l3_med Mpps ($(se_bench_ns "$bench_l3_med") ns/packet)"
echo "passthrough median: $bench_pt_med Mpps ($(se_bench_ns "$bench_pt_med") ns/packet)"
echo "dpdk-testpmd io (reference, one run): $bench_tp Mpps ($(se_bench_ns "$bench_tp") ns/packet)"
awk -v a="$bench_px_med" -v b="$bench_pt_med" \
	'BEGIN { if (a > 0) printf "passthrough / proxy: %.2fx\n", b / a }'
printf 'forward: %.2f Mpps, passthrough: %.2f Mpps\n' "$bench_px_med" "$bench_pt_med"
