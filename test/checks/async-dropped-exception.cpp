// RUN: %check_corotidy --config=%S/Inputs/dropped-rules.yaml %s async-dropped-exception %t

#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
// CHECK-FIXES: {{^}}#include <exception>{{$}}
#include <future>
#include <vector>
#include "dropped-home.hpp"

asyncrt::task<void> work(int);
asyncrt::task<int> value(int);
home::Eager eager();
void report(std::exception_ptr);
void log_failure();

// --- asyncrt::spawn without an error handler -------------------------------

asyncrt::task<void> in_coroutine() {
  asyncrt::spawn(work(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler loses the task's exception: a failure vanishes silently [async-dropped-exception]
  // CHECK-FIXES: {{^}}  asyncrt::spawn(work(1), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  co_return;
}

void in_plain_function() {
  asyncrt::spawn(value(2));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}  asyncrt::spawn(value(2), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

void in_lambda() {
  auto go = [] { asyncrt::spawn(work(3)); };
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}  auto go = [] { asyncrt::spawn(work(3), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); }); };{{$}}
  go();
}

template <typename T> void in_template(T t) {
  asyncrt::spawn(work(t));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}  asyncrt::spawn(work(t), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}
template void in_template<int>(int);
template void in_template<short>(short);

struct Service {
  void on_event(int id) {
    asyncrt::spawn(work(id));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'spawn' without an error handler
    // CHECK-FIXES: {{^}}    asyncrt::spawn(work(id), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  }
};

#define FIRE(t) asyncrt::spawn(t)
void in_macro() {
  FIRE(work(4));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: pass an error handler: [](std::exception_ptr e) { if (e) std::rethrow_exception(e); }
  // CHECK-FIXES: {{^}}  FIRE(work(4));{{$}}
}

void moved_task() {
  asyncrt::task<void> t = work(5);
  asyncrt::spawn(std::move(t));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}  asyncrt::spawn(std::move(t), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

void lambda_coroutine(bool on) {
  if (on)
    asyncrt::spawn([]() -> asyncrt::task<void> { co_return; }());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}    asyncrt::spawn([]() -> asyncrt::task<void> { co_return; }(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

asyncrt::task<void> in_loop(std::vector<int> ids) {
  for (int id : ids)
    asyncrt::spawn(work(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'spawn' without an error handler
  // CHECK-FIXES: {{^}}    asyncrt::spawn(work(id), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  co_return;
}

// --- std::async: the future carries the exception ---------------------------

void discarded_future() {
  std::async([] { return 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the future returned by 'async' is discarded: the task's exception is stored in it and lost [async-dropped-exception]
  (void)std::async(std::launch::async, [] { throw 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: the future returned by 'async' is discarded
  std::async(std::launch::deferred, log_failure);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the future returned by 'async' is discarded
}

void stored_future() {
  auto unchecked = std::async([] { return 2; });
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'unchecked' holds the future of 'async' and is never checked: the task's exception is lost [async-dropped-exception]
  std::future<void> also = std::async(log_failure);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'also' holds the future of 'async' and is never checked
}

template <typename F> void stored_in_template(F f) {
  auto pending = std::async(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'pending' holds the future of 'async'
}
template void stored_in_template(void (*)());

// --- eager tasks kept in a variable nobody looks at -------------------------

void eager_variables(bool nested) {
  home::Eager started = eager();
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: eager task 'started' is never awaited or checked: it runs detached and its exception is lost [async-dropped-exception]
  auto from_lambda = []() -> home::Eager { co_return; }();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: eager task 'from_lambda'
  if (nested) {
    home::Eager inner = eager();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: eager task 'inner'
  }
}

// --- home-made spawn functions from the rules overlay ----------------------

void home_launches() {
  home::launch(home::Lazy<void>{nullptr});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'launch' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: catch inside the task, or launch it into a scope that joins (a task_group)
  home::post(home::Lazy<void>{nullptr});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'post' without an error handler
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: pass an error handler:
  home::start(home::Lazy<void>{nullptr}, home::ignore_errors);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'start' launches the coroutine detached: 'home::ignore_errors' discards its exception, so a failure vanishes silently [async-dropped-exception]
  // CHECK-FIXES: {{^}}  home::start(home::Lazy<void>{nullptr}, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  home::start(home::Lazy<void>{nullptr}, home::ignore_errors_t{});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'start' launches the coroutine detached: 'home::ignore_errors_t{}' discards
  // CHECK-FIXES: {{^}}  home::start(home::Lazy<void>{nullptr}, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

// A handler that never reads its std::exception_ptr loses the error too.
void ignoring_handlers() {
  asyncrt::spawn(work(1), [](std::exception_ptr) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'spawn' never reads its std::exception_ptr: a failure vanishes silently, as with a detached launch [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:27: note: rethrow or report the exception here
  asyncrt::spawn(work(2), [](std::exception_ptr e) { log_failure(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'spawn' never reads its std::exception_ptr
  home::post(home::Lazy<void>{nullptr}, [](std::exception_ptr) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'post' never reads its std::exception_ptr
  home::start(home::Lazy<void>{nullptr}, [](std::exception_ptr) { log_failure(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'start' never reads its std::exception_ptr
  // Reading it in any way counts: the user decided.
  asyncrt::spawn(work(3), [](std::exception_ptr e) { if (e) log_failure(); });
  asyncrt::spawn(work(4), [](std::exception_ptr e) { (void)e; });
  asyncrt::spawn(work(5), report);
}

template <typename T> void home_in_template() {
  [] { home::launch(home::Lazy<void>{nullptr}); }();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'launch' has no error channel
  // CHECK-MESSAGES: :[[@LINE-2]]:8: note: catch inside the task
}
template void home_in_template<int>();
template void home_in_template<long>();

// --- promise types whose unhandled_exception() swallows ---------------------

struct Fire {
  struct promise_type {
    Fire get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: promise type 'Fire::promise_type' swallows exceptions: its unhandled_exception() neither stores, rethrows nor terminates, so 2 coroutines in this file lose their errors [async-dropped-exception]
  };
};
Fire fire_one() { co_return; }
Fire fire_two() { co_return; }

template <typename T> struct Job {
  struct promise_type {
    int failures = 0;
    Job get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() { ++failures; }
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: promise type 'Job::promise_type' swallows exceptions: {{.*}}, so 1 coroutine in this file loses its errors [async-dropped-exception]
  };
};
Job<int> job() { co_return 1; }

struct Unused {
  struct promise_type {
    Unused get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() noexcept { /* nothing */ }
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: promise type 'Unused::promise_type' swallows exceptions: {{.*}}, so every coroutine using it loses its errors [async-dropped-exception]
  };
};

// ===========================================================================
// Negatives: every line below must stay silent.
// ===========================================================================

void handled(const std::exception_ptr &);
struct Handler { void operator()(std::exception_ptr) const {} };

asyncrt::task<void> with_handlers() {
  asyncrt::spawn(work(1), [](std::exception_ptr e) { report(e); });
  asyncrt::spawn(work(2), handled);
  asyncrt::spawn(value(3), Handler{});
  auto on_error = [](std::exception_ptr) {};
  asyncrt::spawn(work(4), on_error);
  asyncrt::task_group group;
  group.spawn(work(5));
  group.spawn(value(6));
  co_await group.join();
}

namespace mylib {
template <typename T> void spawn(T) {}
template <typename F> int async(F) { return 0; }
} // namespace mylib

void not_the_rules_functions() {
  mylib::spawn(work(1));
  mylib::async([] {});
}

std::future<int> returned() { return std::async([] { return 1; }); }
void consume(std::future<int>);
int checked_futures() {
  auto f = std::async([] { return 1; });
  consume(std::async([] { return 2; }));
  std::vector<std::future<int>> all;
  all.push_back(std::async([] { return 3; }));
  auto g = std::async([] { return 4; });
  auto keep = [&g] { return g.valid(); };
  return f.get() + static_cast<int>(keep());
}

home::Lazy<void> awaits_eager() {
  home::Eager e = eager();
  co_await e;
  home::Eager moved = eager();
  auto other = std::move(moved);
  (void)other;
  home::Lazy<int> lazy_unused = home::Lazy<int>{nullptr}; // lazy: never ran, nothing lost
  static home::Eager forever = eager();                   // not a local that ends
}

void takes_eager(home::Eager unused_parameter) {}

void home_handled(home::Scope &scope) {
  home::post(home::Lazy<void>{nullptr}, [](std::exception_ptr e) { report(e); });
  home::start(home::Lazy<void>{nullptr}, [](std::exception_ptr e) { report(e); });
  scope.add(home::Lazy<void>{nullptr});
}

struct Stores {
  struct promise_type {
    std::exception_ptr error;
    Stores get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { error = std::current_exception(); }
  };
};
struct Rethrows {
  struct promise_type {
    Rethrows get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { throw; }
  };
};
struct Terminates {
  struct promise_type {
    Terminates get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};
struct Logs {
  struct promise_type {
    Logs get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { log_failure(); } // may report: assumed handled
  };
};
struct DeclaredOnly {
  struct promise_type {
    DeclaredOnly get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception();
  };
};
struct NotAPromise {
  void unhandled_exception() {} // no initial_suspend: not a promise type
};
Stores stores() { co_return; }
Rethrows rethrows() { co_return; }
Logs logs() { co_return; }
