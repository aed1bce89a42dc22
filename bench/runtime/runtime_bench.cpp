// asyncrt micro-benchmarks. Each measures one operation; run with
//   build/bin/asyncrt_bench --benchmark_min_time=0.2
#include <asyncrt/asyncrt.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <mutex>
#include <vector>

#if defined(ASYNCRT_BENCH_HAVE_ASIO)
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>
#endif

using asyncrt::task;

namespace {

task<int> leaf(int v) { co_return v; }

// co_await of a task that completes synchronously: frame allocation + two transfers.
void BM_TaskAwait(benchmark::State& state) {
    asyncrt::run([&]() -> task<void> {
        int sum = 0;
        for (auto _ : state) sum += co_await leaf(1);
        benchmark::DoNotOptimize(sum);
    }());
}
BENCHMARK(BM_TaskAwait);

// Round trip through the event loop's ready queue.
void BM_LoopYield(benchmark::State& state) {
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) co_await asyncrt::yield();
    }());
}
BENCHMARK(BM_LoopYield);

void BM_LoopZeroSleep(benchmark::State& state) {
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) co_await asyncrt::sleep_for(std::chrono::nanoseconds(0));
    }());
}
BENCHMARK(BM_LoopZeroSleep);

void BM_WhenAllVector(benchmark::State& state) {
    const auto n = static_cast<int>(state.range(0));
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) {
            std::vector<task<int>> ts;
            ts.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
            auto v = co_await asyncrt::when_all(std::move(ts));
            benchmark::DoNotOptimize(v.data());
        }
    }());
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_WhenAllVector)->Arg(16)->Arg(1024);

// Uncontended primitives: the single-atomic fast paths.
void BM_SemaphoreTryAcquireRelease(benchmark::State& state) {
    asyncrt::semaphore sem{1};
    for (auto _ : state) {
        bool ok = sem.try_acquire();
        benchmark::DoNotOptimize(ok);
        sem.release();
    }
}
BENCHMARK(BM_SemaphoreTryAcquireRelease);

void BM_SemaphoreAcquireUncontended(benchmark::State& state) {
    asyncrt::semaphore sem{4};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) {
            auto permit = co_await sem.acquire();
            benchmark::DoNotOptimize(permit);
        }
    }());
}
BENCHMARK(BM_SemaphoreAcquireUncontended);

void BM_MutexLockUncontended(benchmark::State& state) {
    asyncrt::mutex m;
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) {
            auto lock = co_await m.lock();
            benchmark::DoNotOptimize(lock);
        }
    }());
}
BENCHMARK(BM_MutexLockUncontended);

void BM_StdMutexLockUncontended(benchmark::State& state) {
    std::mutex m;
    for (auto _ : state) {
        std::lock_guard lock(m);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_StdMutexLockUncontended);

// Hand-off: a permit passes between two coroutines on one loop.
void BM_SemaphorePingPong(benchmark::State& state) {
    asyncrt::semaphore a{0}, b{0};
    std::atomic<bool> stop{false};
    asyncrt::run([&]() -> task<void> {
        auto ponger = [&]() -> task<void> {
            for (;;) {
                (co_await a.acquire()).forget();  // consume the signal
                b.release();
                if (stop.load(std::memory_order_relaxed)) co_return;
            }
        };
        auto pinger = [&]() -> task<void> {
            for (auto _ : state) {
                a.release();
                (co_await b.acquire()).forget();
            }
            stop = true;
            a.release();
        };
        co_await asyncrt::when_all(ponger(), pinger());
    }());
}
BENCHMARK(BM_SemaphorePingPong);

// Loop -> pool -> loop.
void BM_OffloadRoundTrip(benchmark::State& state) {
    asyncrt::thread_pool pool{2};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) {
            int v = co_await asyncrt::offload(pool, [] { return 1; });
            benchmark::DoNotOptimize(v);
        }
    }());
}
BENCHMARK(BM_OffloadRoundTrip)->UseRealTime();

void BM_ToThreadRoundTrip(benchmark::State& state) {
    asyncrt::run([&]() -> task<void> {
        for (auto _ : state) {
            int v = co_await asyncrt::to_thread([] { return 1; });
            benchmark::DoNotOptimize(v);
        }
    }());
}
BENCHMARK(BM_ToThreadRoundTrip)->UseRealTime();

// Throughput: many small coroutines hopping onto the pool at once.
void BM_PoolScheduleFanOut(benchmark::State& state) {
    asyncrt::thread_pool pool{2};
    const int n = 1000;
    asyncrt::run([&]() -> task<void> {
        auto hop = [&]() -> task<void> { co_await pool.schedule(); };
        for (auto _ : state) {
            std::vector<task<void>> ts;
            ts.reserve(n);
            for (int i = 0; i < n; ++i) ts.push_back(hop());
            co_await asyncrt::when_all(std::move(ts));
        }
    }());
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_PoolScheduleFanOut)->UseRealTime();

#if defined(ASYNCRT_BENCH_HAVE_ASIO)
// Peers for BM_TaskAwait and BM_LoopYield: asio's C++20 coroutines on an io_context.
asio::awaitable<int> asio_leaf(int v) { co_return v; }

void BM_AsioAwaitableAwait(benchmark::State& state) {
    asio::io_context io;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        int sum = 0;
        for (auto _ : state) sum += co_await asio_leaf(1);
        benchmark::DoNotOptimize(sum);
    }, asio::detached);
    io.run();
}
BENCHMARK(BM_AsioAwaitableAwait);

void BM_AsioPostYield(benchmark::State& state) {
    asio::io_context io;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        for (auto _ : state) co_await asio::post(io, asio::use_awaitable);
    }, asio::detached);
    io.run();
}
BENCHMARK(BM_AsioPostYield);

// Peer: asio::thread_pool running the same number of posted closures.
void BM_AsioPoolPostFanOut(benchmark::State& state) {
    asio::thread_pool pool{2};
    const int n = 1000;
    for (auto _ : state) {
        std::atomic<int> left{n};
        std::atomic<bool> done{false};
        for (int i = 0; i < n; ++i)
            asio::post(pool, [&] {
                if (left.fetch_sub(1) == 1) {
                    done.store(true);
                    done.notify_one();
                }
            });
        done.wait(false);
    }
    pool.join();
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_AsioPoolPostFanOut)->UseRealTime();
#endif

}  // namespace
