#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the main job:
# corotidy on the bundled examples, showing findings and then the fixes.
#   bash tools/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
cmake --build build --target corotidy corotidy-clangd asyncrt

echo
echo "== corotidy on examples/ =="
flags=(-std=c++20 -Ilib/runtime/include -DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1)
build/bin/corotidy examples/*.cpp -- "${flags[@]}" || true

echo
echo "== the same files after corotidy --fix (a copy in build/examples-fixed) =="
rm -rf build/examples-fixed && cp -r examples build/examples-fixed
build/bin/corotidy --quiet --fix build/examples-fixed/*.cpp -- "${flags[@]}" >/dev/null || true
diff -ru examples build/examples-fixed || true
