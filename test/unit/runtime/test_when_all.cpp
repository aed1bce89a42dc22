// when_all (tuple / vector), when_all_settled and when_all_bounded.
#include <asyncrt/debug.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;
using namespace std::chrono_literals;

namespace {

task<int> delayed(int v, std::chrono::milliseconds d) {
    co_await asyncrt::sleep_for(d);
    co_return v;
}
task<std::string> text(std::string s) { co_return s; }
task<int> ready(int v) { co_return v; }
task<void> nothing() { co_return; }
// Hops onto the pool, then yields v there: a child that finishes on a worker.
task<int> on_pool(asyncrt::thread_pool& pool, int v) {
    co_await pool.schedule();
    co_return v;
}

// Awaits one_round(r) for r in [0, rounds) inside run(): the sum of what the rounds
// yield, or -1 if any round's awaiter came back on another thread than run()'s loop.
template <class Round>
long sum_of_rounds_on_the_loop(int rounds, Round one_round) {
    return asyncrt::run([&]() -> task<long> {
        long sum = 0;
        auto loop_thread = std::this_thread::get_id();
        for (int round = 0; round < rounds; ++round) {
            sum += co_await one_round(round);
            if (std::this_thread::get_id() != loop_thread) co_return -1;
        }
        co_return sum;
    }());
}

TEST(WhenAll, TupleStructuredBindings) {
    auto body = []() -> task<void> {
        auto [a, b, c] = co_await asyncrt::when_all(delayed(1, 5ms), text("two"), nothing());
        EXPECT_EQ(a, 1);
        EXPECT_EQ(b, "two");
        static_assert(std::is_same_v<decltype(c), asyncrt::void_value>);
    };
    asyncrt::run(body());
}

TEST(WhenAll, StdTieAssignment) {
    auto body = []() -> task<void> {
        int a = 0;
        std::string b;
        std::tie(a, b) = co_await asyncrt::when_all(delayed(7, 1ms), text("x"));
        EXPECT_EQ(a, 7);
        EXPECT_EQ(b, "x");
    };
    asyncrt::run(body());
}

TEST(WhenAll, ResultsKeepArgumentOrderNotCompletionOrder) {
    auto body = []() -> task<void> {
        auto [a, b, c] = co_await asyncrt::when_all(delayed(1, 20ms), delayed(2, 1ms), delayed(3, 10ms));
        EXPECT_EQ(a, 1);
        EXPECT_EQ(b, 2);
        EXPECT_EQ(c, 3);
    };
    asyncrt::run(body());
}

TEST(WhenAll, TasksRunConcurrently) {
    // b waits for a signal that only a sends after its own suspension: sequential awaits
    // would deadlock-by-never-finishing; when_all interleaves them.
    std::vector<std::string> log;
    bool signal = false;
    auto a = [&]() -> task<int> {
        log.push_back("a start");
        co_await asyncrt::sleep_for(1ms);
        signal = true;
        log.push_back("a end");
        co_return 1;
    };
    auto b = [&]() -> task<int> {
        log.push_back("b start");
        while (!signal) co_await asyncrt::yield();
        log.push_back("b end");
        co_return 2;
    };
    auto body = [&]() -> task<int> {
        auto [x, y] = co_await asyncrt::when_all(a(), b());
        co_return x + y;
    };
    EXPECT_EQ(asyncrt::run(body()), 3);
    EXPECT_EQ(log, (std::vector<std::string>{"a start", "b start", "a end", "b end"}));
}

struct err : std::runtime_error {
    using std::runtime_error::runtime_error;
};

TEST(WhenAll, AwaitedDirectlyItIsNotATaskOfItsOwn) {
    // The awaiting task waits on when_all itself: no when_all coroutine sits in between
    // (it would show as a live task of its own, suspended on the children).
    asyncrt_test::debug_scope debug;
    auto probe = []() -> task<std::size_t> { co_return asyncrt::live_tasks().size(); };
    auto body = [&]() -> task<std::size_t> {
        auto [a, b] = co_await asyncrt::when_all(probe(), probe());
        EXPECT_EQ(b, 2u) << "a child frees its frame as it finishes: body and the second probe";
        co_return a;
    };
    EXPECT_EQ(asyncrt::run(body()), 3u) << "body and both probes";
}

TEST(WhenAll, ComposesWhereverATaskIsExpected) {
    asyncrt::thread_pool pool{2};
    auto num = [](int v) -> task<int> { co_return v; };
    auto fails = []() -> task<int> {
        throw err("nested");
        co_return 0;
    };
    // run, conversion to task, a vector of them, nesting, settled nesting, start_on.
    EXPECT_EQ(asyncrt::run(asyncrt::when_all(num(1), num(2))), std::make_tuple(1, 2));
    asyncrt::task<std::tuple<int, int>> as_task = asyncrt::when_all(num(3), num(4));
    EXPECT_EQ(asyncrt::run(std::move(as_task)), std::make_tuple(3, 4));
    auto body = [&]() -> task<int> {
        std::vector<task<std::tuple<int, int>>> pairs;
        pairs.push_back(asyncrt::when_all(num(1), num(2)));
        pairs.push_back(asyncrt::when_all(num(3), num(4)).as_task());
        auto v = co_await asyncrt::when_all(std::move(pairs));
        auto [inner, c] = co_await asyncrt::when_all(asyncrt::when_all(num(5), num(6)), num(7));
        auto [bad, good] = co_await asyncrt::when_all_settled(asyncrt::when_all(fails(), num(8)), num(9));
        EXPECT_TRUE(bad.has_error());
        EXPECT_EQ(good.value(), 9);
        auto [x, y] = co_await asyncrt::start_on(pool, asyncrt::when_all(num(10), num(11)));
        co_return std::get<0>(v[0]) + std::get<1>(v[1]) + std::get<0>(inner) + std::get<1>(inner) + c + x + y;
    };
    EXPECT_EQ(asyncrt::run(body()), 1 + 4 + 5 + 6 + 7 + 10 + 11);
}

TEST(WhenAll, SpawnAndTaskGroupTakeItAsATask) {
    int done = 0;
    auto bump = [&]() -> task<void> {
        co_await asyncrt::yield();
        ++done;
    };
    asyncrt::run([&]() -> task<void> {
        asyncrt::task_group g;
        g.spawn(asyncrt::when_all(bump(), bump()));
        co_await g.join();
        EXPECT_EQ(done, 2);
        asyncrt::spawn(asyncrt::when_all(bump(), bump()));
        asyncrt::spawn(asyncrt::when_all_settled(bump()), [](std::exception_ptr) {});
    }());
    EXPECT_EQ(done, 5);
}

TEST(WhenAll, NeverAwaitedStartsNothing) {
    bool ran = false;
    auto mark = [&]() -> task<void> {
        ran = true;
        co_return;
    };
    { auto unused = asyncrt::when_all(mark(), mark()); }
    EXPECT_FALSE(ran);
}

TEST(WhenAll, ReferenceAndMoveOnlyMembers) {
    int storage = 3;
    auto ref = [&]() -> task<int&> { co_return storage; };
    auto ptr = []() -> task<std::unique_ptr<int>> { co_return std::make_unique<int>(4); };
    auto body = [&]() -> task<void> {
        auto [r, p] = co_await asyncrt::when_all(ref(), ptr());
        EXPECT_EQ(&r, &storage);
        CO_ASSERT_TRUE(p);
        EXPECT_EQ(*p, 4);
    };
    asyncrt::run(body());
}

TEST(WhenAll, EmptyTupleAndEmptyVector) {
    auto body = []() -> task<void> {
        std::tuple<> t = co_await asyncrt::when_all();
        (void)t;
        std::vector<int> v = co_await asyncrt::when_all(std::vector<task<int>>{});
        EXPECT_TRUE(v.empty());
    };
    asyncrt::run(body());
}

TEST(WhenAll, Vector) {
    auto body = []() -> task<void> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 20; ++i) ts.push_back(delayed(i, std::chrono::milliseconds(20 - i)));
        std::vector<int> v = co_await asyncrt::when_all(std::move(ts));
        CO_ASSERT_TRUE(v.size() == 20u);
        for (int i = 0; i < 20; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i);
    };
    asyncrt::run(body());
}

