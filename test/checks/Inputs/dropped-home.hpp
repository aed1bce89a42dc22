// A home-made launch library for async-dropped-exception and
// async-unbounded-fanout: spawn functions the test config names in its
// Rules overlay, promise types that swallow or keep exceptions.
#pragma once

#include "hometask.hpp"

#include <coroutine>
#include <exception>
#include <functional>
#include <vector>

namespace home {

// Fire and forget; no way to learn about a failure.
inline void launch(Lazy<void>) {}
// Fire and forget with an optional error callback (argument 1).
inline void post(Lazy<void>, std::function<void(std::exception_ptr)> = {}) {}

struct ignore_errors_t {};
inline constexpr ignore_errors_t ignore_errors{};
// A completion-token style launch (argument 1 is the token).
inline void start(Lazy<void>, ignore_errors_t) {}
inline void start(Lazy<void>, std::function<void(std::exception_ptr)>) {}

// A scope that joins what it is given.
struct Scope {
  void add(Lazy<void>) {}
  Lazy<void> join();
};

// A semaphore the rules list as a limiter.
struct Gate {
  Event enter() { return {}; }
};

// A promise that swallows: the coroutine's exception vanishes.
struct Quiet {
  struct promise_type {
    bool failed = false;
    Quiet get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { failed = true; }
  };
};

} // namespace home

namespace home {
// Await-all combinators the test config names (plain and bounded).
template <typename T> Lazy<void> all(std::vector<T>) { co_return; }
template <typename T> Lazy<void> all_bounded(std::vector<T>, int) { co_return; }
} // namespace home
