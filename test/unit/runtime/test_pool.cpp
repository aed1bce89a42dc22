// thread_pool (schedule, stealing, stress), start_on, offload and to_thread.
#include <asyncrt/detail/handle_ring.hpp>
#include <asyncrt/detail/work_deque.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;
using namespace std::chrono_literals;

namespace {

TEST(ThreadPool, ScheduleMovesTheCoroutineToAWorkerAndTheAwaiterComesBack) {
    asyncrt::thread_pool pool{2};
    EXPECT_EQ(pool.size(), 2u);
    auto loop_thread = std::this_thread::get_id();
    auto on_pool = [&]() -> task<std::thread::id> {
        co_await pool.schedule();
        EXPECT_TRUE(pool.on_worker_thread());
        co_return std::this_thread::get_id();
    };
    auto body = [&]() -> task<void> {
        auto worker = co_await on_pool();
        EXPECT_NE(worker, loop_thread);
        EXPECT_EQ(std::this_thread::get_id(), loop_thread) << "the awaiter resumes on its own loop";
        EXPECT_FALSE(pool.on_worker_thread());
    };
    asyncrt::run(body());
}

TEST(ThreadPool, DefaultSizeIsHardwareConcurrency) {
    asyncrt::thread_pool pool;
    EXPECT_EQ(pool.size(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ThreadPool, DestructorRunsQueuedWork) {
    std::atomic<int> ran{0};
    auto work = [&](asyncrt::thread_pool& p) -> task<void> {
        co_await p.schedule();
        ran.fetch_add(1);
    };
    std::vector<task<void>> keep;
    {
        asyncrt::thread_pool pool{2};
        for (int i = 0; i < 100; ++i) {
            keep.push_back(work(pool));
            asyncrt::detail::task_access::handle(keep.back()).resume();  // posts itself to the pool
        }
    }
    EXPECT_EQ(ran.load(), 100);
    for (auto& t : keep) EXPECT_TRUE(t.is_ready());
}

TEST(ThreadPool, PostManyRunsEveryHandle) {
    std::atomic<int> ran{0};
    auto item = [&]() -> task<void> {
        ran.fetch_add(1);
        co_return;
    };
    std::vector<task<void>> items;  // outlives the pool: frames are freed after the join
    std::vector<std::coroutine_handle<>> handles;
    for (int i = 0; i < 40; ++i) {
        items.push_back(item());
        handles.push_back(asyncrt::detail::task_access::handle(items.back()));
    }
    {
        asyncrt::thread_pool pool{2};
        pool.post_many(handles);
        pool.post_many({});
    }
    EXPECT_EQ(ran.load(), 40);
}

TEST(ThreadPool, IdleWorkerStealsFromABusyWorkersQueue) {
    // One worker queues items on its own (local) queue and then refuses to return until
    // one of them has run: only another worker stealing from that queue can run it.
    std::atomic<int> ran{0};
    std::atomic<bool> stolen_ran{false};
    auto item = [&]() -> task<void> {
        stolen_ran = true;
        ran.fetch_add(1);
        co_return;
    };
    std::vector<task<void>> items;  // outlives the pool: frames are freed after the join
    for (int i = 0; i < 10; ++i) items.push_back(item());
    std::optional<asyncrt::thread_pool> pool{std::in_place, 2};
    auto blocker = [&]() -> task<bool> {
        co_await pool->schedule();
        for (auto& t : items) pool->post(asyncrt::detail::task_access::handle(t));  // local queue
        bool ok = asyncrt_test::eventually([&] { return stolen_ran.load(); });
        co_return ok;
    };
    EXPECT_TRUE(asyncrt::run(blocker()));
    auto steals = pool->steal_count();
    pool.reset();  // runs what is left and joins the workers
    EXPECT_EQ(ran.load(), 10);
    EXPECT_GE(steals, 1u);
}

// The park handshake with a worker's own queue (asymmetric_fence.hpp): a worker posts one
// item to its own queue and then refuses to return until it has run, so only the other
// worker can run it, and that worker is parked (or parking) each time. A post that misses
// the parking worker and is missed by it leaves the item stranded: eventually() fails.
TEST(ThreadPool, AParkedWorkerWakesForAnItemPostedToABusyWorkersOwnQueue) {
    constexpr int rounds = 100;
    std::atomic<int> ran{0};
    auto item = [&]() -> task<void> {
        ran.fetch_add(1);
        co_return;
    };
    std::vector<task<void>> items;  // outlives the pool: an item may still be finishing
    for (int i = 0; i < rounds; ++i) items.push_back(item());
    std::optional<asyncrt::thread_pool> pool{std::in_place, 2};
    int stranded = 0;
    for (int round = 0; round < rounds && stranded == 0; ++round) {
        // Long enough, now and then, for the other worker to stop spinning and park.
        std::this_thread::sleep_for(std::chrono::microseconds(round % 4 == 0 ? 2000 : 50));
        auto poster = [&]() -> task<bool> {
            co_await pool->schedule();
            pool->post(asyncrt::detail::task_access::handle(items[round]));  // own queue
            co_return asyncrt_test::eventually([&] { return ran.load() > round; }, std::chrono::seconds(5));
        };
        if (!asyncrt::run(poster())) ++stranded;
    }
    pool.reset();
    EXPECT_EQ(stranded, 0);
    EXPECT_EQ(ran.load(), rounds);
}

TEST(ThreadPool, StressManyTasksFromManyThreads) {
    asyncrt::thread_pool pool{4};
    std::atomic<long> sum{0};
    const int per_source = 25'000 / asyncrt_test::stress_scale;
    auto leaf = [&](int v) -> task<void> {
        co_await pool.schedule();
        sum.fetch_add(v, std::memory_order_relaxed);
    };
    // Fan-out from inside the pool (local queues) ...
    auto fan = [&]() -> task<void> {
        co_await pool.schedule();
        std::vector<task<void>> ts;
        for (int i = 1; i <= per_source; ++i) ts.push_back(leaf(i));
        co_await asyncrt::when_all(std::move(ts));
    };
    // ... and from two plain threads posting through run() loops of their own.
    auto outside = [&] {
        asyncrt::run([&]() -> task<void> {
            std::vector<task<void>> ts;
            for (int i = 1; i <= per_source; ++i) ts.push_back(leaf(i));
            co_await asyncrt::when_all(std::move(ts));
        }());
    };
    std::thread t1(outside), t2(outside);
    asyncrt::run(fan());
    t1.join();
    t2.join();
    long expected = 3L * per_source * (per_source + 1) / 2;
    EXPECT_EQ(sum.load(), expected);
}

TEST(ThreadPool, PostsFromOutsideBeyondTheInjectionRingAllRun) {
    // The one worker is held while an outside thread posts far more than the lock-free
    // injection ring holds, in single posts and in batches, so most of them go to the
    // overflow queue behind it. Every item must run exactly once.
    constexpr int items_count = 5000;
    std::vector<std::atomic<int>> runs(items_count);
    auto item = [&](int i) -> task<void> {
        runs[static_cast<std::size_t>(i)].fetch_add(1);
        co_return;
    };
    std::vector<task<void>> items;  // outlives the pool: frames are freed after the join
    for (int i = 0; i < items_count; ++i) items.push_back(item(i));
    std::atomic<bool> release{false};
    auto hold = [&]() -> task<void> {
        while (!release.load()) std::this_thread::yield();
        co_return;
    };
    auto held = hold();
    {
        asyncrt::thread_pool pool{1};
        pool.post(asyncrt::detail::task_access::handle(held));
        std::vector<std::coroutine_handle<>> batch;
        for (int i = 0; i < items_count; ++i) {
            auto h = asyncrt::detail::task_access::handle(items[static_cast<std::size_t>(i)]);
            if (i % 3 == 0) {
                pool.post(h);
                continue;
            }
            batch.push_back(h);
            if (batch.size() == 7) {
                pool.post_many(batch);
                batch.clear();
            }
        }
        pool.post_many(batch);
        release = true;
    }
    for (int i = 0; i < items_count; ++i) EXPECT_EQ(runs[static_cast<std::size_t>(i)].load(), 1) << "item " << i;
}

// The injection ring itself. Handles are only carried, never resumed, so the tests make
// them from integers.
std::coroutine_handle<> fake_handle(std::uintptr_t v) {
    return std::coroutine_handle<>::from_address(reinterpret_cast<void*>(v));
}
std::uintptr_t value_of(std::coroutine_handle<> h) { return reinterpret_cast<std::uintptr_t>(h.address()); }

// A worker posts far more than its queue's first ring holds before taking any, while the
// other worker steals: every item runs once.
TEST(ThreadPool, AWorkersOwnQueueGrowsAndLosesNothing) {
    constexpr int n = 5'000;
    std::atomic<int> ran{0};
    auto item = [&]() -> task<void> {
        ran.fetch_add(1);
        co_return;
    };
    std::vector<task<void>> items;  // outlives the pool: frames are freed after the join
    for (int i = 0; i < n; ++i) items.push_back(item());
    std::optional<asyncrt::thread_pool> pool{std::in_place, 2};
    auto poster = [&]() -> task<void> {
        co_await pool->schedule();
        for (auto& t : items) pool->post(asyncrt::detail::task_access::handle(t));  // its own queue
    };
    asyncrt::run(poster());
    pool.reset();
    EXPECT_EQ(ran.load(), n);
}

// The owner takes newest first and thieves oldest first; with two thieves racing the
// owner for every item, each item is taken exactly once.
TEST(WorkDeque, OwnerTakesNewestThievesOldestAndEachItemOnce) {
    using asyncrt::detail::work_deque;
    auto handle = [](std::size_t i) { return std::coroutine_handle<>::from_address(reinterpret_cast<void*>((i + 1) * 16)); };
    auto index = [](std::coroutine_handle<> h) { return reinterpret_cast<std::size_t>(h.address()) / 16 - 1; };
    {
        work_deque q;
        for (std::size_t i = 0; i < 3; ++i) q.push(handle(i));
        std::coroutine_handle<> h;
        ASSERT_TRUE(q.steal(h));
        EXPECT_EQ(index(h), 0u);
        ASSERT_TRUE(q.take(h));
        EXPECT_EQ(index(h), 2u);
        ASSERT_TRUE(q.take(h));
        EXPECT_EQ(index(h), 1u);
        EXPECT_FALSE(q.take(h));
        EXPECT_FALSE(q.steal(h));
        std::vector<std::coroutine_handle<>> batch;
        for (std::size_t i = 0; i < 600; ++i) batch.push_back(handle(i));  // grows the ring twice
        q.push_many(batch);
        ASSERT_TRUE(q.take(h));
        EXPECT_EQ(index(h), 599u);
        ASSERT_TRUE(q.steal(h));
        EXPECT_EQ(index(h), 0u);
        std::size_t left = 0;
        while (q.take(h)) ++left;
        EXPECT_EQ(left, 598u);
    }
    const std::size_t n = 200'000 / static_cast<std::size_t>(asyncrt_test::stress_scale);
    work_deque q;
    std::vector<std::atomic<int>> taken(n);
    std::atomic<bool> done{false};
    auto thief = [&] {
        std::coroutine_handle<> h;
        while (!done.load()) {
            if (q.steal(h)) taken[index(h)].fetch_add(1);
        }
    };
    std::thread t1(thief), t2(thief);
    std::coroutine_handle<> h;
    for (std::size_t i = 0; i < n; ++i) {
        q.push(handle(i));
        if (i % 3 == 0 && q.take(h)) taken[index(h)].fetch_add(1);  // the queue grows meanwhile
    }
    while (q.take(h)) taken[index(h)].fetch_add(1);
    done = true;
    t1.join();
    t2.join();
    std::size_t wrong = 0;
    for (auto& c : taken) wrong += c.load() != 1;
    EXPECT_EQ(wrong, 0u);
}

TEST(HandleRing, PopsOldestFirstInBatchesAndStopsWhenEmpty) {
    asyncrt::detail::handle_ring<8> ring;
    std::array<std::coroutine_handle<>, 3> in{fake_handle(1), fake_handle(2), fake_handle(3)};
    ASSERT_TRUE(ring.try_push(in));
    EXPECT_FALSE(ring.looks_empty());
    EXPECT_EQ(ring.ready_at_head(8), 3u);
    std::array<std::coroutine_handle<>, 2> out{};
    ASSERT_EQ(ring.try_pop(out), 2u);
    EXPECT_EQ(value_of(out[0]), 1u);
    EXPECT_EQ(value_of(out[1]), 2u);
    ASSERT_EQ(ring.try_pop(out), 1u);
    EXPECT_EQ(value_of(out[0]), 3u);
    EXPECT_EQ(ring.try_pop(out), 0u);
    EXPECT_TRUE(ring.looks_empty());
    EXPECT_FALSE(ring.claimed_any());
}

TEST(HandleRing, AFullRingRefusesAWholeBatchAndWrapsAroundAfterPops) {
    asyncrt::detail::handle_ring<8> ring;
    std::vector<std::coroutine_handle<>> six, three, two;
    for (std::uintptr_t v = 1; v <= 6; ++v) six.push_back(fake_handle(v));
    for (std::uintptr_t v = 7; v <= 9; ++v) three.push_back(fake_handle(v));
    ASSERT_TRUE(ring.try_push(six));
    EXPECT_FALSE(ring.try_push(three));  // two cells free: all or nothing
    EXPECT_EQ(ring.ready_at_head(8), 6u);
    two = {fake_handle(7), fake_handle(8)};
    ASSERT_TRUE(ring.try_push(two));
    EXPECT_FALSE(ring.try_push(std::span(two).first(1)));
    std::vector<std::coroutine_handle<>> too_many(9, fake_handle(1));
    EXPECT_FALSE(ring.try_push(too_many));
    // Round and round: the cells are reused lap after lap, in order.
    std::uintptr_t next_out = 1, next_in = 9;
    std::array<std::coroutine_handle<>, 3> out{};
    for (int lap = 0; lap < 100; ++lap) {
        std::size_t n = ring.try_pop(out);
        ASSERT_EQ(n, 3u);
        for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(value_of(out[i]), next_out++);
        std::array<std::coroutine_handle<>, 3> in{fake_handle(next_in), fake_handle(next_in + 1), fake_handle(next_in + 2)};
        ASSERT_TRUE(ring.try_push(in));
        next_in += 3;
    }
}

TEST(HandleRing, ManyProducersAndConsumersLoseNothingAndKeepEachProducersOrder) {
    // Four producers push numbered items (producer in the top bits), alone and in batches,
    // retrying when the small ring is full; three consumers pop batches. Every item comes
    // out once, and within one consumer each producer's items come out in push order.
    constexpr int producers = 4, consumers = 3;
    const std::uintptr_t per_producer = 40'000 / asyncrt_test::stress_scale;
    asyncrt::detail::handle_ring<64> ring;
    std::atomic<std::uintptr_t> popped{0};
    std::vector<std::vector<std::uintptr_t>> seen(consumers);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            std::uintptr_t i = 0;
            while (i < per_producer) {
                std::size_t n = std::min<std::uintptr_t>(1 + i % 5, per_producer - i);
                std::vector<std::coroutine_handle<>> batch;
                for (std::size_t k = 0; k < n; ++k)
                    batch.push_back(fake_handle((static_cast<std::uintptr_t>(p + 1) << 32) | (i + k + 1)));
                while (!ring.try_push(batch)) std::this_thread::yield();
                i += n;
            }
        });
    }
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&, c] {
            std::array<std::coroutine_handle<>, 4> out{};
            while (popped.load() < producers * per_producer) {
                std::size_t n = ring.try_pop(std::span(out).first(1 + c));
                for (std::size_t k = 0; k < n; ++k) seen[static_cast<std::size_t>(c)].push_back(value_of(out[k]));
                popped.fetch_add(n);
                if (n == 0) std::this_thread::yield();
            }
        });
    }
    for (auto& t : threads) t.join();
    std::vector<int> count_of(producers * (per_producer + 1), 0);
    for (const auto& items : seen) {
        std::vector<std::uintptr_t> last(producers + 1, 0);
        for (std::uintptr_t v : items) {
            std::uintptr_t p = v >> 32, i = v & 0xffffffffu;
            ASSERT_GE(p, 1u);
            ASSERT_LE(p, static_cast<std::uintptr_t>(producers));
            ASSERT_LE(i, per_producer);
            EXPECT_GT(i, last[p]) << "producer " << p << " out of order";
            last[p] = i;
            ++count_of[(p - 1) * (per_producer + 1) + i];
        }
    }
    for (int p = 0; p < producers; ++p)
        for (std::uintptr_t i = 1; i <= per_producer; ++i)
            ASSERT_EQ(count_of[static_cast<std::size_t>(p) * (per_producer + 1) + i], 1) << "producer " << p + 1 << " item " << i;
    EXPECT_TRUE(ring.looks_empty());
}

