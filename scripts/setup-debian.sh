#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing Starling needs.
# Idempotent: when everything is present it changes nothing and touches no network.
set -euo pipefail

# Build toolchain. clang-16 (not 14) builds the fuzz targets: clang 14 cannot compile
# libstdc++ 12's <expected>, which every parser returns.
build_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-16 libclang-rt-16-dev llvm-16 clang-tidy-16 clang-format-16
  nodejs npm # bundle the web UI (web/)
)
# Libraries the binary links (DESIGN.md, "Dependencies").
library_packages=(
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libc-ares-dev libsqlite3-dev libexpat1-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libsodium-dev
  libjemalloc-dev # the allocator of the starling program (src/app/CMakeLists.txt)
)
# Test frameworks and the real peers that integration tests start on loopback.
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-slixmpp sqlite3 openssl procps iproute2 nftables
  python3-aiohttp # slixmpp's HTTP file upload (XEP-0363) runs its PUT over it
  sip-tester baresip sipvicious coturn
  chrony dnsmasq # NTP and DNS peers of the doctor's and the trunk tests
  kamailio kamailio-tls-modules # the SIP provider of the trunk tests
  chromium # the web UI's end-to-end test, driven by playwright-core
)

wanted=("${build_packages[@]}" "${library_packages[@]}" "${test_packages[@]}")
missing=()
for package in "${wanted[@]}"; do
  # Node.js builds from elsewhere (e.g. NodeSource) bundle npm and conflict with Debian's.
  if [[ "$package" == "npm" ]] && command -v npm >/dev/null; then
    continue
  fi
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ((EUID != 0)); then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run this script as root (or install them with apt-get) and try again" >&2
  exit 1
fi

echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
