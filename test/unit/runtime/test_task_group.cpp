// task_group: join, first-error cancellation and rethrow; spawn: detached tasks.
#include <asyncrt/cancellation.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;
using namespace std::chrono_literals;

namespace {

struct err : std::runtime_error {
    using std::runtime_error::runtime_error;
};

TEST(TaskGroup, JoinWaitsForEveryTask) {
    std::vector<int> done;
    auto work = [&](int i, std::chrono::milliseconds d) -> task<void> {
        co_await asyncrt::sleep_for(d);
        done.push_back(i);
    };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        g.spawn(work(1, 15ms));
        g.spawn(work(2, 5ms));
        g.spawn(work(3, 10ms));
        EXPECT_EQ(g.running(), 3u);
        co_await g.join();
        EXPECT_EQ(g.running(), 0u);
        EXPECT_EQ(done.size(), 3u);
    };
    asyncrt::run(body());
    EXPECT_EQ(done, (std::vector<int>{2, 3, 1}));
}

TEST(TaskGroup, SpawnedTasksStartBeforeJoin) {
    std::vector<std::string> log;
    auto work = [&]() -> task<void> {
        log.push_back("child runs");
        co_return;
    };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        g.spawn(work());
        log.push_back("spawned");
        co_await asyncrt::yield();  // the loop gets a turn: the child starts
        log.push_back("after yield");
        co_await g.join();
    };
    asyncrt::run(body());
    EXPECT_EQ(log, (std::vector<std::string>{"spawned", "child runs", "after yield"}));
}

TEST(TaskGroup, JoinWithNothingSpawnedAndReuse) {
    auto body = []() -> task<int> {
        asyncrt::task_group g;
        co_await g.join();
        int n = 0;
        auto inc = [&]() -> task<void> {
            ++n;
            co_return;
        };
        g.spawn(inc());
        co_await g.join();
        g.spawn(inc());
        g.spawn(inc());
        co_await g.join();
        co_return n;
    };
    EXPECT_EQ(asyncrt::run(body()), 3);
}

TEST(TaskGroup, FirstErrorCancelsOthersAndIsRethrown) {
    std::atomic<int> cancelled_seen{0};
    auto failing = []() -> task<void> {
        co_await asyncrt::sleep_for(5ms);
        throw err("first");
    };
    auto failing_later = []() -> task<void> {
        co_await asyncrt::sleep_for(30ms);
        throw err("second");
    };
    // Observes the inherited token cooperatively and stops early.
    auto cooperative = [&]() -> task<void> {
        auto token = co_await asyncrt::get_cancellation_token();
        EXPECT_TRUE(token.stop_possible());
        for (;;) {  // busy but cooperative: yields to the loop between checks
            if (token.stop_requested()) {
                ++cancelled_seen;
                throw asyncrt::operation_cancelled{};
            }
            co_await asyncrt::yield();
        }
    };
    auto body = [&]() -> task<std::string> {
        asyncrt::task_group g;
        g.spawn(cooperative());
        g.spawn(failing());
        g.spawn(cooperative());
        g.spawn(failing_later());
        try {
            co_await g.join();
        } catch (const err& e) {
            EXPECT_FALSE(g.cancellation_requested()) << "a joined group is reset for reuse";
            co_return e.what();
        }
        co_return "no exception";
    };
    EXPECT_EQ(asyncrt::run(body()), "first");
    EXPECT_EQ(cancelled_seen.load(), 2);
}

// Tasks spawned after a cancelled round see the fresh token, not the old request.
TEST(TaskGroup, ReuseAfterCancellationGivesAFreshToken) {
    auto body = []() -> task<int> {
        asyncrt::task_group g;
        g.spawn([]() -> task<void> { throw err("fails"); co_return; }());
        try {
            co_await g.join();
        } catch (const err&) {
        }
        int fresh = 0;
        auto observe = [&]() -> task<void> {
            auto token = co_await asyncrt::get_cancellation_token();
            if (token.stop_possible() && !token.stop_requested()) ++fresh;
        };
        g.spawn(observe());
        g.spawn(observe());
        co_await g.join();
        g.cancel();  // and the new token is the one cancel() reaches
        g.spawn([]() -> task<void> { co_await asyncrt::throw_if_cancelled(); }());
        try {
            co_await g.join();
        } catch (const asyncrt::operation_cancelled&) {
            fresh += 10;
        }
        co_return fresh;
    };
    EXPECT_EQ(asyncrt::run(body()), 12);
}

