#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Every test sipedge has, from a fresh Debian 12 machine: installs what is
# missing, then
#   1. unit tests (Criterion) in a debug build under AddressSanitizer and
#      UndefinedBehaviorSanitizer, warnings as errors;
#   2. a short bounded run of every libFuzzer target (clang), seeded with the corpus;
#   3. EAL, pcap golden and end-to-end (network namespaces, SIPp) tests on the
#      release build, warnings as errors.
# Ends with one line "tests: N passed, N failed". Exit status 0 only if all passed.
# SE_FUZZ_SECONDS (default 20) sets the length of each fuzz run.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$SE_ROOT"

se_install_packages || se_die "package installation failed"

passed=0
failed=0

# run_meson_tests DIR SUITE [TEST...]: run the suite (or only the named tests of
# it), add meson's counts to the totals.
run_meson_tests() {
	local dir=$1 suite=$2; shift 2
	local args=(--suite "$suite") out ok fail
	[ $# -eq 0 ] || args+=("$@")
	out=$(mktemp)
	meson test -C "$dir" "${args[@]}" --print-errorlogs --num-processes 2 2>&1 | tee "$out"
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	fail=$(awk '/^(Fail|Unexpected Pass|Timeout):/ { n += $2 } END { print n + 0 }' "$out")
	if grep -q 'No suitable tests defined' "$out"; then
		ok=0
	elif [ -z "$ok" ]; then
		# meson printed no summary: it failed before running anything
		fail=$((fail + 1)); ok=0
	fi
	passed=$((passed + ok)); failed=$((failed + fail))
	rm -f "$out"
}

se_log "unit tests (ASan + UBSan)"
if se_build build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Dwerror=true; then
	run_meson_tests build-asan unit
else
	se_log "sanitizer build failed"; failed=$((failed + 1))
fi

# The benchmarks build with -march=native, where the parser takes its AVX2 or
# AVX-512 paths: the parser's suites run on such a build too.
se_log "parser suites on a -march=native build (the vector paths this CPU has)"
if se_build build-native -Dbuildtype=release -Dc_args=-march=native -Dwerror=true; then
	run_meson_tests build-native unit sip_parse sip_decode sip_corpus
else
	se_log "native build failed"; failed=$((failed + 1))
fi

se_log "fuzz smoke runs"
if CC=clang se_build build-fuzz -Dbuildtype=debugoptimized -Dfuzz=true -Dwerror=true; then
	for f in "$SE_ROOT"/build-fuzz/test/fuzz/fuzz_*; do
		[ -f "$f" ] && [ -x "$f" ] || continue # skip meson's fuzz_*.p object dirs
		name=$(basename "$f")
		work=$(mktemp -d)
		if "$f" -max_total_time="${SE_FUZZ_SECONDS:-20}" -timeout=5 -rss_limit_mb=2048 \
			-print_final_stats=1 "$work" "$SE_ROOT/test/corpus/rfc4475" \
			>"$work.log" 2>&1; then
			se_log "$name: $(grep -E 'stat::number_of_executed_units' "$work.log" | awk '{print $2}') runs, no defect"
			passed=$((passed + 1))
		else
			tail -n 40 "$work.log"
			se_log "$name: FAILED"
			failed=$((failed + 1))
		fi
		rm -rf "$work" "$work.log"
	done
else
	se_log "fuzz build failed"; failed=$((failed + 1))
fi

se_log "EAL, golden and end-to-end tests (release build)"
if se_build build -Dbuildtype=release -Dwerror=true; then
	run_meson_tests build eal
	run_meson_tests build golden
	run_meson_tests build e2e
else
	se_log "release build failed"; failed=$((failed + 1))
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
