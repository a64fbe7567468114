#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job, on one machine: network namespaces for a client, the edge and
# three backends (scripts/netns.sh); sipedge on two veth ports through DPDK's
# net_af_packet; three SIPp backends (uas); a SIPp client making CALLS calls
# (default 1000) at RATE calls/s (default 100) through the edge; then a
# per-backend summary. Installs what is missing and builds first; removes the
# namespaces when it ends, however it ends. Needs root.
#   CALLS=2000 RATE=200 scripts/demo.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || se_die "the demo makes network namespaces: run it as root"
se_install_packages
se_log "building (build/)"
se_build build -Dbuildtype=release
se_log "${CALLS:=1000} calls at ${RATE:=100} calls/s through sipedge"
CALLS=$CALLS RATE=$RATE exec bash "$SE_ROOT/test/e2e/sipp_calls.sh" \
	"$SE_ROOT/build/app/sipedge/sipedge" calls