TEST(TaskGroup, TokenReachesNestedAwaitsAndThrowIfCancelled) {
    bool nested_cancelled = false;
    auto leaf = [&]() -> task<void> {
        for (;;) {
            co_await asyncrt::yield();
            try {
                co_await asyncrt::throw_if_cancelled();
            } catch (const asyncrt::operation_cancelled&) {
                nested_cancelled = true;
                throw;
            }
        }
    };
    auto middle = [&]() -> task<void> { co_await leaf(); };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        g.spawn(middle());
        co_await asyncrt::sleep_for(5ms);
        g.cancel();
        EXPECT_THROW(co_await g.join(), asyncrt::operation_cancelled);
    };
    asyncrt::run(body());
    EXPECT_TRUE(nested_cancelled);
}

// A task finds its token by walking up whoever owns it (promise_base::token): through an
// await, a when_all over a vector, a when_all child of a tuple and another await, a
// sleep at the bottom still sees the group's request and wakes at once.
TEST(TaskGroup, TokenReachesEveryKindOfLinkBelowTheGroup) {
    std::atomic<int> woken{0};
    auto bottom = [&]() -> task<int> {
        auto token = co_await asyncrt::get_cancellation_token();
        EXPECT_TRUE(token.stop_possible());
        try {
            co_await asyncrt::sleep_for(std::chrono::seconds(2));  // a broken walk: fails after 2 s
        } catch (const asyncrt::operation_cancelled&) {
            woken.fetch_add(1);
            throw;
        }
        co_return 0;
    };
    auto awaits_bottom = [&]() -> task<int> { co_return co_await bottom(); };
    auto tuple_of = [&]() -> task<int> {
        auto [a, b] = co_await asyncrt::when_all(awaits_bottom(), []() -> task<int> { co_return 1; }());
        co_return a + b;
    };
    auto vector_of = [&]() -> task<void> {
        std::vector<task<int>> ts;
        ts.push_back(tuple_of());
        ts.push_back(tuple_of());
        co_await asyncrt::when_all(std::move(ts));
    };
    auto top = [&]() -> task<void> { co_await vector_of(); };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        g.spawn(top());
        co_await asyncrt::sleep_for(5ms);
        g.cancel();
        EXPECT_THROW(co_await g.join(), asyncrt::operation_cancelled);
    };
    asyncrt::run(body());
    EXPECT_EQ(woken.load(), 2);
}

TEST(TaskGroup, ExplicitTokenAndOutsideTokenIsEmpty) {
    auto body = []() -> task<void> {
        auto outside = co_await asyncrt::get_cancellation_token();
        EXPECT_FALSE(outside.stop_possible());
        asyncrt::task_group g;
        auto token = g.token();
        EXPECT_FALSE(token.stop_requested());
        g.cancel();
        EXPECT_TRUE(token.stop_requested());
        EXPECT_THROW(asyncrt::throw_if_cancelled(token), asyncrt::operation_cancelled);
        co_await g.join();
    };
    asyncrt::run(body());
}

TEST(TaskGroup, ChildrenFinishingOnPoolThreads) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> sum{0};
    auto work = [&](int i) -> task<void> {
        co_await pool.schedule();
        sum += i;
    };
    auto loop_thread = std::this_thread::get_id();
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        for (int i = 1; i <= 200; ++i) g.spawn(work(i));
        co_await g.join();
        // The last child finished on a worker; the joiner still resumes on its loop.
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
        EXPECT_FALSE(pool.on_worker_thread());
    };
    asyncrt::run(body());
    EXPECT_EQ(sum.load(), 200 * 201 / 2);
}