TEST(StartOn, TaskBeginsOnAWorkerAndItsAwaiterResumesOnTheLoop) {
    asyncrt::thread_pool pool{2};
    auto loop_thread = std::this_thread::get_id();
    auto where = [&]() -> task<std::thread::id> {
        EXPECT_TRUE(pool.on_worker_thread()) << "no schedule() in the body: start_on put it there";
        co_return std::this_thread::get_id();
    };
    auto body = [&]() -> task<void> {
        auto worker = co_await asyncrt::start_on(pool, where());
        EXPECT_NE(worker, loop_thread);
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
    };
    asyncrt::run(body());
}

TEST(StartOn, ExceptionsReachTheAwaiterAndAnEmptyTaskStaysEmpty) {
    asyncrt::thread_pool pool{1};
    auto fails = []() -> task<int> {
        throw std::runtime_error("on the pool");
        co_return 0;
    };
    EXPECT_THROW(asyncrt::run(asyncrt::start_on(pool, fails())), std::runtime_error);
    EXPECT_FALSE(asyncrt::start_on(pool, task<int>{}).valid());
}

// when_all(start_on(pool, fork()), inline_half(), start_on(pool, other())) where the
// inline half waits until the fork has started: it can only if the fork was posted
// before the inline half ran, and (on a worker) another worker stole it.
int fork_and_a_waiting_inline_half(asyncrt::thread_pool& pool, bool from_a_worker) {
    std::atomic<bool> fork_started{false};
    auto fork = [&]() -> task<int> {
        fork_started = true;
        co_return 1;
    };
    auto inline_half = [&]() -> task<int> { co_return asyncrt_test::eventually([&] { return fork_started.load(); }) ? 2 : 0; };
    auto other = []() -> task<int> { co_return 4; };
    auto body = [&]() -> task<int> {
        if (from_a_worker) co_await pool.schedule();
        auto [a, b, c] = co_await asyncrt::when_all(asyncrt::start_on(pool, fork()), inline_half(),
                                                    asyncrt::start_on(pool, other()));
        co_return a + b + c;
    };
    return asyncrt::run(body());
}

