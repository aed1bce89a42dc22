// asyncrt against its peers, side by side in one binary, plus this machine's floor.
//
//   build/bin/asyncrt_bench --benchmark_min_time=0.1
//   python3 bench/runtime_table.py        # glibc + mimalloc/tcmalloc, markdown table
//
// Every benchmark is named `<family>/<implementation>` so the rows line up, runs on real
// time, and reports `ns_per_op` (a counter in seconds per op: task, frame, acquire+release,
// round trip). Pools have 2 worker threads (kWorkers) unless the label says otherwise:
//   asyncrt          asyncrt::thread_pool{2} driven from asyncrt::run's event loop
//   asio_*           standalone asio: io_context + awaitable, asio::thread_pool{2} + post/co_spawn;
//                    for semaphores an asio channel (the nearest thing asio has), labelled
//   tbb_task_group   oneTBB task_group / task_arena with 2 threads
//   std_thread_cv    2 std::threads + mutex/condition_variable queue, futex waits
// Families that an implementation has no natural form for are left out (the table says "—").
#include "bench_common.hpp"
#include "peers.hpp"

#include <asyncrt/asyncrt.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(ASYNCRT_BENCH_HAVE_ASIO)
#include <asio/awaitable.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>
#endif

#if defined(ASYNCRT_BENCH_HAVE_TBB)
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif

using asyncrt::task;
using namespace asyncrt_bench;

namespace {

// Counts down from n; the last hit wakes one waiter (futex). Outlives every hitter.
struct countdown {
    std::atomic<std::int64_t> left{0};
    std::atomic<std::uint32_t> done{0};
    void reset(std::int64_t n) {
        left.store(n, std::memory_order_relaxed);
        done.store(0, std::memory_order_relaxed);
    }
    void hit() noexcept {
        if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            done.store(1, std::memory_order_release);
            done.notify_one();
        }
    }
    void wait() noexcept {
        while (done.load(std::memory_order_acquire) == 0) done.wait(0, std::memory_order_acquire);
    }
};

