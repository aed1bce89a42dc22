// Debug mode: slow-resume warnings, never-awaited tasks, dump_tasks.
#include <asyncrt/debug.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "test_util.hpp"

using asyncrt::task;
using namespace std::chrono_literals;

namespace {

// Busy-waits (does not sleep) so the resume really takes that long on the loop thread.
void hog(std::chrono::milliseconds d) {
    auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) {
    }
}

task<void> slow_coroutine_for_debug_test() {
    co_await asyncrt::yield();
    hog(100ms);  // blocks the loop between two suspension points
    co_await asyncrt::yield();
}

TEST(Debug, SlowResumeIsReportedWithTheCoroutinesLocation) {
    asyncrt_test::debug_scope dbg{30ms};
    asyncrt::run(slow_coroutine_for_debug_test());
    auto lines = dbg.sink.lines();
    ASSERT_EQ(dbg.sink.count("slow resume"), 1u) << ::testing::PrintToString(lines);
    EXPECT_TRUE(dbg.sink.contains("slow_coroutine_for_debug_test")) << lines[0];
    EXPECT_TRUE(dbg.sink.contains("test_debug.cpp:")) << lines[0];
}

TEST(Debug, FastResumesAreNotReported) {
    asyncrt_test::debug_scope dbg{10s};
    asyncrt::run(slow_coroutine_for_debug_test());
    EXPECT_EQ(dbg.sink.count("slow resume"), 0u);
}

TEST(Debug, SlowWorkOnPoolThreadsIsNotReported) {
    asyncrt_test::debug_scope dbg{30ms};
    auto body = []() -> task<void> { co_await asyncrt::to_thread([] { hog(100ms); }); };
    asyncrt::run(body());
    EXPECT_EQ(dbg.sink.count("slow resume"), 0u) << "blocking is what pool threads are for";
}

TEST(Debug, OnlyTheSlowTaskIsNamed) {
    asyncrt_test::debug_scope dbg{30ms};
    auto quick = []() -> task<int> {
        co_await asyncrt::yield();
        co_return 1;
    };
    auto body = [&]() -> task<void> {
        co_await asyncrt::when_all(quick(), slow_coroutine_for_debug_test(), quick());
    };
    asyncrt::run(body());
    ASSERT_EQ(dbg.sink.count("slow resume"), 1u);
    EXPECT_TRUE(dbg.sink.contains("slow_coroutine_for_debug_test"));
}

TEST(Debug, NeverAwaitedTaskIsReported) {
    asyncrt_test::debug_scope dbg;
    {
        auto forgotten = []() -> task<int> { co_return 1; }();
        (void)forgotten;
    }
    ASSERT_EQ(dbg.sink.count("without ever being awaited"), 1u);
    EXPECT_TRUE(dbg.sink.contains("test_debug.cpp"));
}

TEST(Debug, AwaitedTasksAreNotReportedAsNeverAwaited) {
    asyncrt_test::debug_scope dbg;
    auto body = []() -> task<int> {
        auto [a, b] = co_await asyncrt::when_all([]() -> task<int> { co_return 1; }(),
                                                 []() -> task<int> { co_return 2; }());
        co_return a + b;
    };
    EXPECT_EQ(asyncrt::run(body()), 3);
    EXPECT_EQ(dbg.sink.count("without ever being awaited"), 0u);
}

TEST(Debug, TasksCreatedWithDebugOffAreUntracked) {
    auto t = []() -> task<int> { co_return 1; }();
    asyncrt_test::debug_scope dbg;
    { auto dropped = std::move(t); }
    EXPECT_TRUE(dbg.sink.lines().empty());
}

task<void> waits_on_semaphore_for_dump(asyncrt::semaphore& sem) { auto p = co_await sem.acquire(); }
task<void> sleeps_for_dump() { co_await asyncrt::sleep_for(5ms); }

TEST(Debug, DumpTasksListsLiveTasksAndWhatTheyWaitOn) {
    asyncrt_test::debug_scope dbg;
    asyncrt::semaphore sem{0};
    std::string dump;
    auto inspector = [&]() -> task<void> {
        co_await asyncrt::yield();
        dump = asyncrt::dump_tasks();
        auto tasks = asyncrt::live_tasks();
        bool found_running_self = false;
        for (const auto& t : tasks)
            if (t.state == "running") found_running_self = true;
        EXPECT_TRUE(found_running_self);
        sem.release();
    };
    auto body = [&]() -> task<void> {
        co_await asyncrt::when_all(waits_on_semaphore_for_dump(sem), sleeps_for_dump(), inspector());
    };
    asyncrt::run(body());
    EXPECT_NE(dump.find("waits_on_semaphore_for_dump"), std::string::npos) << dump;
    EXPECT_NE(dump.find("waiting on semaphore::acquire"), std::string::npos) << dump;
    EXPECT_NE(dump.find("sleeps_for_dump"), std::string::npos) << dump;
    EXPECT_NE(dump.find("waiting on sleep"), std::string::npos) << dump;
    EXPECT_NE(dump.find("waiting on when_all"), std::string::npos) << dump;
    EXPECT_NE(dump.find("test_debug.cpp:"), std::string::npos) << dump;
    // Everything finished: nothing from this test is live any more.
    EXPECT_EQ(asyncrt::dump_tasks().find("sleeps_for_dump"), std::string::npos);
}

TEST(Debug, OptionsRoundTrip) {
    auto saved = asyncrt::get_debug_options();
    asyncrt::debug_options o;
    o.enabled = true;
    o.slow_resume_threshold = 42ms;
    asyncrt::set_debug_options(o);
    EXPECT_TRUE(asyncrt::debug_enabled());
    EXPECT_EQ(asyncrt::get_debug_options().slow_resume_threshold, 42ms);
    asyncrt::set_debug_options(saved);
    EXPECT_EQ(asyncrt::debug_enabled(), saved.enabled);
}

TEST(Debug, DefaultThresholdIs100ms) { EXPECT_EQ(asyncrt::debug_options{}.slow_resume_threshold, 100ms); }

}  // namespace

namespace {
// Registered twice in CMake: once plainly (skips) and once with ASYNCRT_DEBUG=1 and
// ASYNCRT_DEBUG_SLOW_MS=250 in the environment.
TEST(DebugEnv, EnvironmentEnablesDebugMode) {
    const char* v = std::getenv("ASYNCRT_DEBUG");
    if (!v || std::string(v) != "1") GTEST_SKIP() << "run with ASYNCRT_DEBUG=1";
    EXPECT_TRUE(asyncrt::debug_enabled());
    EXPECT_EQ(asyncrt::get_debug_options().slow_resume_threshold, std::chrono::milliseconds(250));
}
}  // namespace