TEST(StartOn, TheForkIsPostedFromAWorkerWithNothingQueued) {
    asyncrt::thread_pool pool{2};
    EXPECT_EQ(fork_and_a_waiting_inline_half(pool, true), 7);
    EXPECT_GE(pool.steal_count(), 1u);
}

// While the worker's own queue holds work for a thief (here an unrelated task, and no
// other worker to take it), a fork begins at once on this worker, before the next child:
// posted, it would wait behind the inline half (entered by transfer) instead.
TEST(StartOn, AForkRunsAtOnceWhileTheWorkersQueueHoldsWork) {
    asyncrt::thread_pool pool{1};
    std::vector<std::string> events;
    auto child = [&](const char* what) -> task<int> {
        events.emplace_back(what);
        co_return 1;
    };
    auto body = [&]() -> task<int> {
        co_await pool.schedule();
        asyncrt::task_group queued;
        queued.spawn(asyncrt::start_on(pool, child("queued")));  // into this worker's queue
        auto [a, b] = co_await asyncrt::when_all(asyncrt::start_on(pool, child("fork")), child("inline"));
        co_await queued.join();
        co_return a + b;
    };
    EXPECT_EQ(asyncrt::run(body()), 2);
    EXPECT_EQ(events, (std::vector<std::string>{"fork", "inline", "queued"}));
}

