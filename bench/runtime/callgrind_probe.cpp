// Instruction counts for asyncrt's fork-join and when_all, for valgrind --tool=callgrind
// (bench/runtime_callgrind.py runs it). Timings on a shared 2-vCPU machine move by 2x from
// minute to minute; instruction counts do not, so a change's cost can be attributed.
//
//   asyncrt_callgrind_probe when_all N CHILDREN   when_all over N trivial tasks until CHILDREN ran
//   asyncrt_callgrind_probe fork_join N WORKERS   fork-join fib(N) on a pool of WORKERS
//   asyncrt_callgrind_probe chain N 0             fib(N) as a chain of nested awaits, one thread
//   asyncrt_callgrind_probe semaphore N 0         N uncontended acquire+release pairs, one thread
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
#include <vector>

#include "probe_args.hpp"

using asyncrt::task;

namespace {

task<int> leaf(int v) { co_return v; }

task<long> fib(asyncrt::thread_pool& pool, int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await asyncrt::when_all(asyncrt::start_on(pool, fib(pool, n - 1)), fib(pool, n - 2));
    co_return a + b;
}

task<long> chain(int n) {
    if (n < 2) co_return n;
    long a = co_await chain(n - 1);
    long b = co_await chain(n - 2);
    co_return a + b;
}

long when_all_rounds(int n, int rounds) {
    return asyncrt::run([&]() -> task<long> {
        long sum = 0;
        for (int r = 0; r < rounds; ++r) {
            std::vector<task<int>> ts;
            ts.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) ts.push_back(leaf(i));
            auto v = co_await asyncrt::when_all(std::move(ts));
            sum += v.back();
        }
        co_return sum;
    }());
}

long acquire_release(int n) {
    asyncrt::semaphore sem{1};
    return asyncrt::run([&]() -> task<long> {
        long held = 0;
        for (int i = 0; i < n; ++i) {
            auto permit = co_await sem.acquire();
            held += permit.owns();
        }
        co_return held;
    }());
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse_probe_args(argc, argv);
    if (!args) return 2;
    const auto& [what, n, third] = *args;
    if (what == "when_all") {
        when_all_rounds(n, 1);  // warm the frame cache and the allocator
        std::printf("%ld\n", when_all_rounds(n, third / n));
    } else if (what == "chain") {
        asyncrt::run(chain(10));
        std::printf("%ld\n", asyncrt::run(chain(n)));
    } else if (what == "semaphore") {
        std::printf("%ld\n", acquire_release(n));
    } else {
        asyncrt::thread_pool pool{static_cast<std::size_t>(third)};
        asyncrt::run(asyncrt::start_on(pool, fib(pool, 10)));
        std::printf("%ld\n", asyncrt::run(asyncrt::start_on(pool, fib(pool, n))));
    }
    return 0;
}
