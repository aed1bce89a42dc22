// bench/runtime/bench_common.hpp - what every row of asyncrt_bench shares: the sizes of
// the workloads, the ns_per_op counter and the registration, so that rows built in other
// files (the optional peers) line up with asyncrt's.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace asyncrt_bench {

inline constexpr int kWorkers = 2;
inline constexpr std::int64_t kSubmit = 1'000'000;  // a1, a3
inline constexpr int kFibChain = 25;                // b1
inline constexpr int kFibPool = 30;                 // b2
inline constexpr int kContenders = 16;              // c2
inline constexpr int kContendRounds = 20'000;        // c2: acquire+release per contender per iteration
inline constexpr int kPipeline = 64;                // d: offloads in flight

// Calls made by a naive fib(n): 2 * F(n+1) - 1.
inline constexpr std::int64_t fib_calls(int n) {
    std::int64_t a = 0, b = 1;
    for (int i = 0; i < n + 1; ++i) {
        auto c = a + b;
        a = b;
        b = c;
    }
    return 2 * a - 1;
}

// ns per op: benchmark prints seconds per op (`ns_per_op`), the table script converts.
inline void per_op(benchmark::State& st, double ops_per_iteration) {
    st.counters["ns_per_op"] = benchmark::Counter(
        ops_per_iteration, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

using bench_fn = std::function<void(benchmark::State&)>;

inline benchmark::internal::Benchmark* add(const std::string& name, bench_fn fn, const char* label) {
    auto* b = benchmark::RegisterBenchmark(name.c_str(), [fn, label](benchmark::State& st) {
        fn(st);
        st.SetLabel(label);
    });
    return b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

// One iteration of a1 or a3 is a burst of 1M tasks (~0.1 s). With the table's 0.1 s per
// repetition that would be a single burst, right after the pool and the allocator's
// arenas were made: mostly the kernel faulting in fresh pages. Every row of these
// families, peers included, runs several bursts per repetition instead.
inline void add_burst(const std::string& name, bench_fn fn, const char* label) {
    add(name, std::move(fn), label)->MinTime(0.5);
}

}  // namespace asyncrt_bench
