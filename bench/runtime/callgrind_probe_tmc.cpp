// The TooManyCooks half of bench/runtime_callgrind.py: the same when_all and fork-join
// workloads as callgrind_probe.cpp, in TooManyCooks' idiom (spawn_many, spawn_tuple), so
// the two runtimes' instruction and cache-miss counts stand side by side. Built only with
// -DASYNCRT_BENCH_TMC_DIR.
//
//   asyncrt_callgrind_probe_tmc when_all N CHILDREN | fork_join N WORKERS | chain N 0
#define TMC_IMPL
#include "tmc/all_headers.hpp"

#include <cstdio>
#include <vector>

#include "probe_args.hpp"

namespace {

tmc::task<int> leaf(int v) { co_return v; }

tmc::task<long> fib(int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await tmc::spawn_tuple(fib(n - 1), fib(n - 2));
    co_return a + b;
}

tmc::task<long> chain(int n) {
    if (n < 2) co_return n;
    long a = co_await chain(n - 1);
    long b = co_await chain(n - 2);
    co_return a + b;
}

tmc::task<long> when_all_rounds(int n, int rounds) {
    long sum = 0;
    for (int r = 0; r < rounds; ++r) {
        std::vector<tmc::task<int>> ts;
        ts.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
        auto v = co_await tmc::spawn_many(ts.begin(), ts.size());
        sum += v.back();
    }
    co_return sum;
}

tmc::task<long> acquire_release(int n) {
    tmc::semaphore sem{1};
    long held = 0;
    for (int i = 0; i < n; ++i) {
        auto permit = co_await sem.acquire_scope();
        ++held;
    }
    co_return held;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse_probe_args(argc, argv);
    if (!args) return 2;
    const auto& [what, n, third] = *args;
    tmc::ex_cpu ex;
    ex.set_thread_count(what == "fork_join" ? static_cast<std::size_t>(third) : 1).init();
    long result = 0;
    if (what == "when_all") {
        tmc::post_waitable(ex, when_all_rounds(n, 1), 0).get();  // warm up, as the asyncrt probe does
        result = tmc::post_waitable(ex, when_all_rounds(n, third / n), 0).get();
    } else if (what == "chain") {
        tmc::post_waitable(ex, chain(10), 0).get();
        result = tmc::post_waitable(ex, chain(n), 0).get();
    } else if (what == "semaphore") {
        result = tmc::post_waitable(ex, acquire_release(n), 0).get();
    } else {
        tmc::post_waitable(ex, fib(10), 0).get();
        result = tmc::post_waitable(ex, fib(n), 0).get();
    }
    std::printf("%ld\n", result);
    return 0;
}
