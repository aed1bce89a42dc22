// A home-made coroutine library the rules do not name: corotidy must
// recognise its task types structurally (promise_type + awaitable) and read
// lazy vs eager from initial_suspend().
#pragma once

#include <coroutine>
#include <exception>
#include <utility>

namespace home {

template <typename T> struct Lazy {
  struct promise_type {
    T value{};
    std::exception_ptr error;
    Lazy get_return_object() { return Lazy{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { error = std::current_exception(); }
  };
  std::coroutine_handle<promise_type> handle;
  explicit Lazy(std::coroutine_handle<promise_type> h) : handle(h) {}
  Lazy(Lazy &&o) noexcept : handle(std::exchange(o.handle, {})) {}
  ~Lazy() { if (handle) handle.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return handle; }
  T await_resume() { return std::move(handle.promise().value); }
};

template <> struct Lazy<void> {
  struct promise_type {
    Lazy get_return_object() { return Lazy{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  explicit Lazy(std::coroutine_handle<promise_type> h) : handle(h) {}
  Lazy(Lazy &&o) noexcept : handle(std::exchange(o.handle, {})) {}
  ~Lazy() { if (handle) handle.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return handle; }
  void await_resume() {}
};

// Starts running at once; custom awaiter whose await_ready() says so.
struct Eager {
  struct start_now {
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
  };
  struct promise_type {
    Eager get_return_object() { return {}; }
    start_now initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// Not a task: awaitable, but no promise_type (an ordering primitive).
struct Event {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
  void set() {}
};

// Not a task: has a promise_type but is not awaitable (a generator-like type).
struct Generator {
  struct promise_type {
    Generator get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

} // namespace home