TEST(WhenAll, VectorOfVoidYieldsVoid) {
    int count = 0;
    auto inc = [&]() -> task<void> {
        co_await asyncrt::yield();
        ++count;
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 5; ++i) ts.push_back(inc());
        static_assert(std::is_same_v<decltype(asyncrt::when_all(std::move(ts))), task<void>>);
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    EXPECT_EQ(count, 5);
}

TEST(WhenAll, VectorOfReferences) {
    int a = 1, b = 2;
    auto ref = [](int& x) -> task<int&> { co_return x; };
    auto body = [&]() -> task<void> {
        std::vector<task<int&>> ts;
        ts.push_back(ref(a));
        ts.push_back(ref(b));
        auto v = co_await asyncrt::when_all(std::move(ts));
        CO_ASSERT_TRUE(v.size() == 2u);
        v[0].get() = 10;
        EXPECT_EQ(&v[1].get(), &b);
    };
    asyncrt::run(body());
    EXPECT_EQ(a, 10);
}


TEST(WhenAll, RunsEveryTaskThenRethrowsFirstFailureInArgumentOrder) {
    int finished = 0;
    auto fail_late = [&]() -> task<int> {
        co_await asyncrt::sleep_for(10ms);
        ++finished;
        throw err("late");
    };
    auto fail_early = [&]() -> task<int> {
        ++finished;
        throw err("early");
        co_return 0;
    };
    auto ok = [&]() -> task<int> {
        co_await asyncrt::sleep_for(20ms);
        ++finished;
        co_return 1;
    };
    auto body = [&]() -> task<std::string> {
        try {
            co_await asyncrt::when_all(ok(), fail_late(), fail_early());
        } catch (const err& e) {
            co_return e.what();
        }
        co_return "no exception";
    };
    EXPECT_EQ(asyncrt::run(body()), "late");
    EXPECT_EQ(finished, 3) << "when_all must let every task finish, unlike sequential awaits";
}

