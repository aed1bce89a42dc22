// acme: a home-made LAZY coroutine framework that no rules file names.
// corotidy must recognise every role in it by shape (issue 12): task,
// when_all, bounded when_all, spawn, task_group, sync_wait, mutex, sleep.
// Shared by the lit tests (test/checks) and the accuracy corpus
// (test/accuracy/corpus); declarations only where a body adds nothing.
#pragma once

#include <coroutine>
#include <exception>
#include <utility>

namespace acme {

template <typename T = void> class task;

namespace detail {
template <typename T> struct promise_base {
  std::exception_ptr error; // kept for the awaiter: a detached task loses it
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};
} // namespace detail

template <typename T> class [[nodiscard]] task {
public:
  struct promise_type : detail::promise_base<T> {
    T value{};
    task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    void return_value(T v) { value = std::move(v); }
  };
  explicit task(std::coroutine_handle<promise_type> h) : handle(h) {}
  task(task &&o) noexcept : handle(std::exchange(o.handle, {})) {}
  ~task() { if (handle) handle.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return handle; }
  T await_resume() { return std::move(handle.promise().value); }

private:
  std::coroutine_handle<promise_type> handle;
};

template <> class [[nodiscard]] task<void> {
public:
  struct promise_type : detail::promise_base<void> {
    task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    void return_void() {}
  };
  explicit task(std::coroutine_handle<promise_type> h) : handle(h) {}
  task(task &&o) noexcept : handle(std::exchange(o.handle, {})) {}
  ~task() { if (handle) handle.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return handle; }
  void await_resume() {}

private:
  std::coroutine_handle<promise_type> handle;
};

} // namespace acme
