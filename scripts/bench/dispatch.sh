# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh dispatch: Maglev lookup (XXH3 of a 40-byte Call-ID + slot), the
# worker's whole dispatch path, in-dialog find, and table builds for 8, 64 and 1024
# backends. Sourced by scripts/bench.sh with SE_BENCH_BUILD set; ends with
# "dispatch: N ns/lookup".
bench=("$SE_BENCH_BUILD/test/bench/bench_dispatch")
# One core, away from core 0 when there is a choice, so the figures are steadier.
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
	bench=(taskset -c 1 "${bench[@]}")
fi
"${bench[@]}" "$@"