TEST(WhenAll, SequentialAwaitsStopAtFirstFailure) {
    // The contrast when_all's documentation draws.
    int finished = 0;
    auto fail = [&]() -> task<int> {
        throw err("x");
        co_return 0;
    };
    auto ok = [&]() -> task<int> {
        ++finished;
        co_return 1;
    };
    auto body = [&]() -> task<void> {
        int a = co_await fail();
        int b = co_await ok();
        (void)a;
        (void)b;
    };
    EXPECT_THROW(asyncrt::run(body()), err);
    EXPECT_EQ(finished, 0);
}

TEST(WhenAll, VectorRethrowsFirstFailure) {
    auto maybe = [](int i) -> task<int> {
        co_await asyncrt::sleep_for(std::chrono::milliseconds(10 - i));
        if (i == 3 || i == 6) throw err("bad " + std::to_string(i));
        co_return i;
    };
    auto body = [&]() -> task<std::string> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 8; ++i) ts.push_back(maybe(i));
        try {
            co_await asyncrt::when_all(std::move(ts));
        } catch (const err& e) {
            co_return e.what();
        }
        co_return "none";
    };
    EXPECT_EQ(asyncrt::run(body()), "bad 3");
}

// Values that default-construct go straight into when_all's result; the others (no
// default constructor, std::vector<bool>'s bits, references) through a slot each. Both
// paths must deliver the same results in the same order.
struct no_default {
    explicit no_default(int v) : value(v) {}
    int value;
};

