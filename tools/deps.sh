#!/usr/bin/env bash
# Installs the Debian packages corotidy needs (idempotent: only what is missing).
# Usage: tools/deps.sh [llvm-major]          install (default 19; 22 also works)
#        tools/deps.sh --list [llvm-major]   print the list, one package a line
#                                            (test/tools/check_packages.py reads it)
set -euo pipefail
list_only=false
if [ "${1:-}" = --list ]; then list_only=true; shift; fi
major="${1:-${COROTIDY_LLVM_MAJOR:-19}}"
packages=(
  cmake ninja-build python3 python3-jsonschema python3-yaml git libfmt-dev
  "clang-$major" "libclang-$major-dev" "llvm-$major-dev" "llvm-$major-tools"
  "clang-tidy-$major" "clang-tools-$major" "libclang-rt-$major-dev" libzstd-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libasio-dev libtbb-dev libmimalloc-dev libgoogle-perftools-dev valgrind
  # g++: asyncrt's consumer test is also built with GCC (runtime.install_consumer_gcc).
  g++
  pre-commit
  # corotidy-clangd: clangd's remote-index client is compiled into libclangDaemon;
  # neovim is the real editor of its test, clangd-<major> the stock clangd it is measured against.
  libgrpc++-dev libprotobuf-dev libabsl-dev neovim "clangd-$major"
)
# Only for bench/clangd_latency.py: third-party coroutine code to measure on.
if [ "${COROTIDY_BENCH_DEPS:-0}" = 1 ]; then
  packages+=(libboost1.81-doc libboost1.81-dev)
fi
if $list_only; then printf '%s\n' "${packages[@]}"; exit 0; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "corotidy: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
