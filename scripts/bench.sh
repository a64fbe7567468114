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
. "$SE_ROOT/scripts/bench/$name.sh" "$@"
