// The shape of libcoro 0.16's launch API (names and signatures only, own
// code): what rules/frameworks.yaml's libcoro entry must name.
#pragma once
#include <coroutine>
#include <exception>

namespace coro {

template <typename T = void> class task {
public:
  struct promise_type {
    task get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_void();
    // Routes the error (this task type rethrows at its await): an inferred
    // spawn would trust it; the launches below drop it anyway.
    void unhandled_exception() { std::rethrow_exception(std::current_exception()); }
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume();
};

struct schedule_operation {
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume() noexcept;
};

class thread_pool {
public:
  schedule_operation schedule();
  bool spawn_detached(task<void> &&t) noexcept;
  task<void> spawn_joinable(task<void> &&t) noexcept;
};

class scheduler {
public:
  schedule_operation schedule();
  bool spawn_detached(task<void> &&t);
};

template <typename Executor> class task_group {
public:
  explicit task_group(Executor *e);
  bool start(task<void> &&t);
  schedule_operation operator co_await() const noexcept;
};

} // namespace coro
