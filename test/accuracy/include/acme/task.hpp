// acme: a home-made LAZY coroutine library of the kind most teams write.
// corotidy's rules do not name it: everything about it must be recognised by
// its shape (task type, combinators, spawn, scope, sync-wait, mutex).
#pragma once

#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace acme {

template <class T = void> class task;

namespace detail {
template <class T> struct promise_base {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};
} // namespace detail

template <class T> class [[nodiscard]] task {
public:
  struct promise_type : detail::promise_base<T> {
    std::optional<T> value;
    task get_return_object() { return task(std::coroutine_handle<promise_type>::from_promise(*this)); }
    void return_value(T v) { value = std::move(v); }
  };
  task(task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  ~task() { if (handle_) handle_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle_.promise().continuation = caller;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().error)
      std::rethrow_exception(handle_.promise().error);
    return std::move(*handle_.promise().value);
  }

private:
  explicit task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

template <> class [[nodiscard]] task<void> {
public:
  struct promise_type : detail::promise_base<void> {
    task get_return_object() { return task(std::coroutine_handle<promise_type>::from_promise(*this)); }
    void return_void() {}
  };
  task(task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  ~task() { if (handle_) handle_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle_.promise().continuation = caller;
    return handle_;
  }
  void await_resume() {
    if (handle_.promise().error)
      std::rethrow_exception(handle_.promise().error);
  }

private:
  explicit task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

} // namespace acme