// Forks begun at once are nested calls. A recursion 100,000 forks deep (each level forks
// the next while an item waits in the queue) must not take 100,000 stack frames: past a
// bound, a fork is posted again, and the worker takes it with an empty stack.
task<long> one() { co_return 1; }

task<long> fork_chain(asyncrt::thread_pool& pool, int depth) {
    if (depth == 0) co_return 0;
    auto [below, here] = co_await asyncrt::when_all(asyncrt::start_on(pool, fork_chain(pool, depth - 1)),
                                                    one());
    co_return below + here;
}

TEST(StartOn, ForksBegunAtOnceInsideOneAnotherStayShallow) {
    asyncrt::thread_pool pool{1};
    const int depth = 100'000 / asyncrt_test::stress_scale;
    auto body = [&]() -> task<long> {
        co_await pool.schedule();
        asyncrt::task_group queued;
        queued.spawn(asyncrt::start_on(pool, []() -> task<void> { co_return; }()));
        long sum = co_await fork_chain(pool, depth);
        co_await queued.join();
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), depth);
}

TEST(StartOn, WhenAllPostsItsForksBeforeAnyChildRunsInline) {
    // when_all posts consecutive start_on children together; the batch must go out before
    // an ordinary child runs inline.
    asyncrt::thread_pool pool{2};
    EXPECT_EQ(fork_and_a_waiting_inline_half(pool, false), 7);
}