// ---------------------------------------------------------------- std::thread baseline
class cv_pool {
public:
    explicit cv_pool(int n) {
        for (int i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
    }
    ~cv_pool() {
        {
            std::lock_guard lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_) t.join();
    }
    void post(std::function<void()> f) {
        {
            std::lock_guard lock(m_);
            q_.push_back(std::move(f));
        }
        cv_.notify_one();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> f;
            {
                std::unique_lock lock(m_);
                cv_.wait(lock, [&] { return stop_ || !q_.empty(); });
                if (q_.empty()) return;
                f = std::move(q_.front());
                q_.pop_front();
            }
            f();
        }
    }
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> q_;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------- floor
struct bare_coro {
    struct promise_type {
        bare_coro get_return_object() noexcept { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };
    std::coroutine_handle<promise_type> h;
};

bare_coro resume_forever(int* sink) {
    for (;;) {
        ++*sink;
        co_await std::suspend_always{};
    }
}

[[gnu::noinline]] bare_coro create_once(int* sink) {
    ++*sink;
    co_return;
}

void floor_coroutine_resume(benchmark::State& st) {
    int sink = 0;
    std::coroutine_handle<> h = resume_forever(&sink).h;
    for (auto _ : st) {
        benchmark::DoNotOptimize(h);  // an opaque handle: an indirect resume, as a scheduler does
        h.resume();
    }
    h.destroy();
    benchmark::DoNotOptimize(sink);
    per_op(st, 1);
}

void floor_coroutine_create_resume_destroy(benchmark::State& st) {
    int sink = 0;
    for (auto _ : st) {
        auto c = create_once(&sink);
        c.h.resume();
        c.h.destroy();
    }
    benchmark::DoNotOptimize(sink);
    per_op(st, 1);
}

void floor_malloc_free_64(benchmark::State& st) {
    for (auto _ : st) {
        void* p = std::malloc(64);
        benchmark::DoNotOptimize(p);
        std::free(p);
    }
    per_op(st, 1);
}

void floor_atomic_rmw(benchmark::State& st) {
    std::atomic<std::int64_t> a{0};
    for (auto _ : st) a.fetch_add(1, std::memory_order_acq_rel);
    benchmark::DoNotOptimize(a.load());
    per_op(st, 1);
}

void floor_spin_round_trip(benchmark::State& st) {
    alignas(64) std::atomic<std::int64_t> ping{0};
    alignas(64) std::atomic<std::int64_t> pong{0};
    std::atomic<bool> stop{false};
    std::thread peer([&] {
        for (std::int64_t i = 1;; ++i) {
            while (ping.load(std::memory_order_acquire) < i) __builtin_ia32_pause();
            if (stop.load(std::memory_order_acquire)) return;
            pong.store(i, std::memory_order_release);
        }
    });
    std::int64_t i = 0;
    for (auto _ : st) {
        ++i;
        ping.store(i, std::memory_order_release);
        while (pong.load(std::memory_order_acquire) < i) __builtin_ia32_pause();
    }
    stop.store(true, std::memory_order_release);
    ping.store(i + 1, std::memory_order_release);
    peer.join();
    per_op(st, 1);
}

long futex(std::atomic<std::uint32_t>* a, int op, std::uint32_t v) {
    return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(a), op, v, nullptr, nullptr, 0);
}

// Both sides sleep in the kernel: every hand-off is a FUTEX_WAKE of a sleeping thread.
void floor_futex_round_trip(benchmark::State& st) {
    std::atomic<std::uint32_t> ping{0}, pong{0};
    std::atomic<bool> stop{false};
    std::thread peer([&] {
        for (std::uint32_t i = 1;; ++i) {
            while (ping.load(std::memory_order_acquire) < i) futex(&ping, FUTEX_WAIT_PRIVATE, i - 1);
            if (stop.load(std::memory_order_acquire)) return;
            pong.store(i, std::memory_order_release);
            futex(&pong, FUTEX_WAKE_PRIVATE, 1);
        }
    });
    std::uint32_t i = 0;
    for (auto _ : st) {
        ++i;
        ping.store(i, std::memory_order_release);
        futex(&ping, FUTEX_WAKE_PRIVATE, 1);
        while (pong.load(std::memory_order_acquire) < i) futex(&pong, FUTEX_WAIT_PRIVATE, i - 1);
    }
    stop.store(true, std::memory_order_release);
    ping.store(i + 1, std::memory_order_release);
    futex(&ping, FUTEX_WAKE_PRIVATE, 1);
    peer.join();
    per_op(st, 1);
}

// ---------------------------------------------------------------- asyncrt
task<void> on_pool_hit(asyncrt::thread_pool& pool, countdown& cd) {
    co_await pool.schedule();
    cd.hit();
}
task<void> on_pool_noop(asyncrt::thread_pool& pool) { co_await pool.schedule(); }

// a1: the loop thread submits 1M fire-and-forget tasks (spawn) that run on the pool.
// spawn_phase_ns: of ns_per_op, the part before the first task runs (the loop making the
// tasks; the workers are idle meanwhile).
void a1_asyncrt(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    countdown cd;
    std::chrono::steady_clock::duration spawning{};
    for (auto _ : st) {
        cd.reset(kSubmit);
        asyncrt::run([&]() -> task<void> {
            auto start = std::chrono::steady_clock::now();
            for (std::int64_t i = 0; i < kSubmit; ++i) asyncrt::spawn(on_pool_hit(pool, cd));
            spawning += std::chrono::steady_clock::now() - start;
            co_return;
        }());  // run() also waits for every spawned task
        cd.wait();
    }
    per_op(st, kSubmit);
    st.counters["spawn_phase_ns"] = std::chrono::duration<double, std::nano>(spawning).count() /
                                    (static_cast<double>(st.iterations()) * kSubmit);
}

task<void> hit(countdown& cd) {
    cd.hit();
    co_return;
}

// a1 written the other way: each spawn posts its task straight to the pool, so the workers
// start while the loop spawns (docs/benchmarks.md compares the two forms).
void a1_asyncrt_start_on(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(kSubmit);
        asyncrt::run([&]() -> task<void> {
            for (std::int64_t i = 0; i < kSubmit; ++i) asyncrt::spawn(asyncrt::start_on(pool, hit(cd)));
            co_return;
        }());
        cd.wait();
    }
    per_op(st, kSubmit);
}

// a3: spawn 1M into a task_group, then co_await join(). This form begins each task on
// the loop, which then hops over to the pool (co_await pool.schedule()): two scheduling
// operations per task, where the peers' rows begin each task on the pool.
void a3_asyncrt(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    for (auto _ : st) {
        asyncrt::run([&]() -> task<void> {
            asyncrt::task_group g;
            for (std::int64_t i = 0; i < kSubmit; ++i) g.spawn(on_pool_noop(pool));
            co_await g.join();
        }());
    }
    per_op(st, kSubmit);
}

