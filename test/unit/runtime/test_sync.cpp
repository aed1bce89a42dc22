// semaphore and mutex: FIFO fairness, RAII, fast paths, cross-thread exclusion.
#include <asyncrt/mutex.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;
using namespace std::chrono_literals;

namespace {

TEST(Semaphore, TryAcquireAndRelease) {
    asyncrt::semaphore sem{2};
    EXPECT_EQ(sem.available(), 2);
    EXPECT_TRUE(sem.try_acquire());
    EXPECT_TRUE(sem.try_acquire());
    EXPECT_FALSE(sem.try_acquire());
    EXPECT_EQ(sem.available(), 0);
    EXPECT_EQ(sem.waiters(), 0u);
    sem.release();
    EXPECT_EQ(sem.available(), 1);
    EXPECT_TRUE(sem.try_acquire());
    sem.release();
    sem.release();
    EXPECT_EQ(sem.available(), 2);
}

TEST(Semaphore, PermitIsRaiiAndMovable) {
    asyncrt::semaphore sem{1};
    auto body = [&]() -> task<void> {
        {
            auto permit = co_await sem.acquire();
            EXPECT_TRUE(permit.owns());
            EXPECT_EQ(sem.available(), 0);
            auto moved = std::move(permit);
            EXPECT_FALSE(permit.owns());  // NOLINT(bugprone-use-after-move)
            EXPECT_EQ(sem.available(), 0);
        }
        EXPECT_EQ(sem.available(), 1);
        auto p = co_await sem.acquire();
        p.release();
        EXPECT_EQ(sem.available(), 1);
        p.release();  // idempotent
        EXPECT_EQ(sem.available(), 1);
    };
    asyncrt::run(body());
}

TEST(Semaphore, ForgetKeepsThePermitConsumed) {
    asyncrt::semaphore sem{2};
    auto body = [&]() -> task<void> {
        (co_await sem.acquire()).forget();
        EXPECT_EQ(sem.available(), 1);
        sem.release();  // whoever signals gives it back explicitly
        EXPECT_EQ(sem.available(), 2);
    };
    asyncrt::run(body());
}

TEST(Semaphore, WaitersAreServedInFifoOrder) {
    asyncrt::semaphore sem{0};
    std::vector<int> order;
    auto waiter = [&](int id) -> task<void> {
        auto permit = co_await sem.acquire();
        order.push_back(id);
        co_await asyncrt::yield();
    };
    auto releaser = [&]() -> task<void> {
        co_await asyncrt::sleep_for(1ms);  // every waiter is queued by now
        EXPECT_EQ(sem.waiters(), 5u);
        sem.release();
    };
    auto body = [&]() -> task<void> {
        co_await asyncrt::when_all(waiter(0), waiter(1), waiter(2), waiter(3), waiter(4), releaser());
    };
    asyncrt::run(body());
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(sem.available(), 1);
    EXPECT_EQ(sem.waiters(), 0u);
}

// A holder takes every permit, a waiter queues, the holder gives one back and at once
// asks again: the permit must go to the waiter. Before that the holder cycles a permit
// through its thread's cache, which with permits to spare keeps it (permit_cache.hpp).
std::vector<std::string> release_then_reacquire_log(std::ptrdiff_t permits, int warm_rounds = 1) {
    asyncrt::semaphore sem{permits};
    std::vector<std::string> log;
    auto holder = [&]() -> task<void> {
        for (int i = 0; i < warm_rounds; ++i) auto warm = co_await sem.acquire();
        if (warm_rounds > 1) EXPECT_TRUE(sem.kept_for_this_thread());
        std::vector<asyncrt::semaphore::permit> held;
        for (std::ptrdiff_t i = 0; i < permits; ++i) held.push_back(co_await sem.acquire());
        co_await asyncrt::yield();  // the waiter queues meanwhile
        EXPECT_EQ(sem.waiters(), 1u);
        held.back().release();
        auto again = co_await sem.acquire();  // must not barge past the queued waiter
        log.push_back("holder again");
    };
    auto waiter = [&]() -> task<void> {
        auto p = co_await sem.acquire();
        log.push_back("waiter");
        co_await asyncrt::yield();
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(holder(), waiter()); };
    asyncrt::run(body());
    EXPECT_EQ(sem.available(), permits);
    return log;
}

TEST(Semaphore, ReleaseHandsThePermitToTheOldestWaiterNoBarging) {
    EXPECT_EQ(release_then_reacquire_log(1), (std::vector<std::string>{"waiter", "holder again"}));
}

TEST(Semaphore, NoBargingWithAPermitCachedOnThisThread) {
    EXPECT_EQ(release_then_reacquire_log(3), (std::vector<std::string>{"waiter", "holder again"}));
}

TEST(Semaphore, TryAcquireFailsWhileWaitersQueued) {
    asyncrt::semaphore sem{0};
    bool try_result = true;
    auto waiter = [&]() -> task<void> { auto p = co_await sem.acquire(); };
    auto prober = [&]() -> task<void> {
        co_await asyncrt::yield();
        EXPECT_EQ(sem.waiters(), 1u);
        sem.release();  // handed to the waiter, not left in the counter
        try_result = sem.try_acquire();
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(waiter(), prober()); };
    asyncrt::run(body());
    EXPECT_FALSE(try_result);
    EXPECT_EQ(sem.available(), 1);
}

TEST(Semaphore, LimitsConcurrency) {
    asyncrt::semaphore sem{3};
    int running = 0, peak = 0;
    auto work = [&]() -> task<void> {
        auto p = co_await sem.acquire();
        ++running;
        peak = std::max(peak, running);
        co_await asyncrt::sleep_for(1ms);
        --running;
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 30; ++i) ts.push_back(work());
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    EXPECT_EQ(peak, 3);
}

// A permit handed over on a pool worker puts the waiter in that worker's wake slot. If
// the worker then keeps running something else, the other worker must take the waiter
// from the slot (a thief's look covers it), or it would wait for the blocked one.
TEST(Semaphore, AWaiterWokenOnABusyWorkerIsTakenFromItsWakeSlotByAnother) {
    asyncrt::thread_pool pool{2};
    asyncrt::semaphore sem{1};
    std::atomic<bool> holding{false}, waiter_ran{false};
    auto holder = [&]() -> task<bool> {
        co_await pool.schedule();
        auto permit = co_await sem.acquire();
        holding = true;
        bool queued = asyncrt_test::eventually([&] { return sem.waiters() == 1; }, std::chrono::seconds(5));
        // waiters() counts the waiter from its registration on; it enqueues a moment later.
        // A release in between leaves the permit for it to pick up without suspending (and
        // without the wake slot this test is about), which under TSan is the usual case.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        permit.release();  // to the waiter: into this worker's wake slot
        co_return queued && asyncrt_test::eventually([&] { return waiter_ran.load(); }, std::chrono::seconds(5));
    };
    auto waiter = [&]() -> task<void> {
        co_await pool.schedule();
        asyncrt_test::eventually([&] { return holding.load(); });
        auto permit = co_await sem.acquire();
        waiter_ran = true;
    };
    auto steals_before = pool.steal_count();
    auto [ok, done] = asyncrt::run(asyncrt::when_all(holder(), waiter()).as_task());
    (void)done;
    EXPECT_TRUE(ok);
    EXPECT_GE(pool.steal_count(), steals_before + 1);
    EXPECT_EQ(sem.available(), 1);
}

// Two tasks passing one permit back and forth run on one worker, through its wake slot;
// the other worker, seeing only those handoffs, dozes instead of spinning on (see
// thread_pool.cpp). If the permit holder then blocks its worker right after a handoff, the
// dozing worker must still take the waiter from the slot: when its doze ends, at the
// latest.
TEST(Semaphore, ADozingWorkerTakesTheWakeSlotOfAWorkerThatThenBlocks) {
    asyncrt::thread_pool pool{2};
    asyncrt::semaphore sem{1};
    std::atomic<bool> stop{false}, partner_ran{false};
    auto staller = [&]() -> task<bool> {
        co_await pool.schedule();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            auto permit = co_await sem.acquire();
            if (pool.doze_count() == 0 && std::chrono::steady_clock::now() < deadline) continue;
            stop = true;
            permit.release();  // to the partner, queued behind us: into this worker's wake slot
            // Block this worker until the partner has run elsewhere.
            co_return asyncrt_test::eventually([&] { return partner_ran.load(); }, std::chrono::seconds(5));
        }
    };
    auto partner = [&]() -> task<void> {
        co_await pool.schedule();
        for (;;) {
            auto permit = co_await sem.acquire();
            if (stop) break;
        }
        partner_ran = true;
    };
    auto [ok, done] = asyncrt::run(asyncrt::when_all(staller(), partner()).as_task());
    (void)done;
    EXPECT_GT(pool.doze_count(), 0u);
    EXPECT_TRUE(ok);
    EXPECT_EQ(sem.available(), 1);
}

