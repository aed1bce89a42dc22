// TooManyCooks rows of asyncrt_bench, each in TooManyCooks' own idiom for the family:
// ex_cpu with kWorkers threads (one where asyncrt's row runs on one thread), spawn_tuple
// for a fork-join, spawn_many for when_all, tmc::semaphore. Built only when CMake is given
// -DASYNCRT_BENCH_TMC_DIR=<a TooManyCooks checkout> (header-only; built without hwloc).
#define TMC_IMPL
#include "tmc/all_headers.hpp"

#include "bench_common.hpp"
#include "peers.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace asyncrt_bench {
namespace {

// Runs `body` as a task on a fresh executor of `threads` threads and waits for it.
template <class Body>
void on_executor(std::size_t threads, Body body) {
    tmc::ex_cpu ex;
    ex.set_thread_count(threads).init();
    tmc::post_waitable(ex, body(), 0).get();
}

tmc::task<int> chain_fib(int n) {
    if (n < 2) co_return n;
    int a = co_await chain_fib(n - 1);
    int b = co_await chain_fib(n - 2);
    co_return a + b;
}

void b1_tmc(benchmark::State& st) {
    on_executor(1, [&]() -> tmc::task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await chain_fib(kFibChain));
    });
    per_op(st, static_cast<double>(fib_calls(kFibChain)));
}

tmc::task<int> fork_fib(int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await tmc::spawn_tuple(fork_fib(n - 1), fork_fib(n - 2));
    co_return a + b;
}

void b2_tmc(benchmark::State& st) {
    on_executor(kWorkers, [&]() -> tmc::task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await fork_fib(kFibPool));
    });
    per_op(st, static_cast<double>(fib_calls(kFibPool)));
}

void c1_tmc(benchmark::State& st) {
    tmc::semaphore sem{1};
    on_executor(1, [&]() -> tmc::task<void> {
        for (auto _ : st) {
            auto permit = co_await sem.acquire_scope();
            benchmark::DoNotOptimize(permit);
        }
    });
    per_op(st, 1);
}

tmc::task<void> contender(tmc::semaphore& sem, std::int64_t& shared) {
    for (int i = 0; i < kContendRounds; ++i) {
        auto permit = co_await sem.acquire_scope();
        benchmark::DoNotOptimize(++shared);
    }
}

void c2_tmc(benchmark::State& st, int permits) {
    tmc::semaphore sem{static_cast<std::uint32_t>(permits)};
    std::int64_t shared = 0;
    on_executor(kWorkers, [&]() -> tmc::task<void> {
        for (auto _ : st) {
            std::vector<tmc::task<void>> ts;
            for (int i = 0; i < kContenders; ++i) ts.push_back(contender(sem, shared));
            co_await tmc::spawn_many(ts.begin(), ts.size());
        }
    });
    per_op(st, kContenders * kContendRounds);
}

tmc::task<int> leaf(int v) { co_return v; }

void when_all_tmc(benchmark::State& st, int n) {
    on_executor(1, [&]() -> tmc::task<void> {
        for (auto _ : st) {
            std::vector<tmc::task<int>> ts;
            ts.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
            auto v = co_await tmc::spawn_many(ts.begin(), ts.size());
            benchmark::DoNotOptimize(v.data());
        }
    });
    per_op(st, n);
}

}  // namespace

void register_tmc_rows() {
    add("b1_await_chain_fib25/tmc", b1_tmc, "task, 1 thread");
    add("b2_fork_join_fib30/tmc", b2_tmc, "spawn_tuple, 2 workers");
    add("c1_semaphore_uncontended/tmc", c1_tmc, "1 thread");
    add("c2_16_tasks_1_permit/tmc", [](benchmark::State& st) { c2_tmc(st, 1); }, "spawn_many, 2 workers");
    add("c2_16_tasks_4_permits/tmc", [](benchmark::State& st) { c2_tmc(st, 4); }, "spawn_many, 2 workers");
    for (int n : {10, 1000, 100000})
        add("when_all_" + std::to_string(n) + "/tmc", [n](benchmark::State& st) { when_all_tmc(st, n); },
            "spawn_many, 1 thread");
}

}  // namespace asyncrt_bench
