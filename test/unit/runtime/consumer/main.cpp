// Uses the installed umbrella header and the headers the linter's fix-its include.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/when_all.hpp>

#include <chrono>
#include <cstdio>

asyncrt::task<int> twice(int x) {
    co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
    co_return 2 * x;
}

asyncrt::task<int> amain() {
    auto [a, b] = co_await asyncrt::when_all(twice(1), twice(2));
    auto c = co_await asyncrt::to_thread([&] { return a + b; });
    co_return c;  // 6
}

int main() {
    int r = asyncrt::run(amain());
    std::printf("consumer result %d\n", r);
    return r == 6 ? 0 : 1;
}
