// libcoro rows of asyncrt_bench, in libcoro's own idiom: coro::thread_pool with kWorkers
// threads (spawn_detached from outside for a1, schedule() to hop onto it), coro::when_all,
// coro::semaphore, coro::sync_wait from the benchmark thread; for the offloads the loop is
// a one-thread thread_pool (libcoro's event loop, coro::scheduler, comes with its
// networking feature, which this build leaves off).
// Built only when CMake is given -DASYNCRT_BENCH_LIBCORO_DIR=<a libcoro checkout> (built
// with its networking and TLS features off).
#include <coro/coro.hpp>

#include "bench_common.hpp"
#include "peers.hpp"

#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace asyncrt_bench {
namespace {

std::unique_ptr<coro::thread_pool> make_pool() {
    return coro::thread_pool::make_unique(coro::thread_pool::options{.thread_count = kWorkers});
}

// a1: the benchmark thread, outside the pool, spawns 1M detached tasks; time until all ran.
void a1_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    submit_bursts(
        st, [&](std::latch& all, task_probe* probe) { pool->spawn_detached(count_down_task<coro::task>(all, probe)); },
        "a1/libcoro: not every task ran once on the pool");
}

// a3: a root coroutine (sync_wait) makes 1M tasks that each hop onto the pool and awaits
// them with when_all.
coro::task<void> a3_child(coro::thread_pool& pool, task_probe* probe) {
    co_await pool.schedule();
    if (probe) probe->record();
}

coro::task<void> a3_spawn_all(coro::thread_pool& pool, task_probe* probe) {
    std::vector<coro::task<void>> ts;
    ts.reserve(static_cast<std::size_t>(kSubmit));
    for (std::int64_t i = 0; i < kSubmit; ++i) ts.push_back(a3_child(pool, probe));
    co_await coro::when_all(std::move(ts));
}

void a3_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    task_probe probe;
    coro::sync_wait(a3_spawn_all(*pool, &probe));
    if (!verified(st, probe.all_ran_on_pool(kSubmit), "a3/libcoro: not every task ran once on the pool")) return;
    for (auto _ : st) coro::sync_wait(a3_spawn_all(*pool, nullptr));
    per_op(st, kSubmit);
}

void b1_libcoro(benchmark::State& st) {
    if (!verified(st, coro::sync_wait(chain_fib<coro::task>(kFibChain)) == fib(kFibChain), "b1/libcoro: wrong fib")) return;
    coro::sync_wait([&]() -> coro::task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await chain_fib<coro::task>(kFibChain));
    }());
    per_op(st, static_cast<double>(fib_calls(kFibChain)));
}

// d: the loop is a thread_pool of one thread; an offload hops onto the pool with schedule()
// and back with the loop's.
std::unique_ptr<coro::thread_pool> make_loop() {
    return coro::thread_pool::make_unique(coro::thread_pool::options{.thread_count = 1});
}

int one() { return 1; }

template <class Fn>
coro::task<int> offload(coro::thread_pool& pool, coro::thread_pool& loop, Fn fn) {
    co_await pool.schedule();
    int v = fn();
    co_await loop.schedule();
    co_return v;
}

// Runs body(loop thread) as a coroutine on the loop, waited for by sync_wait.
template <class Body>
auto on_loop(coro::thread_pool& loop, Body body) {
    return coro::sync_wait([&]() -> decltype(body(std::thread::id{})) {
        co_await loop.schedule();
        co_return co_await body(std::this_thread::get_id());
    }());
}

void d_latency_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    auto loop = make_loop();
    bool ok = on_loop(*loop, [&](std::thread::id loop_thread) -> coro::task<bool> {
        std::thread::id ran_on;
        int v = co_await offload(*pool, *loop, [&ran_on] {
            ran_on = std::this_thread::get_id();
            return one();
        });
        co_return v == 1 && ran_on != loop_thread && std::this_thread::get_id() == loop_thread;
    });
    if (!verified(st, ok, "d_latency/libcoro: wrong result, or not pool then back on the loop")) return;
    on_loop(*loop, [&](std::thread::id) -> coro::task<void> {
        for (auto _ : st) {
            int v = co_await offload(*pool, *loop, one);
            benchmark::DoNotOptimize(v);
        }
    });
    per_op(st, 1);
}

coro::task<int> offload_pipelined(coro::thread_pool& pool, coro::thread_pool& loop) {
    std::vector<coro::task<int>> ts;
    ts.reserve(kPipeline);
    for (int i = 0; i < kPipeline; ++i) ts.push_back(offload(pool, loop, one));
    // Held by value: the awaiter hands out a reference into itself, gone after this statement.
    auto results = co_await coro::when_all(std::move(ts));
    int sum = 0;
    for (auto& r : results) sum += r.return_value();
    co_return sum;
}

