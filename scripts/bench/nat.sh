# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh nat: what the NAT step (lib/nat) adds to the SIP path of one
# message, --nat-detect none against the default tests (test/bench/bench_nat.c).
"$SE_BENCH_BUILD/test/bench/bench_nat"