// a3 as the peers do it: each task begins on the pool (start_on), the root stays on the
// loop.
task<void> noop() { co_return; }
void a3_asyncrt_start_on(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    for (auto _ : st) {
        asyncrt::run([&]() -> task<void> {
            asyncrt::task_group g;
            for (std::int64_t i = 0; i < kSubmit; ++i) g.spawn(asyncrt::start_on(pool, noop()));
            co_await g.join();
        }());
    }
    per_op(st, kSubmit);
}

task<int> chain_fib(int n) {
    if (n < 2) co_return n;
    int a = co_await chain_fib(n - 1);
    int b = co_await chain_fib(n - 2);
    co_return a + b;
}

void b1_asyncrt(benchmark::State& st) {
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await chain_fib(kFibChain));
    }());
    per_op(st, static_cast<double>(fib_calls(kFibChain)));
}

// The fork is start_on: the first half is posted to the pool (stealable) when the worker's
// queue is empty and begins at once otherwise (lazy binary splitting), the second runs
// inline, when_all joins.
task<int> pool_fib(asyncrt::thread_pool& pool, int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await asyncrt::when_all(asyncrt::start_on(pool, pool_fib(pool, n - 1)), pool_fib(pool, n - 2));
    co_return a + b;
}

void b2_asyncrt(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            int v = co_await asyncrt::start_on(pool, pool_fib(pool, kFibPool));
            benchmark::DoNotOptimize(v);
        }
    }());
    per_op(st, static_cast<double>(fib_calls(kFibPool)));
}

void c1_asyncrt(benchmark::State& st) {
    asyncrt::semaphore sem{1};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            auto permit = co_await sem.acquire();
            benchmark::DoNotOptimize(permit);
        }
    }());
    per_op(st, 1);
}

// c1 for the mutex: lock+unlock on one thread, the guard released at the end of each
// iteration (a mutex on one event loop, serializing its own tasks).
void c1_mutex_asyncrt(benchmark::State& st) {
    asyncrt::mutex m;
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            auto lock = co_await m.lock();
            benchmark::DoNotOptimize(lock);
        }
    }());
    per_op(st, 1);
}

task<void> contender(asyncrt::thread_pool& pool, asyncrt::semaphore& sem, std::int64_t& shared) {
    co_await pool.schedule();
    for (int i = 0; i < kContendRounds; ++i) {
        auto permit = co_await sem.acquire();
        benchmark::DoNotOptimize(++shared);
    }
}

void c2_asyncrt(benchmark::State& st, int permits) {
    asyncrt::thread_pool pool{kWorkers};
    asyncrt::semaphore sem{permits};
    std::int64_t shared = 0;  // with 4 permits this races; it only keeps the section non-empty
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            std::vector<task<void>> ts;
            for (int i = 0; i < kContenders; ++i) ts.push_back(contender(pool, sem, shared));
            co_await asyncrt::when_all(std::move(ts));
        }
    }());
    per_op(st, kContenders * kContendRounds);
}
void c2_1_asyncrt(benchmark::State& st) { c2_asyncrt(st, 1); }
void c2_4_asyncrt(benchmark::State& st) { c2_asyncrt(st, 4); }

void d_latency_asyncrt(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            int v = co_await asyncrt::offload(pool, [] { return 1; });
            benchmark::DoNotOptimize(v);
        }
    }());
    per_op(st, 1);
}

void d_pipelined_asyncrt(benchmark::State& st) {
    asyncrt::thread_pool pool{kWorkers};
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            std::vector<task<int>> ts;
            ts.reserve(kPipeline);
            for (int i = 0; i < kPipeline; ++i) ts.push_back(asyncrt::offload(pool, [] { return 1; }));
            auto v = co_await asyncrt::when_all(std::move(ts));
            benchmark::DoNotOptimize(v.data());
        }
    }());
    per_op(st, kPipeline);
}

task<int> leaf(int v) { co_return v; }

void when_all_asyncrt(benchmark::State& st, int n) {
    asyncrt::run([&]() -> task<void> {
        for (auto _ : st) {
            std::vector<task<int>> ts;
            ts.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
            auto v = co_await asyncrt::when_all(std::move(ts));
            benchmark::DoNotOptimize(v.data());
        }
    }());
    per_op(st, n);
}

