// bench/runtime/peers.hpp - the optional peer rows, each built from a checkout CMake is
// pointed at (-DASYNCRT_BENCH_TMC_DIR, -DASYNCRT_BENCH_LIBCORO_DIR); nothing of the peers
// is kept in this repository.
#pragma once

namespace asyncrt_bench {

void register_tmc_rows();      // peer_tmc.cpp: TooManyCooks
void register_libcoro_rows();  // peer_libcoro.cpp: libcoro

}  // namespace asyncrt_bench
