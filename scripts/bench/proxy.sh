# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh proxy: the SIP part of the proxy path (parse, decide, edit)
# on the replay benchmark's traffic, without I/O (test/bench/bench_proxy.c).
# Ends with the line "proxy: N ns/message".
bench_pcap="$SE_BENCH_BUILD/bench/calls-12000.pcap"
mkdir -p "$SE_BENCH_BUILD/bench"
[ -s "$bench_pcap" ] ||
	python3 "$SE_ROOT/test/bench/gen_sip_pcap.py" --count 12000 --out "$bench_pcap"
"$SE_BENCH_BUILD/test/bench/bench_proxy" "$bench_pcap"
