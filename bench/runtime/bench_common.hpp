// bench/runtime/bench_common.hpp - what every row of asyncrt_bench shares: the sizes of
// the workloads, the ns_per_op counter and the registration, so that rows built in other
// files (the optional peers) line up with asyncrt's.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <utility>

namespace asyncrt_bench {

inline constexpr int kWorkers = 2;
inline constexpr std::int64_t kSubmit = 1'000'000;  // a1, a3
inline constexpr int kFibChain = 25;                // b1
inline constexpr int kFibPool = 30;                 // b2
inline constexpr int kContenders = 16;              // c2
inline constexpr int kContendRounds = 20'000;        // c2: acquire+release per contender per iteration
inline constexpr int kPipeline = 64;                // d: offloads in flight

// F(n), to check a fib row's result.
inline constexpr std::int64_t fib(int n) {
    std::int64_t a = 0, b = 1;
    for (int i = 0; i < n; ++i) {
        auto c = a + b;
        a = b;
        b = c;
    }
    return a;
}

// Calls made by a naive fib(n): 2 * F(n+1) - 1.
inline constexpr std::int64_t fib_calls(int n) { return 2 * fib(n + 1) - 1; }
static_assert(fib(25) == 75025 && fib_calls(1) == 1 && fib_calls(2) == 3);

// b1's body in any runtime's task type: fib(n) as a chain of nested co_awaits.
template <template <class> class Task>
Task<int> chain_fib(int n) {
    if (n < 2) co_return n;
    int a = co_await chain_fib<Task>(n - 1);
    int b = co_await chain_fib<Task>(n - 2);
    co_return a + b;
}

// ns per op: benchmark prints seconds per op (`ns_per_op`), the table script converts.
inline void per_op(benchmark::State& st, double ops_per_iteration) {
    st.counters["ns_per_op"] = benchmark::Counter(
        ops_per_iteration, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// A row checks its result once before it is timed; a wrong one reports an error, not a time.
inline bool verified(benchmark::State& st, bool ok, const char* what) {
    if (!ok) st.SkipWithError(what);
    return ok;
}

// What a verification pass of a submit family records: how many tasks ran, and whether any
// ran on the thread that submitted them (they all should run on the pool). Made on the
// submitting thread; the timed passes give their tasks no probe.
struct task_probe {
    std::thread::id submitter = std::this_thread::get_id();
    std::atomic<std::int64_t> ran{0};
    std::atomic<bool> ran_on_submitter{false};

    void record() noexcept {
        ran.fetch_add(1, std::memory_order_relaxed);
        if (std::this_thread::get_id() == submitter) ran_on_submitter.store(true, std::memory_order_relaxed);
    }
    bool all_ran_on_pool(std::int64_t n) const noexcept { return ran.load() == n && !ran_on_submitter.load(); }
};

// a1's task in any runtime's task type: it records itself in `probe` if given and counts
// `all` down.
template <template <class> class Task>
Task<void> count_down_task(std::latch& all, task_probe* probe) {
    if (probe) probe->record();
    all.count_down();
    co_return;
}

// a1's shape for a peer: submit(all, probe) hands one task to the pool from this thread,
// outside the pool; the task counts `all` down (and records itself in `probe` if given).
// One verified burst of kSubmit, then a burst per iteration, timed until all ran.
template <class Submit>
void submit_bursts(benchmark::State& st, Submit submit, const char* wrong) {
    auto burst = [&](task_probe* probe) {
        std::latch all{kSubmit};
        for (std::int64_t i = 0; i < kSubmit; ++i) submit(all, probe);
        all.wait();
    };
    task_probe probe;
    burst(&probe);
    if (!verified(st, probe.all_ran_on_pool(kSubmit), wrong)) return;
    for (auto _ : st) burst(nullptr);
    per_op(st, kSubmit);
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