TEST(Semaphore, ManyThreadsHammering) {
    // Plain threads use the non-suspending API; pool coroutines use acquire(). Every
    // acquisition is checked against the permit count.
    constexpr int permits = 3;
    asyncrt::semaphore sem{permits};
    std::atomic<int> inside{0}, violations{0}, total{0};
    auto enter = [&] {
        if (inside.fetch_add(1) + 1 > permits) violations.fetch_add(1);
        total.fetch_add(1);
        inside.fetch_sub(1);
    };
    asyncrt::thread_pool pool{3};
    const int per_coroutine = 4000 / asyncrt_test::stress_scale;
    auto worker = [&]() -> task<void> {
        co_await pool.schedule();
        for (int i = 0; i < per_coroutine; ++i) {
            auto p = co_await sem.acquire();
            enter();
        }
    };
    std::vector<std::thread> threads;
    const int per_thread = 50000 / asyncrt_test::stress_scale;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) {
                if (sem.try_acquire()) {
                    enter();
                    sem.release();
                }
            }
        });
    }
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 16; ++i) ts.push_back(worker());
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    for (auto& t : threads) t.join();
    EXPECT_EQ(violations.load(), 0);
    EXPECT_GE(total.load(), 16 * per_coroutine);
    EXPECT_EQ(sem.available(), permits);
    EXPECT_EQ(sem.waiters(), 0u);
}

