// nimbus: a home-made EAGER coroutine library (the coroutine starts running
// when called, like a JavaScript promise). corotidy's rules do not name it.
#pragma once

#include <chrono>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace nimbus {

template <class T> struct shared_state {
  std::optional<T> value;
  std::exception_ptr error;
  std::coroutine_handle<> waiter;
  bool done = false;
};
template <> struct shared_state<void> {
  std::exception_ptr error;
  std::coroutine_handle<> waiter;
  bool done = false;
};

template <class T = void> class [[nodiscard]] future {
public:
  struct promise_type {
    std::shared_ptr<shared_state<T>> state = std::make_shared<shared_state<T>>();
    future get_return_object() { return future(state); }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void unhandled_exception() { state->error = std::current_exception(); }
    template <class U> void return_value(U &&v) { state->value = std::forward<U>(v); state->done = true; }
  };
  bool await_ready() const noexcept { return state_->done; }
  void await_suspend(std::coroutine_handle<> h) { state_->waiter = h; }
  T await_resume() {
    if (state_->error)
      std::rethrow_exception(state_->error);
    return std::move(*state_->value);
  }

private:
  explicit future(std::shared_ptr<shared_state<T>> s) : state_(std::move(s)) {}
  std::shared_ptr<shared_state<T>> state_;
};

template <> class [[nodiscard]] future<void> {
public:
  struct promise_type {
    std::shared_ptr<shared_state<void>> state = std::make_shared<shared_state<void>>();
    future get_return_object() { return future(state); }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void unhandled_exception() { state->error = std::current_exception(); }
    void return_void() { state->done = true; }
  };
  bool await_ready() const noexcept { return state_->done; }
  void await_suspend(std::coroutine_handle<> h) { state_->waiter = h; }
  void await_resume() {
    if (state_->error)
      std::rethrow_exception(state_->error);
  }

private:
  explicit future(std::shared_ptr<shared_state<void>> s) : state_(std::move(s)) {}
  std::shared_ptr<shared_state<void>> state_;
};

/// Waits for all futures (they are already running).
template <class T> future<std::vector<T>> gather(std::vector<future<T>> fs) {
  std::vector<T> out;
  for (auto &f : fs)
    out.push_back(co_await f);
  co_return out;
}
template <class... Ts> future<std::tuple<Ts...>> gather(future<Ts>... fs);

/// Detaches a running future: nothing observes its result or its error.
void detach(future<void> f);

/// Blocks the calling thread until the future completes.
template <class T> T block_on(future<T> f);

/// Suspends for a while on nimbus's reactor.
struct delay {
  explicit delay(std::chrono::milliseconds d) : d(d) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
  std::chrono::milliseconds d;
};

} // namespace nimbus