// ---------------------------------------------------------------- std::thread baseline
void a1_std(benchmark::State& st) {
    cv_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(kSubmit);
        for (std::int64_t i = 0; i < kSubmit; ++i) pool.post([&cd] { cd.hit(); });
        cd.wait();
    }
    per_op(st, kSubmit);
}

void b1_plain_call_fib(benchmark::State& st);  // reference: a plain recursive call

[[gnu::noinline]] int plain_fib(int n) { return n < 2 ? n : plain_fib(n - 1) + plain_fib(n - 2); }
void b1_plain_call_fib(benchmark::State& st) {
    int n = kFibChain;
    for (auto _ : st) {
        benchmark::DoNotOptimize(n);  // keep the call from being hoisted out of the loop
        benchmark::DoNotOptimize(plain_fib(n));
    }
    per_op(st, static_cast<double>(fib_calls(kFibChain)));
}

void c1_mutex_std(benchmark::State& st) {
    std::mutex m;
    for (auto _ : st) {
        std::lock_guard lock(m);
        benchmark::ClobberMemory();
    }
    per_op(st, 1);
}

void c1_std(benchmark::State& st) {
    std::counting_semaphore<> sem{1};
    for (auto _ : st) {
        sem.acquire();
        benchmark::ClobberMemory();
        sem.release();
    }
    per_op(st, 1);
}

// 16 std::threads (not 2 workers: one thread per contender) on std::counting_semaphore.
// libstdc++ 12's can, rarely, leave a waiter asleep with permits free (one whose
// compare-exchange lost a race waits for the count to leave the value it saw): this row
// once hung for 25 minutes, one thread waiting and two permits free. runtime_table.py
// gives each row a time limit for that. (A POSIX sem_t in its place ran the rows in 49
// and 16 ns per acquire+release: a releasing thread mostly takes the permit straight back,
// where asyncrt's semaphore hands it to the oldest waiter.)
void c2_std(benchmark::State& st, int permits) {
    std::counting_semaphore<> sem{permits};
    std::int64_t shared = 0;
    for (auto _ : st) {
        std::vector<std::thread> ts;
        for (int i = 0; i < kContenders; ++i)
            ts.emplace_back([&] {
                for (int r = 0; r < kContendRounds; ++r) {
                    sem.acquire();
                    benchmark::DoNotOptimize(++shared);
                    sem.release();
                }
            });
        for (auto& t : ts) t.join();
    }
    per_op(st, kContenders * kContendRounds);
}
void c2_1_std(benchmark::State& st) { c2_std(st, 1); }
void c2_4_std(benchmark::State& st) { c2_std(st, 4); }

void d_latency_std(benchmark::State& st) {
    cv_pool pool{kWorkers};
    std::atomic<std::uint32_t> back{0};
    std::uint32_t i = 0;
    for (auto _ : st) {
        ++i;
        pool.post([&back, i] {
            back.store(i, std::memory_order_release);
            back.notify_one();
        });
        std::uint32_t v;
        while ((v = back.load(std::memory_order_acquire)) != i) back.wait(v, std::memory_order_acquire);
    }
    per_op(st, 1);
}

void d_pipelined_std(benchmark::State& st) {
    cv_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(kPipeline);
        for (int i = 0; i < kPipeline; ++i) pool.post([&cd] { cd.hit(); });
        cd.wait();
    }
    per_op(st, kPipeline);
}

void when_all_std(benchmark::State& st, int n) {
    cv_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(n);
        for (int i = 0; i < n; ++i) pool.post([&cd] { cd.hit(); });
        cd.wait();
    }
    per_op(st, n);
}

// ---------------------------------------------------------------- asio
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
void a1_asio(benchmark::State& st) {
    asio::thread_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(kSubmit);
        for (std::int64_t i = 0; i < kSubmit; ++i) asio::post(pool, [&cd] { cd.hit(); });
        cd.wait();
    }
    pool.join();
    per_op(st, kSubmit);
}

asio::awaitable<void> asio_noop() { co_return; }

void a3_asio(benchmark::State& st) {
    asio::thread_pool pool{kWorkers};
    countdown cd;
    for (auto _ : st) {
        cd.reset(kSubmit);
        for (std::int64_t i = 0; i < kSubmit; ++i)
            asio::co_spawn(pool, asio_noop(), [&cd](std::exception_ptr) { cd.hit(); });
        cd.wait();
    }
    pool.join();
    per_op(st, kSubmit);
}