TEST(Semaphore, ReleasedPermitIsCachedForThisThreadAndCountsAsAvailable) {
    asyncrt::semaphore sem{3};
    ASSERT_TRUE(sem.try_acquire());
    sem.release();  // two more free in the counter: kept near this thread
    EXPECT_EQ(sem.available(), 3);
    ASSERT_TRUE(sem.try_acquire());
    ASSERT_TRUE(sem.try_acquire());
    ASSERT_TRUE(sem.try_acquire());
    EXPECT_FALSE(sem.try_acquire());
    EXPECT_EQ(sem.available(), 0);
    sem.release();
    sem.release();
    sem.release();
    EXPECT_EQ(sem.available(), 3);
}

TEST(Semaphore, PermitCachedByAnotherThreadGoesToANewcomerHere) {
    // Another thread leaves permits in its shard; a waiter here must not sleep while
    // they sit there: it registers, claims one, and gets it without waiting.
    asyncrt::semaphore sem{2};
    std::thread other([&] {
        for (int i = 0; i < 2; ++i) ASSERT_TRUE(sem.try_acquire());
        sem.release();  // counter has 0 free: goes back to the counter, not the cache
        ASSERT_TRUE(sem.try_acquire());
        sem.release();
        sem.release();  // the second release finds one free in the counter: cached there
    });
    other.join();
    ASSERT_EQ(sem.available(), 2);
    auto body = [&]() -> task<int> {
        auto a = co_await sem.acquire();
        auto b = co_await sem.acquire();  // the one cached on the other thread's shard
        EXPECT_EQ(sem.available(), 0);
        EXPECT_EQ(sem.waiters(), 0u);
        co_return 2;
    };
    EXPECT_EQ(asyncrt::run(body()), 2);
    EXPECT_EQ(sem.available(), 2);
}

