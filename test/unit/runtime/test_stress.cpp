// Stress: 100k tasks through the loop, combinators and primitives.
#include <asyncrt/run.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;

namespace {

constexpr int hundred_k = 100'000;

TEST(Stress, HundredThousandTasksUnderWhenAll) {
    auto leaf = [](int i) -> task<long> {
        co_await asyncrt::yield();
        co_return i;
    };
    auto body = [&]() -> task<long> {
        std::vector<task<long>> ts;
        ts.reserve(hundred_k);
        for (int i = 0; i < hundred_k; ++i) ts.push_back(leaf(i));
        auto v = co_await asyncrt::when_all(std::move(ts));
        long sum = 0;
        for (long x : v) sum += x;
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), static_cast<long>(hundred_k) * (hundred_k - 1) / 2);
}

TEST(Stress, HundredThousandTasksInATaskGroupWithASemaphore) {
    asyncrt::semaphore sem{64};
    int running = 0, peak = 0, done = 0;
    auto leaf = [&]() -> task<void> {
        auto p = co_await sem.acquire();
        ++running;
        if (running > peak) peak = running;
        co_await asyncrt::yield();
        --running;
        ++done;
    };
    auto body = [&]() -> task<void> {
        asyncrt::task_group g;
        for (int i = 0; i < hundred_k; ++i) g.spawn(leaf());
        co_await g.join();
    };
    asyncrt::run(body());
    EXPECT_EQ(done, hundred_k);
    EXPECT_EQ(peak, 64);
    EXPECT_EQ(sem.available(), 64);
}

TEST(Stress, HundredThousandTimers) {
    const int n = hundred_k / asyncrt_test::stress_scale;
    int fired = 0;
    auto leaf = [&](int i) -> task<void> {
        co_await asyncrt::sleep_for(std::chrono::microseconds(i % 500));
        ++fired;
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
        co_await asyncrt::when_all_bounded(std::move(ts), 10'000);
    };
    asyncrt::run(body());
    EXPECT_EQ(fired, n);
}

TEST(Stress, HundredThousandTasksHoppingThroughAPool) {
    asyncrt::thread_pool pool{2};
    const int n = hundred_k / asyncrt_test::stress_scale;
    std::atomic<long> sum{0};
    auto leaf = [&](int i) -> task<void> {
        co_await pool.schedule();
        sum.fetch_add(i, std::memory_order_relaxed);
    };
    auto body = [&]() -> task<void> {
        std::vector<task<void>> ts;
        ts.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    EXPECT_EQ(sum.load(), static_cast<long>(n) * (n - 1) / 2);
}

}  // namespace
