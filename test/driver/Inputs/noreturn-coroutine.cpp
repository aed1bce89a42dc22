// clang 19 warns about a [[noreturn]] coroutine that can finish
// (-Winvalid-noreturn) with a diagnostic it cannot describe, and the
// diagnostic consumer crashes on it: clang++-19 -fsyntax-only and stock
// clang-tidy-19 too. corotidy's crash isolation is tested with it.
#include <coroutine>

struct Fire {
  struct promise_type {
    Fire get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

[[noreturn]] Fire forever() { co_await std::suspend_never{}; }
