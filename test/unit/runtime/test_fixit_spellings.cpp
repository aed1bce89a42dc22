// The exact code corotidy's fix-its write, each with only the include the fix-it inserts.
// If one of these stops compiling or behaving, the linter's fixes break.
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <string>
#include <tuple>
#include <vector>

namespace {

asyncrt::task<int> f() { co_return 1; }
asyncrt::task<std::string> g() { co_return "g"; }
asyncrt::task<void> h() { co_return; }
int blocking_call() { return 7; }
int side_effect = 0;
void void_call() { side_effect = 1; }

asyncrt::task<int> fixed_code() {
    // async-sequential-await
    auto [a, b, c] = co_await asyncrt::when_all(f(), g(), h());
    (void)c;
    int x = 0;
    std::string y;
    std::tie(x, y) = co_await asyncrt::when_all(f(), g());
    std::vector<asyncrt::task<int>> vec;
    vec.push_back(f());
    std::vector<int> v = co_await asyncrt::when_all(std::move(vec));
    std::vector<asyncrt::task<void>> voids;
    voids.push_back(h());
    co_await asyncrt::when_all(std::move(voids));
    // async-unbounded-fanout
    std::vector<asyncrt::task<int>> tasks;
    for (int i = 0; i < 100; ++i) tasks.push_back(f());
    auto bounded = co_await asyncrt::when_all_bounded(std::move(tasks), 64);
    asyncrt::semaphore sem{4};
    auto permit = co_await sem.acquire();
    // async-blocking-call
    co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
    co_await asyncrt::sleep_until(std::chrono::steady_clock::now() + std::chrono::microseconds(10));
    auto r = co_await asyncrt::to_thread([&] { return blocking_call(); });
    co_await asyncrt::to_thread([&] { return void_call(); });
    // async-dropped-exception
    asyncrt::spawn(h());
    asyncrt::spawn(h(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
    asyncrt::task_group group;
    group.spawn(h());
    co_await group.join();
    co_return a + static_cast<int>(b.size()) + x + static_cast<int>(y.size()) + v[0] +
              static_cast<int>(bounded.size()) + r;
}

TEST(FixitSpellings, CompileAndRun) {
    int result = asyncrt::run(fixed_code());
    EXPECT_EQ(result, 1 + 1 + 1 + 1 + 1 + 100 + 7);
    EXPECT_EQ(side_effect, 1);
}

}  // namespace
