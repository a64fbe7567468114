# SPDX-License-Identifier: BSD-3-Clause
# Shared shell helpers for scripts/*.sh (sourced, not run).

SE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Every Debian package the project builds, tests, demos or benchmarks with.
SE_PACKAGES=(
	build-essential meson ninja-build pkg-config clang
	libdpdk-dev dpdk dpdk-dev libnuma-dev libjemalloc-dev libcriterion-dev
	libxxhash-dev libpcap-dev libmicrohttpd-dev
	sip-tester tshark iproute2 ethtool nftables kamailio sipvicious
	curl jq python3 procps
	iputils-ping
)

se_log() { printf '== %s\n' "$*" >&2; }
se_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install what is missing, non-interactively; a no-op when all is there.
se_install_packages() {
	local missing=() p
	for p in "${SE_PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	se_log "installing: ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	echo 'wireshark-common wireshark-common/install-setuid boolean false' |
		"${sudo[@]}" debconf-set-selections 2>/dev/null || true
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# se_build DIR [meson options...]: configure once, rebuild incrementally.
se_build() {
	local dir=$1; shift
	if [ ! -f "$SE_ROOT/$dir/build.ninja" ]; then
		meson setup "$SE_ROOT/$dir" "$SE_ROOT" "$@" >/dev/null
	else
		meson configure "$SE_ROOT/$dir" "$@" >/dev/null
	fi
	ninja -C "$SE_ROOT/$dir" >/dev/null
}