TEST(Semaphore, WorkersWithPermitsToSpareNeverStrandOne) {
    // Two workers cycle permits through their shards while tasks on a third thread
    // keep registering as waiters: every acquisition must complete (a stranded permit
    // would hang this test) and the count must come out whole.
    constexpr int permits = 4;
    asyncrt::semaphore sem{permits};
    asyncrt::thread_pool pool{2};
    std::atomic<int> inside{0}, violations{0};
    const int rounds = 20000 / asyncrt_test::stress_scale;
    auto enter = [&] {
        if (inside.fetch_add(1) + 1 > permits) violations.fetch_add(1);
        inside.fetch_sub(1);
    };
    auto on_pool = [&]() -> task<void> {
        co_await pool.schedule();
        for (int i = 0; i < rounds; ++i) {
            auto p = co_await sem.acquire();
            enter();
        }
    };
    auto on_loop = [&]() -> task<void> {
        for (int i = 0; i < rounds / 10; ++i) {
            auto p = co_await sem.acquire();
            auto q = co_await sem.acquire();  // two at once: drains the counter, so it waits
            enter();
            co_await asyncrt::yield();
        }
    };
    asyncrt::run([&]() -> task<void> {
        co_await asyncrt::when_all(on_pool(), on_pool(), on_pool(), on_loop(), on_loop());
    }());
    EXPECT_EQ(violations.load(), 0);
    EXPECT_EQ(sem.available(), permits);
    EXPECT_EQ(sem.waiters(), 0u);
}

// A semaphore or mutex used from one thread is biased to it after
// detail::biased_permits::claim_after acquires: the permits it releases stay with it,
// outside the counter.
constexpr int past_the_claim = 2 * static_cast<int>(asyncrt::detail::biased_permits::claim_after);

// Biasing needs the kernel's process-wide fence (membarrier), which a sandbox may forbid.
bool biasing_possible() { return asyncrt::detail::enable_asymmetric_fences(); }
constexpr const char* no_biasing = "no membarrier here: nothing is biased";

// The two primitives that carry a bias, seen through one interface, for the tests both
// must pass: a semaphore of one permit and a mutex.
struct one_permit_semaphore {
    asyncrt::semaphore s{1};
    auto acquire() { return s.acquire(); }
    bool try_acquire() { return s.try_acquire(); }
    void release() { s.release(); }
    [[nodiscard]] bool free() const { return s.available() == 1; }
    [[nodiscard]] bool kept_for_this_thread() const { return s.kept_for_this_thread(); }
};
struct mutex_as_permit {
    asyncrt::mutex m;
    auto acquire() { return m.lock(); }
    bool try_acquire() { return m.try_lock(); }
    void release() { m.unlock(); }
    [[nodiscard]] bool free() const { return !m.is_locked(); }
    [[nodiscard]] bool kept_for_this_thread() const { return m.kept_for_this_thread(); }
};

template <class Permit>
void cycle(Permit& p, int rounds) {
    asyncrt::run([&]() -> task<void> {
        for (int i = 0; i < rounds; ++i) auto held = co_await p.acquire();
    }());
}

template <class Permit>
class Biased : public ::testing::Test {};
using BiasedPrimitives = ::testing::Types<one_permit_semaphore, mutex_as_permit>;
TYPED_TEST_SUITE(Biased, BiasedPrimitives);

TYPED_TEST(Biased, KeptForTheOneThreadUsingItUntilAnotherWantsIt) {
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    TypeParam p;
    EXPECT_FALSE(p.kept_for_this_thread());
    cycle(p, past_the_claim);
    EXPECT_TRUE(p.kept_for_this_thread());
    EXPECT_TRUE(p.free());
    bool kept_there = true, elsewhere = false;
    std::thread([&] {
        kept_there = p.kept_for_this_thread();
        elsewhere = p.try_acquire();  // revokes the bias to reach the kept permit
        if (elsewhere) p.release();
    }).join();
    EXPECT_FALSE(kept_there);
    EXPECT_TRUE(elsewhere);
    EXPECT_FALSE(p.kept_for_this_thread());
    EXPECT_TRUE(p.free());
    cycle(p, past_the_claim);  // shared now: never biased again
    EXPECT_FALSE(p.kept_for_this_thread());
}

