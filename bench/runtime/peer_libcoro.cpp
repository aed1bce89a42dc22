// libcoro rows of asyncrt_bench, in libcoro's own idiom: coro::thread_pool with kWorkers
// threads, coro::when_all, coro::semaphore, coro::sync_wait from the benchmark thread.
// Built only when CMake is given -DASYNCRT_BENCH_LIBCORO_DIR=<a libcoro checkout> (built
// with its networking and TLS features off).
#include <coro/coro.hpp>

#include "bench_common.hpp"
#include "peers.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace asyncrt_bench {
namespace {

std::unique_ptr<coro::thread_pool> make_pool() {
    return coro::thread_pool::make_unique(coro::thread_pool::options{.thread_count = kWorkers});
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
    add("b2_fork_join_fib30/libcoro", b2_libcoro, "when_all + schedule, 2 workers");
    add("c1_semaphore_uncontended/libcoro", c1_libcoro, "1 thread");
    add("c2_16_tasks_1_permit/libcoro", c2_libcoro<1>, "2 workers");
    add("c2_16_tasks_4_permits/libcoro", c2_libcoro<4>, "2 workers");
    for (int n : {10, 1000, 100000})
        add("when_all_" + std::to_string(n) + "/libcoro", [n](benchmark::State& st) { when_all_libcoro(st, n); },
            "when_all, 1 thread");
}

}  // namespace asyncrt_bench
