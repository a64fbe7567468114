#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The one entry point for every benchmark: scripts/bench.sh NAME [ARGS...].
# Each NAME is scripts/bench/NAME.sh; it builds what it needs with
# optimisation (build-bench/), prints its figures and ends with one summary line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 NAME [ARGS...]   (NAME: $(cd "$SE_ROOT/scripts/bench" && ls *.sh | sed 's/\.sh$//' | tr '\n' ' '))"
}
[ $# -ge 1 ] || { usage >&2; exit 2; }
name=$1; shift
[ -f "$SE_ROOT/scripts/bench/$name.sh" ] || { usage >&2; exit 2; }

se_install_packages
se_build build-bench -Dbuildtype=release -Db_lto=true -Dc_args=-march=native
SE_BENCH_BUILD="$SE_ROOT/build-bench"
export SE_BENCH_BUILD

# se_bench_memory PREFIX...: memory for the replay benchmarks. 2 MB hugepages
# if they can be had (512 asked for, the previous setting restored at exit),
# else --no-huge. Sets SE_BENCH_MEM (EAL arguments) and SE_BENCH_MEMNOTE (what
# was chosen, for the output); at exit also removes the EAL runtime
# directories /var/run/dpdk/PREFIX of the runs.
SE_BENCH_PREFIXES=()
se_bench_hp=/sys/kernel/mm/hugepages/hugepages-2048kB
se_bench_hp_old=
se_bench_restore() {
	local p
	for p in "${SE_BENCH_PREFIXES[@]}"; do rm -rf "/var/run/dpdk/$p"; done
	if [ -n "$se_bench_hp_old" ]; then
		echo "$se_bench_hp_old" >"$se_bench_hp/nr_hugepages" 2>/dev/null || true
	fi
}
se_bench_memory() {
	SE_BENCH_PREFIXES+=("$@")
	SE_BENCH_MEM=(--no-huge -m 1024)
	SE_BENCH_MEMNOTE="no hugepages: --no-huge -m 1024"
	trap se_bench_restore EXIT
	[ -w "$se_bench_hp/nr_hugepages" ] || return 0
	[ -n "$se_bench_hp_old" ] || se_bench_hp_old=$(cat "$se_bench_hp/nr_hugepages")
	if [ "$(cat "$se_bench_hp/nr_hugepages")" -lt 512 ]; then
		echo 512 >"$se_bench_hp/nr_hugepages" 2>/dev/null || true
	fi
	if ! grep -q hugetlbfs /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
	fi
	if grep -q hugetlbfs /proc/mounts && [ "$(cat "$se_bench_hp/free_hugepages")" -ge 320 ]; then
		SE_BENCH_MEM=(-m 640 --huge-unlink)
		SE_BENCH_MEMNOTE="2 MB hugepages: $(cat "$se_bench_hp/free_hugepages") free, -m 640"
	fi
}

# The edge of the replay benchmarks (forward, churn, guard): both ports, the
# three backends' neighbours static, busy polling, no periodic counters.
SE_BENCH_EDGE=(--port 0,ip=203.0.113.1/24 --port 1,ip=198.51.100.1/24
	--neigh 198.51.100.11,02:00:00:00:00:11 --neigh 198.51.100.12,02:00:00:00:00:12
	--neigh 198.51.100.13,02:00:00:00:00:13
	--idle-sleep-us 0 --mbufs 32767 --stats-interval 0)
# Its three backends, up without probes: nothing answers OPTIONS in a replay,
# and a backend never probed is down.
SE_BENCH_BACKENDS=(--backend 198.51.100.11:5060 --backend 198.51.100.12:5060
	--backend 198.51.100.13:5060 --probe-off)

# se_bench_median: the median of the numbers on stdin, one per line (0 for none).
se_bench_median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }

# se_bench_ns MPPS: nanoseconds per packet at MPPS ("-" for 0).
se_bench_ns() { awk -v m="$1" 'BEGIN { if (m > 0) printf "%.1f", 1000 / m; else print "-" }'; }

. "$SE_ROOT/scripts/bench/$name.sh" "$@"