TYPED_TEST(Biased, AWaiterOnAnotherThreadRevokesTheBiasAndGetsTheKeptPermit) {
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    TypeParam p;
    cycle(p, past_the_claim);
    ASSERT_TRUE(p.kept_for_this_thread());
    std::thread([&] {
        asyncrt::run([&]() -> task<void> {
            auto held = co_await p.acquire();  // registers, revokes, is handed the kept permit
            EXPECT_FALSE(p.free());
        }());
    }).join();
    EXPECT_TRUE(p.free());
    cycle(p, past_the_claim);
    EXPECT_FALSE(p.kept_for_this_thread());
}

TYPED_TEST(Biased, RevocationsRacingTheOwnersStepsNeverLoseOrDoubleAPermit) {
    // Many short lives: each primitive is biased to this thread, which then cycles its
    // permit flat out while a worker queues for it and so revokes the bias, at whatever
    // point of the owner's acquire or release that lands. A permit collected while the
    // owner still changes it would be handed out twice (a violation) or lost (a hang).
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    asyncrt::thread_pool pool{1};
    std::atomic<int> inside{0}, violations{0};
    auto enter = [&] {
        if (inside.fetch_add(1) + 1 > 1) violations.fetch_add(1);
        inside.fetch_sub(1);
    };
    const int lives = 1000 / asyncrt_test::stress_scale;
    for (int life = 0; life < lives; ++life) {
        TypeParam p;
        cycle(p, past_the_claim);
        ASSERT_TRUE(p.kept_for_this_thread());
        std::atomic<bool> thief_done{false};
        auto thief = [&]() -> task<void> {
            co_await pool.schedule();
            {
                auto held = co_await p.acquire();
                enter();
            }
            thief_done.store(true);
        };
        auto owner = [&]() -> task<void> {
            while (!thief_done.load()) {
                auto held = co_await p.acquire();
                enter();
            }
        };
        asyncrt::run([&]() -> task<void> { co_await asyncrt::when_all(thief(), owner()); }());
        ASSERT_TRUE(p.free()) << "life " << life;
    }
    EXPECT_EQ(violations.load(), 0);
}

TEST(Semaphore, NoBargingOnABiasedSemaphore) {
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    // The owner's own waiter revokes the bias before it queues: the released permit
    // goes to it, not back into the owner's keeping.
    // (The holder is biased after its warm-up rounds, before the waiter comes.)
    EXPECT_EQ(release_then_reacquire_log(1, past_the_claim), (std::vector<std::string>{"waiter", "holder again"}));
    EXPECT_EQ(release_then_reacquire_log(3, past_the_claim), (std::vector<std::string>{"waiter", "holder again"}));
}

TEST(Semaphore, ABiasedSemaphoreSharedWithWorkersNeverStrandsOrDoublesAPermit) {
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    // The loop thread owns the bias and keeps cycling permits while pool workers start
    // queueing for them mid-run: a revocation racing the owner's steps must neither lose
    // a permit (a hang) nor hand one out twice (a violation).
    for (std::ptrdiff_t permits : {1, 2}) {
        asyncrt::semaphore sem{permits};
        asyncrt::run([&]() -> task<void> {
            for (int i = 0; i < past_the_claim; ++i) auto held = co_await sem.acquire();
        }());
        ASSERT_TRUE(sem.kept_for_this_thread());
        asyncrt::thread_pool pool{2};
        std::atomic<int> inside{0}, violations{0};
        auto enter = [&] {
            if (inside.fetch_add(1) + 1 > permits) violations.fetch_add(1);
            inside.fetch_sub(1);
        };
        const int rounds = 20000 / asyncrt_test::stress_scale;
        auto owner = [&]() -> task<void> {
            for (int i = 0; i < rounds; ++i) {
                auto p = co_await sem.acquire();
                enter();
                if (i % 1000 == 999) co_await asyncrt::yield();
            }
        };
        auto on_pool = [&]() -> task<void> {
            co_await asyncrt::sleep_for(std::chrono::microseconds(200));
            co_await pool.schedule();
            for (int i = 0; i < rounds / 10; ++i) {
                auto p = co_await sem.acquire();
                enter();
            }
        };
        asyncrt::run([&]() -> task<void> { co_await asyncrt::when_all(owner(), on_pool(), on_pool()); }());
        EXPECT_EQ(violations.load(), 0) << permits << " permits";
        EXPECT_EQ(sem.available(), permits);
        EXPECT_EQ(sem.waiters(), 0u);
    }
}