asio::awaitable<int> asio_fib(int n) {
    if (n < 2) co_return n;
    int a = co_await asio_fib(n - 1);
    int b = co_await asio_fib(n - 2);
    co_return a + b;
}

void b1_asio(benchmark::State& st) {
    asio::io_context io{1};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        for (auto _ : st) benchmark::DoNotOptimize(co_await asio_fib(kFibChain));
    }, asio::detached);
    io.run();
    per_op(st, static_cast<double>(fib_calls(kFibChain)));
}

using asio_sem = asio::experimental::channel<void(asio::error_code, int)>;
using asio_csem = asio::experimental::concurrent_channel<void(asio::error_code, int)>;

// (void(error_code) alone is ambiguous in asio 1.22 under clang, hence the int.)
// A channel of capacity N as a semaphore: send = acquire (waits when full), receive = release.
void c1_asio(benchmark::State& st) {
    asio::io_context io{1};
    asio_sem ch(io, 1);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        for (auto _ : st) {
            co_await ch.async_send(asio::error_code{}, 0, asio::use_awaitable);
            ch.try_receive([](asio::error_code, int) {});
        }
    }, asio::detached);
    io.run();
    per_op(st, 1);
}

void c2_asio(benchmark::State& st, int permits) {
    asio::thread_pool pool{kWorkers};
    asio_csem ch(pool, static_cast<std::size_t>(permits));
    countdown cd;
    std::int64_t shared = 0;
    for (auto _ : st) {
        cd.reset(kContenders);
        for (int i = 0; i < kContenders; ++i)
            asio::co_spawn(pool, [&]() -> asio::awaitable<void> {
                for (int r = 0; r < kContendRounds; ++r) {
                    co_await ch.async_send(asio::error_code{}, 0, asio::use_awaitable);
                    benchmark::DoNotOptimize(++shared);
                    ch.try_receive([](asio::error_code, int) {});
                }
            }, [&cd](std::exception_ptr) { cd.hit(); });
        cd.wait();
    }
    pool.join();
    per_op(st, kContenders * kContendRounds);
}
void c2_1_asio(benchmark::State& st) { c2_asio(st, 1); }
void c2_4_asio(benchmark::State& st) { c2_asio(st, 4); }

asio::awaitable<int> asio_one() { co_return 1; }

// io_context coroutine -> co_spawn on the pool -> completion back on the io_context.
void d_latency_asio(benchmark::State& st) {
    asio::thread_pool pool{kWorkers};
    asio::io_context io{1};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        for (auto _ : st) {
            int v = co_await asio::co_spawn(pool, asio_one(), asio::use_awaitable);
            benchmark::DoNotOptimize(v);
        }
    }, asio::detached);
    io.run();
    pool.join();
    per_op(st, 1);
}

// 64 posts to the pool, each posting its completion back to the io_context.
void d_pipelined_asio(benchmark::State& st) {
    asio::thread_pool pool{kWorkers};
    asio::io_context io{1};
    auto guard = asio::make_work_guard(io);
    int left = 0;
    for (auto _ : st) {
        left = kPipeline;
        for (int i = 0; i < kPipeline; ++i)
            asio::post(pool, [&] {
                asio::post(io, [&] {
                    if (--left == 0) io.stop();
                });
            });
        io.run();
        io.restart();
    }
    pool.join();
    per_op(st, kPipeline);
}

asio::awaitable<int> asio_leaf(int v) { co_return v; }

// N coroutines co_spawned on one io_context; the run ends when all completed.
void when_all_asio(benchmark::State& st, int n) {
    asio::io_context io{1};
    std::vector<int> out(static_cast<std::size_t>(n));
    for (auto _ : st) {
        for (int i = 0; i < n; ++i)
            asio::co_spawn(io, asio_leaf(i), [&out, i](std::exception_ptr, int v) { out[static_cast<std::size_t>(i)] = v; });
        io.run();
        io.restart();
        benchmark::DoNotOptimize(out.data());
    }
    per_op(st, n);
}
#endif

// ---------------------------------------------------------------- oneTBB
#if defined(ASYNCRT_BENCH_HAVE_TBB)
// a1: fire-and-forget enqueue from an outside thread into an arena served by 2 workers.
void a1_tbb(benchmark::State& st) {
    tbb::task_arena arena(kWorkers, 0);
    countdown cd;
    for (auto _ : st) {
        cd.reset(kSubmit);
        for (std::int64_t i = 0; i < kSubmit; ++i) arena.enqueue([&cd] { cd.hit(); });
        cd.wait();
    }
    per_op(st, kSubmit);
}