TEST(WhenAll, ValuesWithoutAPlaceToBeWrittenStillArriveInOrder) {
    auto make = [](int v) -> task<no_default> { co_return no_default{v}; };
    auto flag = [](bool b) -> task<bool> { co_return b; };
    auto body = [&]() -> task<void> {
        auto [a, n, s] = co_await asyncrt::when_all(ready(1), make(2), text("three"));
        EXPECT_EQ(a, 1);
        EXPECT_EQ(n.value, 2);
        EXPECT_EQ(s, "three");
        std::vector<task<no_default>> nd;
        for (int i = 0; i < 5; ++i) nd.push_back(make(i));
        auto nds = co_await asyncrt::when_all(std::move(nd));
        CO_ASSERT_TRUE(nds.size() == 5u);
        for (int i = 0; i < 5; ++i) EXPECT_EQ(nds[static_cast<std::size_t>(i)].value, i);
        std::vector<task<bool>> fs;
        for (int i = 0; i < 5; ++i) fs.push_back(flag(i % 2 == 1));
        std::vector<bool> bits = co_await asyncrt::when_all(std::move(fs));
        EXPECT_EQ(bits, (std::vector<bool>{false, true, false, true, false}));
    };
    asyncrt::run(body());
}

// A child that is empty, or that already finished with an exception, is counted out
// without running: its failure is still the first in argument order when it comes first.
TEST(WhenAll, AnEmptyOrFailedFinishedChildIsItsFailureInArgumentOrder) {
    auto fail = [](std::string what) -> task<int> {
        throw err(what);
        co_return 0;
    };
    auto body = [&]() -> task<std::string> {
        std::string seen;
        auto failed = fail("finished");
        try {
            (void)co_await failed;
        } catch (const err&) {
        }
        try {
            co_await asyncrt::when_all(ready(0), std::move(failed), fail("later"));
        } catch (const err& e) {
            seen += e.what();
        }
        std::vector<task<int>> ts;
        ts.push_back(ready(1));
        ts.push_back(task<int>{});
        ts.push_back(fail("after the empty one"));
        try {
            co_await asyncrt::when_all(std::move(ts));
        } catch (const std::logic_error& e) {
            seen += std::string(" / ") + (std::string(e.what()).find("no result") != std::string::npos ? "broken" : e.what());
        }
        co_return seen;
    };
    EXPECT_EQ(asyncrt::run(body()), "finished / broken");
}

// Children failing at once on two workers: whichever records first, the failure
// rethrown is the one with the lowest position.
TEST(WhenAll, ConcurrentFailuresOnPoolThreadsRethrowTheLowestPosition) {
    asyncrt::thread_pool pool{2};
    auto child = [&](int i) -> task<int> {
        co_await pool.schedule();
        if (i % 7 == 3) throw err(std::to_string(i));
        co_return i;
    };
    for (int round = 0; round < 50; ++round) {
        auto body = [&]() -> task<std::string> {
            std::vector<task<int>> ts;
            for (int i = 0; i < 64; ++i) ts.push_back(child(i));
            try {
                co_await asyncrt::when_all(std::move(ts));
            } catch (const err& e) {
                co_return e.what();
            }
            co_return "none";
        };
        ASSERT_EQ(asyncrt::run(body()), "3") << "round " << round;
        auto pair = [&]() -> task<std::string> {
            try {
                co_await asyncrt::when_all(child(10), child(3));
            } catch (const err& e) {
                co_return e.what();
            }
            co_return "none";
        };
        ASSERT_EQ(asyncrt::run(pair()), "10") << "round " << round;
    }
}

TEST(WhenAll, NestedWhenAll) {
    auto body = []() -> task<int> {
        auto [x, inner] = co_await asyncrt::when_all(delayed(1, 1ms), asyncrt::when_all(delayed(2, 2ms), delayed(3, 1ms)));
        auto [y, z] = inner;
        co_return x + y + z;
    };
    EXPECT_EQ(asyncrt::run(body()), 6);
}

TEST(WhenAll, ChildrenFinishingOnPoolThreads) {
    asyncrt::thread_pool pool{2};
    auto hop = [&](int v) -> task<int> {
        co_await pool.schedule();
        co_return v * 2;
    };
    auto body = [&]() -> task<int> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 100; ++i) ts.push_back(hop(i));
        auto v = co_await asyncrt::when_all(std::move(ts));
        int sum = 0;
        for (int x : v) sum += x;
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), 9900);
}

