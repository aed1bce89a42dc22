// RUN: %check_corotidy %s async-dropped-exception %t

// Spawns of two home-made frameworks no rules file names, recognised by
// shape: a non-coroutine that takes a task by value and returns nothing
// awaitable; a parameter callable with std::exception_ptr is its handler.

#include "acme/acme.hpp"
#include "ember/ember.hpp"
#include "ember/pool.hpp"

acme::task<void> flush_metrics();
acme::task<int> load_config();
ember::future<void> notify(int);
ember::reported audited(int);
void log_error(std::exception_ptr);

// The canonical miss.
acme::task<void> service() {
  acme::spawn(flush_metrics());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn' without an error handler loses the task's exception: a failure vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: pass an error handler: [](std::exception_ptr e) { if (e) std::rethrow_exception(e); }
  acme::spawn(flush_metrics(), [](std::exception_ptr e) { log_error(e); });
  acme::spawn(load_config(), log_error);
  co_return;
}

void plain() {
  ember::detach(notify(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'detach' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: catch inside the task, or launch it into a scope that joins (a task_group)
  ember::detach_with(notify(2), log_error);
  // The promise hands the exception to the application's sink: kept.
  ember::detach_reported(audited(3));
}

// Scoped: the scope's join rethrows.
acme::task<void> scoped() {
  acme::task_group group;
  group.spawn(flush_metrics());
  ember::nursery n;
  n.start(notify(4));
  co_await group.join();
  co_await n.wait_all();
}

// Transforms and sync-waits are not launches.
acme::task<void> transforms() {
  co_await acme::with_timeout(flush_metrics(), std::chrono::milliseconds(5));
  co_await acme::retry(flush_metrics());
  co_await ember::rebind(notify(5));
}

// A void overload beside a sync-wait template, declared only: the overload
// set blocks for its result, it does not launch and forget.
namespace waits {
template <typename T> T run_until_done(acme::task<T> t);
void run_until_done(acme::task<void> t);
} // namespace waits

void main_like() {
  waits::run_until_done(flush_metrics());
  int config = waits::run_until_done(load_config());
  (void)config;
}

// A pool whose zero-argument awaitables hop onto it (schedule(), yield())
// has no join: spawning into it is unscoped and loses the error. A crew
// joined by wait() is a scope.
ember::future<void> pooled(ember::worker_pool &pool) {
  co_await pool.schedule();
  pool.spawn_detached(notify(6));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn_detached' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: catch inside the task, or launch it into a scope that joins (a task_group)
  ember::crew crew;
  crew.spawn(notify(7));
  co_await crew.wait();
  co_await pool.yield();
}
