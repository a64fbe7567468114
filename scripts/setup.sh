#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install every system package sipedge needs (idempotent) and build it in build/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
se_install_packages
se_build build -Dbuildtype=release
se_log "built: $SE_ROOT/build"