// A task already awaited (by reference) is finished: when_all counts it out without
// running it again and still yields its value.
TEST(WhenAll, TaskThatAlreadyFinishedIsNotRunAgain) {
    int runs = 0;
    auto once = [&](int v) -> task<int> {
        ++runs;
        co_return v;
    };
    auto body = [&]() -> task<int> {
        auto first = once(40);
        int seen = co_await first;
        auto [a, b] = co_await asyncrt::when_all(std::move(first), once(2));
        co_return seen == a ? a + b : -1;
    };
    EXPECT_EQ(asyncrt::run(body()), 42);
    EXPECT_EQ(runs, 2);
}

// Every child finishing on a pool thread, the last one on either worker: the parent
// resumes exactly once, on its own loop.
TEST(WhenAll, ManyRoundsOfChildrenRacingToFinishOnTwoWorkers) {
    asyncrt::thread_pool pool{2};
    auto round = [&](int) -> task<long> {
        auto [a, b, c] = co_await asyncrt::when_all(on_pool(pool, 1), on_pool(pool, 2), on_pool(pool, 3));
        co_return a + b + c;
    };
    EXPECT_EQ(sum_of_rounds_on_the_loop(2'000, round), 12'000);
}

// Each child runs until its first suspension before the next starts, in argument order;
// the last one too.
TEST(WhenAll, ChildrenStartInArgumentOrderTheLastOneToo) {
    std::vector<int> events;
    auto child = [&](int i) -> task<int> {
        events.push_back(i);
        co_await asyncrt::yield();
        events.push_back(10 + i);
        co_return i;
    };
    auto body = [&]() -> task<int> {
        auto [a, b, c] = co_await asyncrt::when_all(child(0), child(1), child(2));
        std::vector<task<int>> ts;
        for (int i = 3; i < 6; ++i) ts.push_back(child(i));
        auto v = co_await asyncrt::when_all(std::move(ts));
        co_return a + b + c + v[0] + v[1] + v[2];
    };
    EXPECT_EQ(asyncrt::run(body()), 15);
    EXPECT_EQ(events, (std::vector<int>{0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15}));
}

// Children that all finish without suspending: the parent goes on at once, round after
// round.
TEST(WhenAll, ChildrenThatFinishAtOnce) {
    auto body = []() -> task<int> {
        int sum = 0;
        for (int round = 0; round < 10'000; ++round) {
            auto [a, b] = co_await asyncrt::when_all(ready(1), text("x"));
            sum += a + static_cast<int>(b.size());
        }
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), 20'000);
}

// Children that finish inside their own start count themselves with a plain increment
// the launcher settles in one step; children that finish on a worker meanwhile count down
// the shared count. Mixed in every round, with the last child posted or begun here: the
// parent resumes exactly once, on its loop, with every value.
TEST(WhenAll, ChildrenFinishingInlineAndOnWorkersTogetherResumeTheParentOnce) {
    asyncrt::thread_pool pool{2};
    auto round = [&](int r) -> task<long> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 8; ++i) ts.push_back(i % 2 == 0 ? ready(i) : on_pool(pool, i));
        if (r % 2 == 0) ts.push_back(asyncrt::start_on(pool, ready(100)));
        auto v = co_await asyncrt::when_all(std::move(ts));
        auto [a, b, c] = co_await asyncrt::when_all(ready(1), on_pool(pool, 2), asyncrt::start_on(pool, ready(3)));
        long sum = a + b + c;
        for (int x : v) sum += x;
        co_return sum;
    };
    EXPECT_EQ(sum_of_rounds_on_the_loop(2'000, round), 2'000L * (28 + 6) + 1'000L * 100);
}

// A child that awaits a when_all of its own and then finishes inside its start: the inner
// launch takes over the thread's cheap count and hands it back, so the outer children
// after it still count (and the outer parent still resumes).
TEST(WhenAll, AChildsOwnWhenAllHandsTheInlineCountBack) {
    auto pair_sum = []() -> task<int> {
        auto [a, b] = co_await asyncrt::when_all(ready(1), ready(2));
        std::vector<task<int>> more;
        for (int i = 0; i < 3; ++i) more.push_back(ready(10));
        auto v = co_await asyncrt::when_all(std::move(more));
        co_return a + b + v[0] + v[1] + v[2];
    };
    auto body = [&]() -> task<int> {
        int sum = 0;
        for (int round = 0; round < 1'000; ++round) {
            std::vector<task<int>> ts;
            for (int i = 0; i < 4; ++i) {
                ts.push_back(pair_sum());
                ts.push_back(ready(i));
            }
            for (int x : co_await asyncrt::when_all(std::move(ts))) sum += x;
        }
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), 1'000 * (4 * 33 + 6));
}

// A recursion through a when_all child that is not the last: each level's child runs as
// a nested call until max_nested_starts, then from the loop's queue. 200,000 levels of
// nested calls overflowed the stack (SIGSEGV) before the bound.
task<long> first_child_chain(int depth) {
    if (depth == 0) co_return 0;
    auto [below, here] = co_await asyncrt::when_all(first_child_chain(depth - 1), ready(1));
    co_return below + here;
}

TEST(WhenAll, ARecursionThroughItsFirstChildKeepsABoundedStack) {
    const int depth = 200'000 / asyncrt_test::stress_scale;
    EXPECT_EQ(asyncrt::run(first_child_chain(depth)), depth);
}

// Past the bound on a thread with no executor (a task driven by hand, without run()):
// there is no queue to put a child on, so it still runs, as a nested call.
TEST(WhenAll, PastTheNestingBoundWithoutAnExecutorChildrenStillRun) {
    long result = -1;
    auto driver = [&]() -> task<void> { result = co_await first_child_chain(300); };
    auto d = driver();
    auto h = asyncrt::detail::task_access::handle(d);
    h.resume();
    ASSERT_TRUE(h.done());
    EXPECT_EQ(result, 300);
}

// The same recursion with a last child that suspends, and a failure at the bottom: past
// the bound the first child is queued rather than nested, and still each level gets its
// results in argument order, and the failure reaches the top.
task<int> level_checked_chain(int depth, int failing_depth) {
    if (depth == failing_depth) throw std::runtime_error("bottom");
    if (depth == 0) co_return 0;
    auto here = [](int v) -> task<int> {
        co_await asyncrt::yield();
        co_return v;
    };
    auto [below, mine] = co_await asyncrt::when_all(level_checked_chain(depth - 1, failing_depth), here(depth));
    co_return below == depth - 1 && mine == depth ? depth : -1;
}

TEST(WhenAll, PastTheNestingBoundChildrenStillKeepOrderAndFailures) {
    const int depth = 20'000 / asyncrt_test::stress_scale;
    EXPECT_EQ(asyncrt::run(level_checked_chain(depth, -1)), depth);
    EXPECT_THROW(asyncrt::run(level_checked_chain(depth, 0)), std::runtime_error);
}

TEST(WhenAllSettled, KeepsEveryValueAndException) {
    auto bad = []() -> task<int> {
        co_await asyncrt::sleep_for(1ms);
        throw err("bad");
    };
    auto bad_void = []() -> task<void> {
        throw err("bad void");
        co_return;
    };
    auto body = [&]() -> task<void> {
        auto [a, b, c, d] = co_await asyncrt::when_all_settled(delayed(1, 2ms), bad(), nothing(), bad_void());
        EXPECT_TRUE(a.has_value());
        EXPECT_EQ(a.value(), 1);
        EXPECT_FALSE(b.has_value());
        EXPECT_TRUE(b.has_error());
        EXPECT_THROW((void)b.value(), err);
        EXPECT_TRUE(c.has_value());
        EXPECT_FALSE(c.error());
        EXPECT_TRUE(d.has_error());
        try {
            std::rethrow_exception(d.error());
        } catch (const err& e) {
            EXPECT_STREQ(e.what(), "bad void");
        }
    };
    asyncrt::run(body());
}

TEST(WhenAllSettled, Vector) {
    auto maybe = [](int i) -> task<std::unique_ptr<int>> {
        co_await asyncrt::yield();
        if (i % 2) throw err("odd");
        co_return std::make_unique<int>(i);
    };
    auto body = [&]() -> task<void> {
        std::vector<task<std::unique_ptr<int>>> ts;
        for (int i = 0; i < 6; ++i) ts.push_back(maybe(i));
        auto rs = co_await asyncrt::when_all_settled(std::move(ts));
        CO_ASSERT_TRUE(rs.size() == 6u);
        for (int i = 0; i < 6; ++i) {
            auto& r = rs[static_cast<std::size_t>(i)];
            EXPECT_EQ(r.has_value(), i % 2 == 0) << i;
            if (r) EXPECT_EQ(*std::move(r).value(), i);
        }
    };
    asyncrt::run(body());
}

// An empty (moved-from) task among the children: the others still run; when_all reports
// it as a broken promise, when_all_settled as that error in its slot.
TEST(WhenAllSettled, AnEmptyTaskIsABrokenPromiseAndTheOthersStillRun) {
    int runs = 0;
    auto counted = [&](int v) -> task<int> {
        ++runs;
        co_return v;
    };
    auto body = [&]() -> task<int> {
        auto gone = counted(0);
        auto moved = std::move(gone);
        auto [a, b] = co_await asyncrt::when_all_settled(std::move(gone), counted(2));
        EXPECT_TRUE(a.has_error());
        EXPECT_THROW(a.value(), std::logic_error);
        std::vector<task<int>> ts;
        ts.push_back(counted(3));
        ts.push_back(task<int>{});
        EXPECT_THROW(co_await asyncrt::when_all(std::move(ts)), std::logic_error);
        co_return b.value();
    };
    EXPECT_EQ(asyncrt::run(body()), 2);
    EXPECT_EQ(runs, 2);
}

TEST(WhenAllBounded, NeverExceedsTheLimitAndKeepsOrder) {
    constexpr std::size_t limit = 4;
    int running = 0, peak = 0;
    auto work = [&](int i) -> task<int> {
        ++running;
        peak = std::max(peak, running);
        co_await asyncrt::sleep_for(std::chrono::milliseconds(i % 3));
        co_await asyncrt::yield();
        --running;
        co_return i;
    };
    auto body = [&]() -> task<void> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 40; ++i) ts.push_back(work(i));
        auto v = co_await asyncrt::when_all_bounded(std::move(ts), limit);
        CO_ASSERT_TRUE(v.size() == 40u);
        for (int i = 0; i < 40; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i);
    };
    asyncrt::run(body());
    EXPECT_EQ(running, 0);
    EXPECT_LE(peak, static_cast<int>(limit));
    EXPECT_EQ(peak, static_cast<int>(limit)) << "the limit should also be reached, not just respected";
}