// task_group in a 2-slot arena: the submitting thread + 1 worker (the waiter helps).
void a3_tbb(benchmark::State& st) {
    tbb::task_arena arena(kWorkers);
    for (auto _ : st) {
        arena.execute([&] {
            tbb::task_group g;
            for (std::int64_t i = 0; i < kSubmit; ++i) g.run([] {});
            g.wait();
        });
    }
    per_op(st, kSubmit);
}

int tbb_fib(int n) {
    if (n < 2) return n;
    int a = 0;
    tbb::task_group g;
    g.run([&] { a = tbb_fib(n - 1); });
    int b = tbb_fib(n - 2);
    g.wait();
    return a + b;
}

void b2_tbb(benchmark::State& st) {
    tbb::task_arena arena(kWorkers);
    for (auto _ : st) arena.execute([] { benchmark::DoNotOptimize(tbb_fib(kFibPool)); });
    per_op(st, static_cast<double>(fib_calls(kFibPool)));
}

void d_latency_tbb(benchmark::State& st) {
    tbb::task_arena arena(kWorkers, 0);
    std::atomic<std::uint32_t> back{0};
    std::uint32_t i = 0;
    for (auto _ : st) {
        ++i;
        arena.enqueue([&back, i] {
            back.store(i, std::memory_order_release);
            back.notify_one();
        });
        std::uint32_t v;
        while ((v = back.load(std::memory_order_acquire)) != i) back.wait(v, std::memory_order_acquire);
    }
    per_op(st, 1);
}

void d_pipelined_tbb(benchmark::State& st) {
    tbb::task_arena arena(kWorkers, 0);
    countdown cd;
    for (auto _ : st) {
        cd.reset(kPipeline);
        for (int i = 0; i < kPipeline; ++i) arena.enqueue([&cd] { cd.hit(); });
        cd.wait();
    }
    per_op(st, kPipeline);
}

void when_all_tbb(benchmark::State& st, int n) {
    tbb::task_arena arena(kWorkers);
    std::vector<int> out(static_cast<std::size_t>(n));
    for (auto _ : st) {
        arena.execute([&] {
            tbb::task_group g;
            for (int i = 0; i < n; ++i) g.run([&out, i] { out[static_cast<std::size_t>(i)] = i; });
            g.wait();
        });
        benchmark::DoNotOptimize(out.data());
    }
    per_op(st, n);
}
#endif

