#!/bin/sh
# Before/after wall time of examples/dashboard.cpp around `corotidy --fix`
# (async-sequential-await): three awaits of 100, 150 and 200 ms in sequence,
# then in one asyncrt::when_all. Prints a markdown table for docs/benchmarks.md.
#
#   bench/sequential_await.sh [build-dir]     (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
cxx=${CXX:-clang++-19}
runs=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$root/examples/dashboard.cpp" "$work/dashboard.cpp"
flags="-std=c++20 -O2 -I$root/lib/runtime/include"
$cxx $flags "$work/dashboard.cpp" "$build/lib/libasyncrt.a" -pthread -o "$work/before"
"$build/bin/corotidy" --quiet --checks=-*,async-sequential-await --fix "$work/dashboard.cpp" \
  -- -std=c++20 -I"$root/lib/runtime/include" >/dev/null || true
$cxx $flags "$work/dashboard.cpp" "$build/lib/libasyncrt.a" -pthread -o "$work/after"

# Median of $runs wall times in ms, measured around the whole process.
median_ms() {
  i=0
  while [ $i -lt $runs ]; do
    s=$(date +%s%N)
    "$1" >/dev/null 2>&1
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
    i=$((i + 1))
  done | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

before=$(median_ms "$work/before")
after=$(median_ms "$work/after")
echo "| examples/dashboard.cpp ($runs runs, median) | wall time |"
echo "|---|---:|"
echo "| sequential awaits (before --fix) | ${before} ms |"
echo "| asyncrt::when_all (after --fix) | ${after} ms |"
echo "| saved | $(( (before - after) * 100 / before )) % |"