TEST(WhenAllBounded, TasksStartLazilyInOrder) {
    std::vector<int> started;
    auto work = [&](int i) -> task<void> {
        started.push_back(i);
        co_await asyncrt::sleep_for(1ms);
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 6; ++i) ts.push_back(work(i));
        auto all = asyncrt::when_all_bounded(std::move(ts), 2);
        EXPECT_TRUE(started.empty()) << "when_all_bounded is lazy too";
        co_await std::move(all);
    };
    asyncrt::run(body());
    EXPECT_EQ(started, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(WhenAllBounded, LimitAcrossPoolThreads) {
    asyncrt::thread_pool pool{4};  // more workers than the limit, so a broken limit shows
    std::atomic<int> running{0}, peak{0};
    auto work = [&](int i) -> task<int> {
        co_await pool.schedule();
        int now = running.fetch_add(1) + 1;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        running.fetch_sub(1);
        co_return i;
    };
    auto body = [&]() -> task<int> {
        std::vector<task<int>> ts;
        for (int i = 0; i < 50; ++i) ts.push_back(work(i));
        auto v = co_await asyncrt::when_all_bounded(std::move(ts), 2);
        int sum = 0;
        for (int x : v) sum += x;
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), 50 * 49 / 2);
    EXPECT_LE(peak.load(), 2);
}

