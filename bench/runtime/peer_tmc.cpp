// TooManyCooks rows of asyncrt_bench, each in TooManyCooks' own idiom for the family:
// ex_cpu with kWorkers threads (one where asyncrt's row runs on one thread), tmc::post
// from outside for a1, spawn_tuple for a fork-join, spawn_many for a3 and when_all,
// spawn_func(_many).run_on(pool) from an ex_cpu_st "loop" for the offloads, tmc::semaphore.
// Built only when CMake is given
// -DASYNCRT_BENCH_TMC_DIR=<a TooManyCooks checkout> (header-only; built without hwloc).
// spawn_func binds its function with std::bind, which in libstdc++ 12 names the deprecated
// std::result_of under C++20: silenced for <functional> only, before TooManyCooks includes it.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#include <functional>
#pragma clang diagnostic pop

#define TMC_IMPL
#include "tmc/all_headers.hpp"

#include "bench_common.hpp"
#include "peers.hpp"

#include <array>
#include <cstdint>
#include <latch>
#include <numeric>
#include <string>
#include <thread>
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

// asyncrt's shape for a3 and d: a coroutine on a one-thread loop hands work to a pool of
// kWorkers and resumes back on the loop. TooManyCooks' loop is an ex_cpu_st.
struct loop_and_pool {
    tmc::ex_cpu pool;
    tmc::ex_cpu_st loop;

    loop_and_pool() {
        pool.set_thread_count(kWorkers).init();
        loop.init();
    }
    // Runs root() (a coroutine returning tmc::task<R>) on the loop and waits for its R.
    template <class Root>
    auto on_loop(Root root) {
        return tmc::post_waitable(loop, root(), 0).get();
    }
};

// a1: the benchmark thread, outside the pool, posts 1M tasks one by one; time until all ran.
void a1_tmc(benchmark::State& st) {
    tmc::ex_cpu pool;
    pool.set_thread_count(kWorkers).init();
    submit_bursts(
        st, [&](std::latch& all, task_probe* probe) { tmc::post(pool, count_down_task<tmc::task>(all, probe), 0); },
        "a1/tmc: not every task ran once on the pool");
}

// a3: a coroutine on the loop spawns 1M tasks onto the pool and awaits them all. The tasks
// come from an iter_adapter (no vector of 1M tasks); spawn_many posts them in bulk.
tmc::task<void> a3_child(task_probe* probe) {
    if (probe) probe->record();
    co_return;
}

tmc::task<void> a3_spawn_all(tmc::ex_cpu& pool, task_probe* probe) {
    co_await tmc::spawn_many(tmc::iter_adapter(std::int64_t{0}, [probe](std::int64_t) { return a3_child(probe); }),
                             static_cast<std::size_t>(kSubmit))
        .run_on(pool);
}

void a3_tmc(benchmark::State& st) {
    loop_and_pool ex;
    bool ok = ex.on_loop([&]() -> tmc::task<bool> {
        task_probe probe;
        co_await a3_spawn_all(ex.pool, &probe);
        co_return probe.all_ran_on_pool(kSubmit) && std::this_thread::get_id() == probe.submitter;
    });
    if (!verified(st, ok, "a3/tmc: not every task ran once on the pool, or the root left the loop")) return;
    ex.on_loop([&]() -> tmc::task<void> {
        for (auto _ : st) co_await a3_spawn_all(ex.pool, nullptr);
    });
    per_op(st, kSubmit);
}

int one() { return 1; }

// d: the loop's coroutine offloads a trivial function to the pool and resumes on the loop.
void d_latency_tmc(benchmark::State& st) {
    loop_and_pool ex;
    bool ok = ex.on_loop([&]() -> tmc::task<bool> {
        auto loop_thread = std::this_thread::get_id();
        std::thread::id ran_on;
        int v = co_await tmc::spawn_func([&ran_on] {
                    ran_on = std::this_thread::get_id();
                    return one();
                }).run_on(ex.pool);
        co_return v == 1 && ran_on != loop_thread && std::this_thread::get_id() == loop_thread;
    });
    if (!verified(st, ok, "d_latency/tmc: wrong result, or not pool then back on the loop")) return;
    ex.on_loop([&]() -> tmc::task<void> {
        for (auto _ : st) {
            int v = co_await tmc::spawn_func(one).run_on(ex.pool);
            benchmark::DoNotOptimize(v);
        }
    });
    per_op(st, 1);
}

tmc::task<std::array<int, kPipeline>> offload_pipelined(tmc::ex_cpu& pool) {
    co_return co_await tmc::spawn_func_many<kPipeline>(tmc::iter_adapter(0, [](int) { return one; })).run_on(pool);
}

void d_pipelined_tmc(benchmark::State& st) {
    loop_and_pool ex;
    bool ok = ex.on_loop([&]() -> tmc::task<bool> {
        auto loop_thread = std::this_thread::get_id();
        auto v = co_await offload_pipelined(ex.pool);
        co_return std::accumulate(v.begin(), v.end(), 0) == kPipeline && std::this_thread::get_id() == loop_thread;
    });
    if (!verified(st, ok, "d_pipelined/tmc: wrong results, or not back on the loop")) return;
    ex.on_loop([&]() -> tmc::task<void> {
        for (auto _ : st) {
            auto v = co_await offload_pipelined(ex.pool);
            benchmark::DoNotOptimize(v.data());
        }
    });
    per_op(st, kPipeline);
}

void b1_tmc(benchmark::State& st) {
    on_executor(1, [&]() -> tmc::task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await chain_fib<tmc::task>(kFibChain));
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

void c1_mutex_tmc(benchmark::State& st) {
    tmc::mutex m;
    on_executor(1, [&]() -> tmc::task<void> {
        for (auto _ : st) {
            auto lock = co_await m.lock_scope();
            benchmark::DoNotOptimize(lock);
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
    add_burst("a1_submit_1M/tmc", a1_tmc, "tmc::post of each task from outside the pool, 2 workers");
    add_burst("a3_spawn_1M_await_all/tmc", a3_tmc, "spawn_many(1M).run_on(ex_cpu) from an ex_cpu_st loop, 2 workers");
    add("b1_await_chain_fib25/tmc", b1_tmc, "task, 1 thread");
    add("b2_fork_join_fib30/tmc", b2_tmc, "spawn_tuple, 2 workers");
    add("c1_semaphore_uncontended/tmc", c1_tmc, "1 thread");
    add("c1_mutex_uncontended/tmc", c1_mutex_tmc, "lock_scope, 1 thread");
    add("c2_16_tasks_1_permit/tmc", [](benchmark::State& st) { c2_tmc(st, 1); }, "spawn_many, 2 workers");
    add("c2_16_tasks_4_permits/tmc", [](benchmark::State& st) { c2_tmc(st, 4); }, "spawn_many, 2 workers");
    for (int n : {10, 1000, 100000})
        add("when_all_" + std::to_string(n) + "/tmc", [n](benchmark::State& st) { when_all_tmc(st, n); },
            "spawn_many, 1 thread");
    add("d_offload_latency/tmc", d_latency_tmc, "spawn_func.run_on(ex_cpu) from an ex_cpu_st loop, 2 workers");
    add("d_offload_pipelined_64/tmc", d_pipelined_tmc,
        "spawn_func_many<64>.run_on(ex_cpu) from an ex_cpu_st loop, 2 workers");
}

}  // namespace asyncrt_bench