task<long> forked_fib(asyncrt::thread_pool& pool, int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await asyncrt::when_all(asyncrt::start_on(pool, forked_fib(pool, n - 1)), forked_fib(pool, n - 2));
    co_return a + b;
}

TEST(StartOn, ForkJoinFibonacciOnThePool) {
    asyncrt::thread_pool pool{2};
    const int n = 22 - 2 * (asyncrt_test::stress_scale - 1);  // 28,656 tasks; fewer under sanitizers
    long expected_prev = 0, expected = 1;
    for (int i = 1; i < n; ++i) expected = std::exchange(expected_prev, expected) + expected;
    EXPECT_EQ(asyncrt::run(asyncrt::start_on(pool, forked_fib(pool, n))), expected);
}

// Both halves of a fork-join on the pool fail: both run to the end, and the first failure
// in argument order is rethrown, whichever half finished last.
TEST(StartOn, ForkJoinOnThePoolRethrowsTheFirstFailureInArgumentOrder) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> finished{0};
    auto half = [&](const char* what, bool fail) -> task<int> {
        finished.fetch_add(1);
        if (fail) throw std::runtime_error(what);
        co_return 1;
    };
    auto body = [&](bool fork_fails, bool inline_fails) -> task<std::string> {
        co_await pool.schedule();
        try {
            auto [a, b] = co_await asyncrt::when_all(asyncrt::start_on(pool, half("fork", fork_fails)),
                                                     half("inline", inline_fails));
            co_return std::to_string(a + b);
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
    };
    EXPECT_EQ(asyncrt::run(body(true, true)), "fork");
    EXPECT_EQ(asyncrt::run(body(false, true)), "inline");
    EXPECT_EQ(asyncrt::run(body(true, false)), "fork");
    EXPECT_EQ(asyncrt::run(body(false, false)), "2");
    EXPECT_EQ(finished.load(), 8);
}