TEST(Mutex, TryLockUnlock) {
    asyncrt::mutex m;
    EXPECT_FALSE(m.is_locked());
    EXPECT_TRUE(m.try_lock());
    EXPECT_TRUE(m.is_locked());
    EXPECT_FALSE(m.try_lock());
    m.unlock();
    EXPECT_FALSE(m.is_locked());
}

// Three tasks take the lock in turn, each holding it across an await; with `warm_rounds`
// of lock+unlock first, which past the claim biases the mutex to this thread.
std::vector<std::string> three_critical_sections(int warm_rounds) {
    asyncrt::mutex m;
    std::vector<std::string> log;
    auto critical = [&](std::string name) -> task<void> {
        auto lock = co_await m.lock();
        EXPECT_TRUE(lock.owns_lock());
        log.push_back(name + " in");
        co_await asyncrt::sleep_for(1ms);  // others run meanwhile but must not enter
        log.push_back(name + " out");
    };
    auto body = [&]() -> task<void> {
        for (int i = 0; i < warm_rounds; ++i) auto warm = co_await m.lock();
        if (warm_rounds > 1) EXPECT_TRUE(m.kept_for_this_thread());
        co_await asyncrt::when_all(critical("a"), critical("b"), critical("c"));
    };
    asyncrt::run(body());
    EXPECT_FALSE(m.is_locked());
    return log;
}

TEST(Mutex, GuardHeldAcrossAwaitsIsExclusiveAndFifo) {
    EXPECT_EQ(three_critical_sections(0), (std::vector<std::string>{"a in", "a out", "b in", "b out", "c in", "c out"}));
}

TEST(Mutex, ABiasedMutexIsExclusiveAndFifoToo) {
    if (!biasing_possible()) GTEST_SKIP() << no_biasing;
    EXPECT_EQ(three_critical_sections(past_the_claim),
              (std::vector<std::string>{"a in", "a out", "b in", "b out", "c in", "c out"}));
}

TEST(Mutex, ExclusionAcrossPoolThreads) {
    asyncrt::thread_pool pool{4};
    asyncrt::mutex m;
    long counter = 0;  // deliberately unsynchronised: only the mutex protects it (TSan checks)
    std::atomic<int> inside{0}, violations{0};
    const int iterations = 10000 / asyncrt_test::stress_scale;
    auto worker = [&]() -> task<void> {
        co_await pool.schedule();
        for (int i = 0; i < iterations; ++i) {
            auto lock = co_await m.lock();
            if (inside.fetch_add(1) != 0) violations.fetch_add(1);
            ++counter;
            inside.fetch_sub(1);
        }
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 8; ++i) ts.push_back(worker());
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    EXPECT_EQ(violations.load(), 0);
    EXPECT_EQ(counter, 8L * iterations);
    EXPECT_FALSE(m.is_locked());
}

TEST(Mutex, WaiterResumesOnItsOwnLoopWhenUnlockedFromAPoolThread) {
    asyncrt::thread_pool pool{1};
    asyncrt::mutex m;
    auto loop_thread = std::this_thread::get_id();
    bool resumed_on_loop = false;
    auto holder = [&]() -> task<void> {
        auto lock = co_await m.lock();
        co_await pool.schedule();
        std::this_thread::sleep_for(2ms);
        // `lock` is released here, on the pool thread.
    };
    auto waiter = [&]() -> task<void> {
        co_await asyncrt::yield();
        auto lock = co_await m.lock();
        resumed_on_loop = std::this_thread::get_id() == loop_thread;
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(holder(), waiter()); };
    asyncrt::run(body());
    EXPECT_TRUE(resumed_on_loop);
}

}  // namespace
