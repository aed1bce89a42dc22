#!/usr/bin/env bash
# Installs what is missing, configures, builds and runs every test suite
# (lit, GoogleTest, the runtime under TSan and ASan+UBSan) through ctest.
#   bash tools/test.sh            LLVM 19 (what CI runs)
#   COROTIDY_LLVM_MAJOR=22 bash tools/test.sh   against LLVM 22 (build-22/)
set -euo pipefail
cd "$(dirname "$0")/.."
major="${COROTIDY_LLVM_MAJOR:-19}"
build="build"
[ "$major" = 19 ] || build="build-$major"
bash tools/deps.sh 19
[ "$major" = 19 ] || bash tools/deps.sh "$major"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="clang++-$major" \
  -DCOROTIDY_LLVM_MAJOR="$major" >/dev/null
cmake --build "$build"
cd "$build"
ctest --output-on-failure -j2 --timeout 1200
