// Uses the installed umbrella header and the headers the linter's fix-its include. Built
// with the project's compiler and with GCC (runtime.install_consumer_gcc): the task
// machinery is templates, compiled by the consumer's compiler.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/when_all.hpp>

#include <chrono>
#include <cstdio>
#include <string>

asyncrt::task<int> twice(int x) {
    co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
    co_return 2 * x;
}

asyncrt::task<int> amain() {
    auto [a, b] = co_await asyncrt::when_all(twice(1), twice(2));
    auto c = co_await asyncrt::to_thread([&] { return a + b; });
    co_return c;  // 6
}

// The state debug mode gives the running task: set by the task's start and by its resumes.
std::string own_state() {
    for (const auto& t : asyncrt::live_tasks())
        if (t.function.find("observed") != std::string::npos) return t.state;
    return "missing";
}
asyncrt::task<int> leaf(int v) { co_return v; }
asyncrt::task<std::string> observed() {
    std::string first = own_state();
    int v = co_await leaf(1);  // a child that ends at once: its final awaiter runs
    co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
    std::string after = own_state();
    co_return v == 1 ? first + " " + after : "wrong value";
}

int main() {
    int r = asyncrt::run(amain());
    std::printf("consumer result %d\n", r);
    asyncrt::set_debug_options({.enabled = true, .slow_resume_threshold = std::chrono::seconds(10), .sink = {}});
    std::string states = asyncrt::run(observed());
    std::printf("debug states seen by the task itself: %s\n", states.c_str());
    return r == 6 && states == "running running" ? 0 : 1;
}
