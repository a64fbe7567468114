# SPDX-License-Identifier: BSD-3-Clause
# Parse benchmark (sourced by scripts/bench.sh): se_sip_parse() to a full header
# index for a ~900-byte INVITE with SDP and a ~400-byte BYE; median of 5 runs.
"$SE_BENCH_BUILD/test/bench/bench_parse"