// A task_group's cancellation reaches both halves of a fork-join running on two workers
// (the fork was stolen; each half spins until it sees the request), and join rethrows
// the failure that caused it.
TEST(StartOn, TaskGroupCancellationReachesBothHalvesOfAForkOnThePool) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> cancelled{0};
    auto half = [&]() -> task<void> {
        auto token = co_await asyncrt::get_cancellation_token();
        bool seen = asyncrt_test::eventually([&] { return token.stop_requested(); });
        EXPECT_TRUE(seen);
        cancelled.fetch_add(1);
        throw asyncrt::operation_cancelled{};
    };
    auto fork_join = [&]() -> task<void> { co_await asyncrt::when_all(asyncrt::start_on(pool, half()), half()); };
    auto failing = []() -> task<void> {
        co_await asyncrt::sleep_for(5ms);
        throw std::runtime_error("first");
    };
    auto body = [&]() -> task<std::string> {
        asyncrt::task_group g;
        g.spawn(asyncrt::start_on(pool, fork_join()));
        g.spawn(failing());
        try {
            co_await g.join();
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "no exception";
    };
    EXPECT_EQ(asyncrt::run(body()), "first");
    EXPECT_EQ(cancelled.load(), 2);
}

TEST(StartOn, SpawnAndTaskGroupStartTheTaskOnThePool) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> on_workers{0};
    auto record = [&]() -> task<void> {
        if (pool.on_worker_thread()) on_workers.fetch_add(1);
        co_return;
    };
    asyncrt::run([&]() -> task<void> {
        asyncrt::task_group g;
        for (int i = 0; i < 10; ++i) g.spawn(asyncrt::start_on(pool, record()));
        co_await g.join();
        asyncrt::spawn(asyncrt::start_on(pool, record()));  // run() waits for it
    }());
    EXPECT_EQ(on_workers.load(), 11);
}