// Spawns take their counts in blocks of 64 (task_group::count_spawn): spawns from the
// loop and from pool workers at once, some while join is already waiting, and a group
// joined and reused with part of a block unused, must all be counted exactly: join waits
// for every task and running() counts tasks, not the reserve.
TEST(TaskGroup, SpawnsFromManyThreadsWhileJoiningAreAllWaitedFor) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> ran{0};
    asyncrt::task_group* group = nullptr;
    auto leaf = [&]() -> task<void> {
        ran.fetch_add(1);
        co_return;
    };
    auto parent = [&](int i) -> task<void> {
        ran.fetch_add(1);
        if (i % 2 == 0) {
            for (int hop = 0; hop < i % 3; ++hop) co_await pool.schedule();  // some spawn during the join
            group->spawn(asyncrt::start_on(pool, leaf()));  // from a worker or the loop
        }
    };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        group = &g;
        for (int i = 0; i < 1000; ++i) g.spawn(asyncrt::start_on(pool, parent(i)));
        co_await g.join();
        EXPECT_EQ(ran.load(), 1500);
        EXPECT_EQ(g.running(), 0u);
        // Reused, with three spawns: the rest of their block is not a running task.
        std::atomic<bool> release{false};
        auto waiter = [&]() -> task<void> {
            asyncrt_test::eventually([&] { return release.load(); });
            co_return;
        };
        for (int i = 0; i < 3; ++i) g.spawn(asyncrt::start_on(pool, waiter()));
        EXPECT_EQ(g.running(), 3u);
        release = true;
        co_await g.join();
        EXPECT_EQ(g.running(), 0u);
    };
    asyncrt::run(body());
}

TEST(TaskGroup, ErrorFromPoolThreadIsRethrown) {
    asyncrt::thread_pool pool{2};
    auto work = [&](int i) -> task<void> {
        co_await pool.schedule();
        if (i == 7) throw err("pool failure");
    };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        for (int i = 0; i < 20; ++i) g.spawn(work(i));
        co_await g.join();
    };
    EXPECT_THROW(asyncrt::run(body()), err);
}

TEST(TaskGroup, SpawnWithoutExecutorThrows) {
    asyncrt::task_group g;
    auto t = []() -> task<void> { co_return; }();
    EXPECT_THROW(g.spawn(std::move(t)), std::logic_error);
    EXPECT_EQ(g.running(), 0u);
}

TEST(TaskGroupDeathTest, DestroyedWhileTasksRunTerminates) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto body = []() -> task<void> {
        {
            asyncrt::task_group g;
            g.spawn([]() -> task<void> { co_await asyncrt::sleep_for(1s); }());
        }  // no join
        co_return;
    };
    EXPECT_DEATH(asyncrt::run(body()), "task_group destroyed while tasks are still running");
}

// ---- spawn -------------------------------------------------------------------------

TEST(Spawn, RunsDetachedAndRunWaitsForIt) {
    bool finished = false;
    auto work = [&]() -> task<void> {
        co_await asyncrt::sleep_for(10ms);
        finished = true;
    };
    auto body = [&]() -> task<int> {
        asyncrt::spawn(work());
        EXPECT_FALSE(finished);
        co_return 1;
    };
    EXPECT_EQ(asyncrt::run(body()), 1);
    EXPECT_TRUE(finished) << "run() returns only after spawned tasks finish";
}

TEST(Spawn, ErrorHandlerReceivesTheException) {
    std::string got;
    auto bad = []() -> task<void> {
        co_await asyncrt::yield();
        throw err("detached failure");
    };
    auto body = [&]() -> task<void> {
        asyncrt::spawn(bad(), [&](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const err& x) {
                got = x.what();
            }
        });
        co_return;
    };
    asyncrt::run(body());
    EXPECT_EQ(got, "detached failure");
}

TEST(Spawn, HandlerNotCalledOnSuccessAndValueDiscarded) {
    int calls = 0;
    auto ok = []() -> task<int> { co_return 5; };
    auto body = [&]() -> task<void> {
        asyncrt::spawn(ok(), [&](std::exception_ptr) { ++calls; });
        co_return;
    };
    asyncrt::run(body());
    EXPECT_EQ(calls, 0);
}

TEST(Spawn, WithoutHandlerDebugModeReportsNeverRetrieved) {
    asyncrt_test::debug_scope dbg;
    auto bad = []() -> task<void> {
        co_await asyncrt::yield();
        throw err("lost error");
    };
    auto body = [&]() -> task<void> {
        asyncrt::spawn(bad());
        co_return;
    };
    asyncrt::run(body());
    ASSERT_EQ(dbg.sink.count("exception never retrieved"), 1u);
    EXPECT_TRUE(dbg.sink.contains("lost error"));
    EXPECT_TRUE(dbg.sink.contains("test_task_group.cpp")) << "names where the task was defined";
}

