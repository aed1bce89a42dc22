#!/bin/sh
# Before/after examples/fanout.cpp around `corotidy --fix` (async-unbounded-fanout):
# 10,000 requests to a loopback service that handles 32 at a time, all started at once
# by asyncrt::when_all, then at most 64 at a time by asyncrt::when_all_bounded.
# Prints a markdown table for docs/benchmarks.md.
#
#   bench/fanout.sh [build-dir] [requests]     (defaults: build, 10000)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
n=${2:-10000}
cxx=${CXX:-clang++-19}
runs=3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$root/examples/fanout.cpp" "$work/fanout.cpp"
flags="-std=c++20 -O2 -I$root/lib/runtime/include"
$cxx $flags "$work/fanout.cpp" "$build/lib/libasyncrt.a" -pthread -o "$work/before"
"$build/bin/corotidy" --quiet --checks=-*,async-unbounded-fanout --fix "$work/fanout.cpp" \
  -- -std=c++20 -I"$root/lib/runtime/include" >/dev/null || true
grep -q 'when_all_bounded(std::move(tasks), 64)' "$work/fanout.cpp" || {
  echo "bench/fanout.sh: corotidy --fix did not bound the fan-out" >&2
  exit 1
}
$cxx $flags "$work/fanout.cpp" "$build/lib/libasyncrt.a" -pthread -o "$work/after"

# Runs $1 $runs times; prints "peak_connections peak_rss_mib median_seconds": the largest
# peaks and the median wall time. The example reports one line on stderr:
#   fanout: n=... peak_connections=... peak_rss_kib=... wall_ms=...
measure() {
  : >"$work/runs"
  i=0
  while [ $i -lt $runs ]; do
    "$1" "$n" >"$work/out" 2>"$work/err" && grep -qx "replies: $n" "$work/out" || {
      echo "bench/fanout.sh: $1 failed:" >&2
      cat "$work/err" >&2
      exit 1
    }
    sed -n 's/^fanout: .*peak_connections=\([0-9]*\) peak_rss_kib=\([0-9]*\) wall_ms=\([0-9]*\)$/\1 \2 \3/p' \
      "$work/err" >>"$work/runs"
    i=$((i + 1))
  done
  [ "$(wc -l <"$work/runs")" -eq $runs ] || { echo "bench/fanout.sh: no measurements from $1" >&2; exit 1; }
  conn=$(sort -n -k1,1 "$work/runs" | tail -n 1 | cut -d' ' -f1)
  rss=$(sort -n -k2,2 "$work/runs" | tail -n 1 | cut -d' ' -f2)
  ms=$(sort -n -k3,3 "$work/runs" | sed -n "$(( (runs + 1) / 2 ))p" | cut -d' ' -f3)
  awk -v c="$conn" -v r="$rss" -v m="$ms" 'BEGIN { printf "%d %.1f %.2f\n", c, r / 1024, m / 1000 }'
}

before=$(measure "$work/before")
after=$(measure "$work/after")
echo "| examples/fanout.cpp, $n requests ($runs runs) | peak concurrent connections | peak RSS (MiB) | completion time (median s) |"
echo "|---|---:|---:|---:|"
set -- $before
echo "| asyncrt::when_all (before --fix) | $1 | $2 | $3 |"
set -- $after
echo "| asyncrt::when_all_bounded(..., 64) (after --fix) | $1 | $2 | $3 |"