TEST(WhenAllBounded, FailuresDoNotStopTheRestAndTheFirstIsRethrown) {
    int finished = 0;
    auto work = [&](int i) -> task<void> {
        co_await asyncrt::yield();
        ++finished;
        if (i == 2 || i == 5) throw err("fail " + std::to_string(i));
    };
    auto body = [&]() -> task<std::string> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 8; ++i) ts.push_back(work(i));
        try {
            co_await asyncrt::when_all_bounded(std::move(ts), 2);
        } catch (const err& e) {
            co_return e.what();
        }
        co_return "none";
    };
    EXPECT_EQ(asyncrt::run(body()), "fail 2");
    EXPECT_EQ(finished, 8);
}

TEST(WhenAllBounded, ZeroLimitIsRejected) {
    auto body = []() -> task<void> {
        std::vector<task<int>> ts;
        ts.push_back(delayed(1, 0ms));
        co_await asyncrt::when_all_bounded(std::move(ts), 0);
    };
    EXPECT_THROW(asyncrt::run(body()), std::invalid_argument);
}

}  // namespace

namespace {

TEST(DestructionOrder, WhenAllFreesChildFramesBeforeTheCallerContinues) {
    auto token = std::make_shared<int>(0);
    auto holder = [](std::shared_ptr<int> p) -> task<int> {
        co_await asyncrt::yield();
        co_return static_cast<int>(p.use_count() > 0);
    };
    auto body = [&]() -> task<long> {
        auto all = asyncrt::when_all(holder(token), holder(token));
        EXPECT_EQ(token.use_count(), 3);  // lazily held, not yet run
        auto [a, b] = co_await std::move(all);
        EXPECT_EQ(a + b, 2);
        co_return token.use_count();
    };
    EXPECT_EQ(asyncrt::run(body()), 1);
}

// A child's frame (its parameters included) is freed when the child finishes, not when
// the last sibling does.
TEST(DestructionOrder, AWhenAllChildFreesItsFrameWhenItFinishes) {
    std::vector<std::string> events;
    struct noisy {
        std::vector<std::string>* events;
        noisy(std::vector<std::string>* e) : events(e) {}
        noisy(noisy&& o) noexcept : events(std::exchange(o.events, nullptr)) {}
        ~noisy() {
            if (events) events->push_back("fast child's frame freed");
        }
    };
    auto fast = [](noisy) -> task<int> { co_return 1; };
    auto slow = [&]() -> task<int> {
        co_await asyncrt::sleep_for(2ms);
        events.push_back("slow child finished");
        co_return 2;
    };
    auto body = [&]() -> task<int> {
        auto [a, b] = co_await asyncrt::when_all(fast(noisy{&events}), slow());
        auto [c, d] = co_await asyncrt::when_all(slow(), fast(noisy{&events}));
        co_return a + b + c + d;
    };
    EXPECT_EQ(asyncrt::run(body()), 6);
    EXPECT_EQ(events, (std::vector<std::string>{"fast child's frame freed", "slow child finished",
                                                "fast child's frame freed", "slow child finished"}));
}

TEST(DestructionOrder, BoundedFreesEveryTask) {
    auto token = std::make_shared<int>(0);
    auto holder = [](std::shared_ptr<int> p) -> task<void> {
        co_await asyncrt::yield();
        (void)p;
    };
    auto body = [&]() -> task<long> {
        std::vector<task<void>> ts;
        for (int i = 0; i < 10; ++i) ts.push_back(holder(token));
        co_await asyncrt::when_all_bounded(std::move(ts), 3);
        co_return token.use_count();
    };
    EXPECT_EQ(asyncrt::run(body()), 1);
}

}  // namespace
