#!/usr/bin/env bash
# Builds the QuantLib peer harness into bench/peers/build/quantlib-bench (gitignored).
# Installs Debian's libquantlib0-dev with apt-get when it is missing and we are root.
# On failure, the last line on stderr says why (bench/run.ts prints it as "QuantLib peer unavailable: ...").
# Set VIXSHIELD_NO_APT=1 to never call apt-get.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(cd "$here/.." && pwd)/build"
mkdir -p "$out"

fail() {
  echo "$1" >&2
  exit 3
}

have_quantlib() {
  command -v quantlib-config >/dev/null 2>&1 && [ -f /usr/include/ql/quantlib.hpp ]
}

if ! have_quantlib; then
  if [ "${VIXSHIELD_NO_APT:-0}" = "1" ]; then
    fail "libquantlib0-dev is not installed (and VIXSHIELD_NO_APT=1)"
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    fail "libquantlib0-dev is not installed and apt-get is not available"
  fi
  if [ "$(id -u)" != "0" ]; then
    fail "libquantlib0-dev is not installed; run as root or: sudo apt-get install -y libquantlib0-dev"
  fi
  echo "installing libquantlib0-dev with apt-get ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y libquantlib0-dev >"$out/apt.log" 2>&1; then
    apt-get update >>"$out/apt.log" 2>&1 || true
    apt-get install -y libquantlib0-dev >>"$out/apt.log" 2>&1 ||
      fail "apt-get install libquantlib0-dev failed (see bench/peers/build/apt.log)"
  fi
  have_quantlib || fail "libquantlib0-dev installed but quantlib-config or ql/quantlib.hpp is missing"
fi

command -v g++ >/dev/null 2>&1 || fail "g++ is not installed (apt-get install -y g++)"

version="$(quantlib-config --version)"
# shellcheck disable=SC2046
g++ -O2 -std=c++17 -o "$out/quantlib-bench" "$here/bench.cpp" $(quantlib-config --cflags) \
  $(quantlib-config --libs) 2>"$out/compile.log" ||
  fail "g++ failed to compile bench/peers/quantlib/bench.cpp (see bench/peers/build/compile.log)"

{
  echo "quantlib $version"
  echo "package libquantlib0-dev $(dpkg-query -W -f='${Version}' libquantlib0-dev 2>/dev/null || echo unknown)"
  echo "compiler $(g++ --version | head -n 1)"
  echo "flags -O2 -std=c++17 $(quantlib-config --cflags) $(quantlib-config --libs)"
} >"$out/quantlib-version.txt"
echo "built $out/quantlib-bench against QuantLib $version" >&2
