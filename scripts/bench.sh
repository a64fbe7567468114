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

. "$SE_ROOT/scripts/bench/$name.sh" "$@"