void d_pipelined_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    auto loop = make_loop();
    bool ok = on_loop(*loop, [&](std::thread::id loop_thread) -> coro::task<bool> {
        int sum = co_await offload_pipelined(*pool, *loop);
        co_return sum == kPipeline && std::this_thread::get_id() == loop_thread;
    });
    if (!verified(st, ok, "d_pipelined/libcoro: wrong results, or not back on the loop")) return;
    on_loop(*loop, [&](std::thread::id) -> coro::task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await offload_pipelined(*pool, *loop));
    });
    per_op(st, kPipeline);
}

coro::task<int> fork_fib(coro::thread_pool& pool, int n) {
    if (n < 2) co_return n;
    auto forked = [](coro::thread_pool& p, int m) -> coro::task<int> {
        co_await p.schedule();
        co_return co_await fork_fib(p, m);
    };
    auto [a, b] = co_await coro::when_all(forked(pool, n - 1), fork_fib(pool, n - 2));
    co_return a.return_value() + b.return_value();
}

void b2_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    for (auto _ : st) {
        auto root = [](coro::thread_pool& p) -> coro::task<int> {
            co_await p.schedule();
            co_return co_await fork_fib(p, kFibPool);
        };
        benchmark::DoNotOptimize(coro::sync_wait(root(*pool)));
    }
    per_op(st, static_cast<double>(fib_calls(kFibPool)));
}

void c1_libcoro(benchmark::State& st) {
    coro::semaphore<1> sem{1};
    coro::sync_wait([&]() -> coro::task<void> {
        for (auto _ : st) {
            benchmark::DoNotOptimize(co_await sem.acquire());
            co_await sem.release();
        }
    }());
    per_op(st, 1);
}

void c1_mutex_libcoro(benchmark::State& st) {
    coro::mutex m;
    coro::sync_wait([&]() -> coro::task<void> {
        for (auto _ : st) {
            auto lock = co_await m.scoped_lock();
            benchmark::DoNotOptimize(lock);
        }
    }());
    per_op(st, 1);
}

template <std::ptrdiff_t Max>
coro::task<void> contender(coro::thread_pool& pool, coro::semaphore<Max>& sem, std::int64_t& shared) {
    co_await pool.schedule();
    for (int i = 0; i < kContendRounds; ++i) {
        co_await sem.acquire();
        benchmark::DoNotOptimize(++shared);
        co_await sem.release();
    }
}

template <std::ptrdiff_t Permits>
void c2_libcoro(benchmark::State& st) {
    auto pool = make_pool();
    coro::semaphore<Permits> sem{Permits};
    std::int64_t shared = 0;
    for (auto _ : st) {
        std::vector<coro::task<void>> ts;
        for (int i = 0; i < kContenders; ++i) ts.push_back(contender(*pool, sem, shared));
        coro::sync_wait(coro::when_all(std::move(ts)));
    }
    per_op(st, kContenders * kContendRounds);
}

coro::task<int> leaf(int v) { co_return v; }

void when_all_libcoro(benchmark::State& st, int n) {
    for (auto _ : st) {
        std::vector<coro::task<int>> ts;
        ts.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
        auto v = coro::sync_wait(coro::when_all(std::move(ts)));
        benchmark::DoNotOptimize(v.data());
    }
    per_op(st, n);
}

}  // namespace

void register_libcoro_rows() {
    add_burst("a1_submit_1M/libcoro", a1_libcoro, "thread_pool::spawn_detached of each task from outside, 2 workers");
    add_burst("a3_spawn_1M_await_all/libcoro", a3_libcoro,
              "when_all of 1M tasks that each schedule() onto the thread_pool, sync_wait root, 2 workers");
    add("b1_await_chain_fib25/libcoro", b1_libcoro, "task, sync_wait, 1 thread");
    add("b2_fork_join_fib30/libcoro", b2_libcoro, "when_all + schedule, 2 workers");
    add("c1_semaphore_uncontended/libcoro", c1_libcoro, "1 thread");
    add("c1_mutex_uncontended/libcoro", c1_mutex_libcoro, "scoped_lock, sync_wait, 1 thread");
    add("c2_16_tasks_1_permit/libcoro", c2_libcoro<1>, "2 workers");
    add("c2_16_tasks_4_permits/libcoro", c2_libcoro<4>, "2 workers");
    for (int n : {10, 1000, 100000})
        add("when_all_" + std::to_string(n) + "/libcoro", [n](benchmark::State& st) { when_all_libcoro(st, n); },
            "when_all, 1 thread");
    add("d_offload_latency/libcoro", d_latency_libcoro,
        "schedule() onto the pool, schedule() back to the loop (a 1-thread thread_pool), 2 workers");
    add("d_offload_pipelined_64/libcoro", d_pipelined_libcoro,
        "when_all of 64 such offloads from the 1-thread thread_pool loop, 2 workers");
}

}  // namespace asyncrt_bench
