// A second home-made coroutine library the rules do not name (for the lock
// and connection checks): a lazy task with a templated awaiter, an eager
// fire-and-forget job, and a timer awaitable.
#pragma once

#include <chrono>
#include <coroutine>
#include <exception>
#include <utility>

namespace mini {

template <typename T = void> class co {
public:
  struct promise_type {
    T value{};
    co get_return_object() { return co{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    template <typename U> void return_value(U &&v) { value = std::forward<U>(v); }
    void unhandled_exception() { std::terminate(); }
  };
  explicit co(std::coroutine_handle<promise_type> h) : h_(h) {}
  co(co &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~co() { if (h_) h_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h_; }
  T await_resume() { return std::move(h_.promise().value); }

private:
  std::coroutine_handle<promise_type> h_;
};

template <> class co<void> {
public:
  struct promise_type {
    co get_return_object() { return co{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit co(std::coroutine_handle<promise_type> h) : h_(h) {}
  co(co &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~co() { if (h_) h_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h_; }
  void await_resume() {}

private:
  std::coroutine_handle<promise_type> h_;
};

// Runs at once; nobody awaits it.
struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

struct timer {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
inline timer after(std::chrono::milliseconds) { return {}; }

// A generator: co_yield suspends too.
struct stream {
  struct promise_type {
    stream get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

} // namespace mini
