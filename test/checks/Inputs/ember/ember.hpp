// ember: a home-made EAGER coroutine framework that no rules file names
// (futures start running when created, like QCoro's or concurrencpp's).
// Every role is spelled differently from acme and from asyncrt, so a test
// passes only if corotidy reads shapes, not names.
#pragma once

#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <vector>

namespace ember {

void report_failure(std::exception_ptr); // the application's error sink

template <typename T> class future {
public:
  struct promise_type {
    T value{};
    std::exception_ptr error;
    future get_return_object() { return future{}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { error = std::current_exception(); }
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  T await_resume() { return T{}; }
};

template <> class future<void> {
public:
  struct promise_type {
    std::exception_ptr error;
    future get_return_object() { return future{}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { error = std::current_exception(); }
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() {}
};

// An eager future whose promise hands every escaping exception to the
// application's sink: detaching it loses nothing.
class reported {
public:
  struct promise_type {
    reported get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { report_failure(std::current_exception()); }
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() {}
};

// Combinators.
template <typename A, typename B> future<void> both(future<A> a, future<B> b);
template <typename T> future<std::vector<T>> gather(std::vector<future<T>> all);
// Bounded: the same with a limit.
template <typename T> future<std::vector<T>> gather_at_most(std::vector<future<T>> all, int limit);

// Detached launch with no error channel at all; and one with a callback.
template <typename T> void detach(future<T> f);
void detach_reported(reported r);
void detach_with(future<void> f, std::function<void(std::exception_ptr)> on_failure);

// Blocks until the future has a value.
template <typename T> T block_on(future<T> f);
// Not a sync-wait: hands the future back, does not wait.
template <typename T> future<T> rebind(future<T> f);
// Not a sync-wait: returns a count, not the future's value.
template <typename T> int pending_count(future<T> &f);

// A scope whose join is called wait_all().
class nursery {
public:
  void start(future<void> f) { children_.push_back(std::move(f)); }
  future<void> wait_all();

private:
  std::vector<future<void>> children_;
};

// An event loop hop and a timer.
class loop {
public:
  future<void> schedule();
  future<int> fetch_config_version();
};
future<void> after(std::chrono::milliseconds d);
future<void> at(std::chrono::steady_clock::time_point tp);

} // namespace ember