TEST(Offload, ReturnsValueAndResumesOnTheLoopThread) {
    asyncrt::thread_pool pool{2};
    auto loop_thread = std::this_thread::get_id();
    auto body = [&]() -> task<void> {
        std::thread::id ran_on;
        int r = co_await asyncrt::offload(pool, [&](int a, int b) {
            ran_on = std::this_thread::get_id();
            return a * b;
        }, 6, 7);
        EXPECT_EQ(r, 42);
        EXPECT_NE(ran_on, loop_thread);
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
    };
    asyncrt::run(body());
}

TEST(Offload, CarriesExceptionsBack) {
    asyncrt::thread_pool pool{1};
    auto loop_thread = std::this_thread::get_id();
    auto body = [&]() -> task<std::string> {
        try {
            co_await asyncrt::offload(pool, []() -> int { throw std::runtime_error("from pool"); });
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(std::this_thread::get_id(), loop_thread);
            co_return e.what();
        }
        co_return "none";
    };
    EXPECT_EQ(asyncrt::run(body()), "from pool");
}

TEST(Offload, VoidMoveOnlyAndReferenceResults) {
    asyncrt::thread_pool pool{1};
    int target = 0;
    auto body = [&]() -> task<void> {
        co_await asyncrt::offload(pool, [&] { target = 5; });
        EXPECT_EQ(target, 5);
        auto p = co_await asyncrt::offload(pool, [] { return std::make_unique<int>(9); });
        EXPECT_EQ(*p, 9);
        int& r = co_await asyncrt::offload(pool, [&]() -> int& { return target; });
        EXPECT_EQ(&r, &target);
        // Arguments are copied, like std::thread; std::ref shares.
        int counter = 0;
        co_await asyncrt::offload(pool, [](int& c) { ++c; }, std::ref(counter));
        EXPECT_EQ(counter, 1);
    };
    asyncrt::run(body());
}