TEST(Spawn, WithoutHandlerAndDebugOffStaysQuiet) {
    asyncrt_test::debug_scope quiet{100ms, asyncrt_test::debug_scope::mode::off};
    auto& sink = quiet.sink;
    auto bad = []() -> task<void> {
        throw err("quiet");
        co_return;
    };
    auto body = [&]() -> task<void> {
        asyncrt::spawn(bad());
        co_return;
    };
    asyncrt::run(body());
    EXPECT_TRUE(sink.lines().empty());
}

TEST(Spawn, HandlerThatRethrowsIsReportedEvenWithDebugOff) {
    asyncrt_test::debug_scope quiet{100ms, asyncrt_test::debug_scope::mode::off};
    auto& sink = quiet.sink;
    auto bad = []() -> task<void> {
        throw err("original failure");
        co_return;
    };
    bool after = false;
    auto body = [&]() -> task<void> {
        // The linter's fix-it handler.
        asyncrt::spawn(bad(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
        co_await asyncrt::sleep_for(1ms);
        after = true;  // the loop carries on
    };
    asyncrt::run(body());
    EXPECT_TRUE(after);
    EXPECT_EQ(sink.count("threw; the exception was dropped: original failure"), 1u);
    EXPECT_TRUE(sink.contains("test_task_group.cpp")) << "names where the task was defined";
}

TEST(Spawn, OutsideALoopThrowsAndTheTaskNeverRuns) {
    bool ran = false;
    auto work = [&]() -> task<void> {
        ran = true;
        co_return;
    };
    EXPECT_THROW(asyncrt::spawn(work()), std::logic_error);
    EXPECT_FALSE(ran);
}

TEST(Spawn, DetachedTaskFinishingOnAPoolThreadWakesTheLoop) {
    asyncrt::thread_pool pool{1};
    std::atomic<bool> done{false};
    auto work = [&]() -> task<void> {
        co_await pool.schedule();
        std::this_thread::sleep_for(5ms);  // the loop is asleep in epoll by now
        done = true;
    };
    auto body = [&]() -> task<void> {
        asyncrt::spawn(work());
        co_return;
    };
    asyncrt::run(body());
    EXPECT_TRUE(done.load());
}

// The last of many tasks may finish on either worker while the loop checks whether run()
// may return: run() must wait for every one, and must not be left asleep.
TEST(Spawn, ManyDetachedTasksFinishingOnPoolThreads) {
    asyncrt::thread_pool pool{2};
    std::atomic<int> n{0};
    auto work = [&]() -> task<void> {
        co_await pool.schedule();
        n.fetch_add(1, std::memory_order_relaxed);
    };
    for (int round = 0; round < 20; ++round) {
        n = 0;
        asyncrt::run([&]() -> task<void> {
            for (int i = 0; i < 2'000; ++i) asyncrt::spawn(work());
            co_return;
        }());
        ASSERT_EQ(n.load(), 2'000) << "round " << round;
    }
}

TEST(Spawn, WithoutHandlerDebugModeReportsAnErrorFromAPoolThread) {
    asyncrt_test::debug_scope dbg;
    asyncrt::thread_pool pool{1};
    auto bad = [&]() -> task<void> {
        co_await pool.schedule();
        throw err("lost on a worker");
    };
    asyncrt::run([&]() -> task<void> {
        asyncrt::spawn(bad());
        co_return;
    }());
    ASSERT_EQ(dbg.sink.count("exception never retrieved"), 1u);
    EXPECT_TRUE(dbg.sink.contains("lost on a worker"));
}

TEST(Spawn, ManyDetachedTasks) {
    int n = 0;
    auto work = [&]() -> task<void> {
        co_await asyncrt::yield();
        ++n;
    };
    auto body = [&]() -> task<void> {
        for (int i = 0; i < 10'000; ++i) asyncrt::spawn(work());
        co_return;
    };
    asyncrt::run(body());
    EXPECT_EQ(n, 10'000);
}

}  // namespace

namespace {

// Frames (and what they own) are freed before the awaiting coroutine continues.
TEST(DestructionOrder, TaskGroupFreesChildFramesBeforeJoinReturns) {
    auto token = std::make_shared<int>(0);
    auto holder = [](std::shared_ptr<int> p) -> task<void> {
        co_await asyncrt::sleep_for(1ms);
        (void)p;
    };
    auto body = [&]() -> task<long> {
        asyncrt::task_group g;
        for (int i = 0; i < 5; ++i) g.spawn(holder(token));
        EXPECT_EQ(token.use_count(), 6);
        co_await g.join();
        co_return token.use_count();
    };
    EXPECT_EQ(asyncrt::run(body()), 1);
}

TEST(DestructionOrder, SpawnedFramesAreFreedWhenTheyFinish) {
    auto token = std::make_shared<int>(0);
    auto holder = [](std::shared_ptr<int> p) -> task<void> {
        co_await asyncrt::yield();
        (void)p;
    };
    auto body = [&]() -> task<long> {
        asyncrt::spawn(holder(token));
        EXPECT_EQ(token.use_count(), 2);
        co_await asyncrt::sleep_for(2ms);
        co_return token.use_count();
    };
    EXPECT_EQ(asyncrt::run(body()), 1);
}

}  // namespace

namespace {

TEST(Cancellation, FirstFailureWakesSleepingSiblings) {
    std::atomic<int> woken{0};
    auto sleeper = [&]() -> task<void> {
        try {
            co_await asyncrt::sleep_for(std::chrono::seconds(2));  // a broken walk: fails after 2 s
        } catch (const asyncrt::operation_cancelled&) {
            ++woken;
            throw;
        }
    };
    auto failing = []() -> task<void> {
        co_await asyncrt::sleep_for(2ms);
        throw err("boom");
    };
    auto body = [&]() -> task<std::string> {
        asyncrt::task_group g;
        g.spawn(sleeper());
        g.spawn(sleeper());
        g.spawn(failing());
        try {
            co_await g.join();
        } catch (const err& e) {
            co_return e.what();
        }
        co_return "none";
    };
    EXPECT_EQ(asyncrt::run(body()), "boom");  // would hang for an hour without cancellation
    EXPECT_EQ(woken.load(), 2);
}

TEST(Cancellation, NestedSleepInsideAwaitedTaskIsWoken) {
    auto inner = []() -> task<int> {
        co_await asyncrt::sleep_for(std::chrono::hours::max());  // saturates, no overflow
        co_return 1;
    };
    auto outer = [&]() -> task<void> { (void)co_await inner(); };
    auto body = [&]() -> task<bool> {
        asyncrt::task_group g;
        g.spawn(outer());
        co_await asyncrt::sleep_for(1ms);
        g.cancel();
        try {
            co_await g.join();
        } catch (const asyncrt::operation_cancelled&) {
            co_return true;
        }
        co_return false;
    };
    EXPECT_TRUE(asyncrt::run(body()));
}

TEST(Cancellation, SleepAfterCancellationThrowsAtOnce) {
    auto body = []() -> task<bool> {
        asyncrt::task_group g;
        g.cancel();
        bool threw = false;
        auto child = [&]() -> task<void> {  // named: the closure must outlive the coroutine
            try {
                co_await asyncrt::sleep_for(std::chrono::seconds(2));  // a broken walk: fails after 2 s
            } catch (const asyncrt::operation_cancelled&) {
                threw = true;
            }
        };
        g.spawn(child());
        co_await g.join();
        co_return threw;
    };
    EXPECT_TRUE(asyncrt::run(body()));
}

TEST(Cancellation, SleepsWithoutATokenAreNotAffected) {
    auto body = []() -> task<bool> {
        auto token = co_await asyncrt::get_cancellation_token();
        co_await asyncrt::sleep_for(1ms);  // no token: completes normally
        co_return !token.stop_possible();
    };
    EXPECT_TRUE(asyncrt::run(body()));
}

TEST(Cancellation, RequestFromAnotherThreadLetsTheSleepFinish) {
    asyncrt::thread_pool pool{1};
    auto body = [&]() -> task<bool> {
        asyncrt::task_group g;
        bool completed = false;
        auto child = [&]() -> task<void> {
            co_await asyncrt::sleep_for(20ms);
            completed = true;
        };
        g.spawn(child());
        co_await asyncrt::yield();  // the child runs first and is asleep now
        co_await asyncrt::offload(pool, [&] { g.cancel(); });  // request_stop on a pool thread
        co_await g.join();
        co_return completed;
    };
    EXPECT_TRUE(asyncrt::run(body()));
}

}  // namespace