void register_all() {
    const char* pool2 = "2 workers";
    // The floor: what the hardware and allocator charge for the pieces everything is made of.
    add("floor/coroutine_resume", floor_coroutine_resume, "1 thread");
    add("floor/coroutine_create_resume_destroy", floor_coroutine_create_resume_destroy, "1 thread");
    add("floor/malloc_free_64B", floor_malloc_free_64, "1 thread");
    add("floor/atomic_rmw_uncontended", floor_atomic_rmw, "1 thread");
    add("floor/spin_round_trip_2_threads", floor_spin_round_trip, "2 threads");
    add("floor/futex_wake_round_trip", floor_futex_round_trip, "2 threads");

    add_burst("a1_submit_1M/asyncrt", a1_asyncrt, "spawn+schedule, 2 workers");
    add_burst("a1_submit_1M/asyncrt_start_on", a1_asyncrt_start_on, "spawn(start_on), 2 workers; not in the ratio");
    add_burst("a1_submit_1M/std_thread_cv", a1_std, pool2);
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add_burst("a1_submit_1M/asio_thread_pool", a1_asio, "post, 2 workers");
#endif
#if defined(ASYNCRT_BENCH_HAVE_TBB)
    add_burst("a1_submit_1M/tbb_task_group", a1_tbb, "arena.enqueue, 2 workers");
#endif

    add_burst("a3_spawn_1M_await_all/asyncrt", a3_asyncrt_start_on, "task_group.spawn(start_on(pool, t)), 2 workers");
    add_burst("a3_spawn_1M_await_all/asyncrt_schedule_hop", a3_asyncrt, "task_group.spawn, each task hops over with schedule(), 2 workers; not in the ratio");
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add_burst("a3_spawn_1M_await_all/asio_thread_pool", a3_asio, "co_spawn, 2 workers");
#endif
#if defined(ASYNCRT_BENCH_HAVE_TBB)
    add_burst("a3_spawn_1M_await_all/tbb_task_group", a3_tbb, "caller + 1 worker");
#endif

    add("b1_await_chain_fib25/asyncrt", b1_asyncrt, "1 thread, ns per frame");
    add("b1_await_chain_fib25/std_thread_cv", b1_plain_call_fib, "plain recursive call, reference");
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add("b1_await_chain_fib25/asio_io_context", b1_asio, "awaitable, 1 thread");
#endif

    add("b2_fork_join_fib30/asyncrt", b2_asyncrt, "when_all + start_on, 2 workers");
#if defined(ASYNCRT_BENCH_HAVE_TBB)
    add("b2_fork_join_fib30/tbb_task_group", b2_tbb, "caller + 1 worker");
#endif

    add("c1_semaphore_uncontended/asyncrt", c1_asyncrt, "1 thread");
    add("c1_semaphore_uncontended/std_thread_cv", c1_std, "std::counting_semaphore");
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add("c1_semaphore_uncontended/asio_io_context", c1_asio, "channel as semaphore");
#endif

    add("c1_mutex_uncontended/asyncrt", c1_mutex_asyncrt, "1 thread");
    add("c1_mutex_uncontended/std_thread_cv", c1_mutex_std, "std::mutex");

    add("c2_16_tasks_1_permit/asyncrt", c2_1_asyncrt, "2 workers");
    add("c2_16_tasks_1_permit/std_thread_cv", c2_1_std, "16 threads, std::counting_semaphore");
    add("c2_16_tasks_4_permits/asyncrt", c2_4_asyncrt, "2 workers");
    add("c2_16_tasks_4_permits/std_thread_cv", c2_4_std, "16 threads, std::counting_semaphore");
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add("c2_16_tasks_1_permit/asio_thread_pool", c2_1_asio, "concurrent_channel as semaphore, 2 workers");
    add("c2_16_tasks_4_permits/asio_thread_pool", c2_4_asio, "concurrent_channel as semaphore, 2 workers");
#endif

    add("d_offload_latency/asyncrt", d_latency_asyncrt, "offload, 2 workers");
    add("d_offload_latency/std_thread_cv", d_latency_std, pool2);
    add("d_offload_pipelined_64/asyncrt", d_pipelined_asyncrt, "when_all of 64 offloads, 2 workers");
    add("d_offload_pipelined_64/std_thread_cv", d_pipelined_std, pool2);
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
    add("d_offload_latency/asio_thread_pool", d_latency_asio, "co_spawn from io_context, 2 workers");
    add("d_offload_pipelined_64/asio_thread_pool", d_pipelined_asio, "post/post, 2 workers");
#endif
#if defined(ASYNCRT_BENCH_HAVE_TBB)
    add("d_offload_latency/tbb_task_group", d_latency_tbb, "arena.enqueue, 2 workers");
    add("d_offload_pipelined_64/tbb_task_group", d_pipelined_tbb, "arena.enqueue, 2 workers");
#endif

    for (int n : {10, 1000, 100000}) {
        std::string fam = "when_all_" + std::to_string(n);
        add(fam + "/asyncrt", [n](benchmark::State& st) { when_all_asyncrt(st, n); }, "1 thread (children run inline)");
        add(fam + "/std_thread_cv", [n](benchmark::State& st) { when_all_std(st, n); }, "post N + countdown, 2 workers");
#if defined(ASYNCRT_BENCH_HAVE_ASIO)
        add(fam + "/asio_io_context", [n](benchmark::State& st) { when_all_asio(st, n); }, "co_spawn N, 1 thread");
#endif
#if defined(ASYNCRT_BENCH_HAVE_TBB)
        add(fam + "/tbb_task_group", [n](benchmark::State& st) { when_all_tbb(st, n); }, "caller + 1 worker");
#endif
    }

#if defined(ASYNCRT_BENCH_HAVE_TMC)
    register_tmc_rows();
#endif
#if defined(ASYNCRT_BENCH_HAVE_LIBCORO)
    register_libcoro_rows();
#endif
}

}  // namespace

int main(int argc, char** argv) {
#if defined(ASYNCRT_BENCH_HAVE_TBB)
    // Let an arena have 2 workers besides the calling thread (TBB's default is cores - 1).
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, kWorkers + 1);
#endif
    register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