TEST(Offload, ManyConcurrentOffloadsUnderWhenAll) {
    asyncrt::thread_pool pool{3};
    auto body = [&]() -> task<long> {
        std::vector<task<long>> ts;
        for (long i = 0; i < 500; ++i) ts.push_back(asyncrt::offload(pool, [i] { return i * i; }));
        auto v = co_await asyncrt::when_all(std::move(ts));
        long sum = 0;
        for (long x : v) sum += x;
        co_return sum;
    };
    long expected = 0;
    for (long i = 0; i < 500; ++i) expected += i * i;
    EXPECT_EQ(asyncrt::run(body()), expected);
}

void void_call(int& x) { x = 3; }
int blocking_call() { return 11; }

TEST(ToThread, LinterSpellingsCompileAndWork) {
    auto loop_thread = std::this_thread::get_id();
    auto body = [&]() -> task<int> {
        int x = 0;
        auto r = co_await asyncrt::to_thread([&] { return blocking_call(); });
        co_await asyncrt::to_thread([&] { return void_call(x); });  // void result
        EXPECT_EQ(x, 3);
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
        auto with_args = co_await asyncrt::to_thread([](int a, std::string s) { return s + std::to_string(a); }, 4,
                                                     std::string("n"));
        EXPECT_EQ(with_args, "n4");
        co_return r;
    };
    EXPECT_EQ(asyncrt::run(body()), 11);
}

TEST(ToThread, ExceptionsPropagate) {
    auto body = []() -> task<void> {
        co_await asyncrt::to_thread([]() -> void { throw std::out_of_range("blocking failure"); });
    };
    EXPECT_THROW(asyncrt::run(body()), std::out_of_range);
}

TEST(ToThread, BlockingCallsDoNotBlockTheLoop) {
    // While a to_thread call blocks, a timer on the loop keeps firing.
    std::atomic<bool> release{false};
    int ticks = 0;
    auto blocker = [&]() -> task<void> {
        co_await asyncrt::to_thread([&] {
            asyncrt_test::eventually([&] { return release.load(); });
        });
    };
    auto ticker = [&]() -> task<void> {
        for (int i = 0; i < 3; ++i) {
            co_await asyncrt::sleep_for(1ms);
            ++ticks;
        }
        release = true;
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(blocker(), ticker()); };
    asyncrt::run(body());
    EXPECT_EQ(ticks, 3);
}

TEST(ToThread, PoolGrowsOnDemandUpToItsBound) {
    auto saved = asyncrt::blocking_pool_limit();
    EXPECT_GE(saved, 16u);
    auto before = asyncrt::blocking_pool_threads();
    const std::size_t bound = std::max<std::size_t>(before, 1) + 2;  // room for 2 new threads
    asyncrt::set_blocking_pool_limit(bound);
    std::atomic<int> inside{0}, peak{0};
    auto job = [&]() -> task<void> {
        co_await asyncrt::to_thread([&] {
            int now = inside.fetch_add(1) + 1;
            int p = peak.load();
            while (now > p && !peak.compare_exchange_weak(p, now)) {
            }
            // Hold the thread until the pool is saturated (or a generous deadline passes).
            asyncrt_test::eventually([&] { return peak.load() >= static_cast<int>(bound); },
                                     std::chrono::seconds(5));
            inside.fetch_sub(1);
        });
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (std::size_t i = 0; i < 3 * bound; ++i) ts.push_back(job());
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    asyncrt::set_blocking_pool_limit(saved);
    EXPECT_EQ(asyncrt::blocking_pool_threads(), bound);
    EXPECT_LE(peak.load(), static_cast<int>(bound));
    EXPECT_EQ(peak.load(), static_cast<int>(bound)) << "the pool should grow to its bound under load";
}

}  // namespace
