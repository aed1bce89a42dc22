// RUN: %check_corotidy %s async-blocking-call %t

// Sync-waits recognised by shape: a function that is not a coroutine, takes
// a task of T and returns T, blocks the calling thread.

#include "acme/acme.hpp"
#include "ember/ember.hpp"
#include <string>

struct config { std::string name; };
acme::task<config> load_config();
acme::task<void> warm_up();
ember::future<int> version();

// The canonical miss: a sync-wait inside a coroutine.
acme::task<int> handler() {
  auto cfg = acme::sync_wait(load_config());
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'acme::sync_wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'handler'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: alternative: await the result instead (co_await), or co_await asyncrt::to_thread(...)
  acme::sync_wait(warm_up());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'acme::sync_wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'handler'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: await the result instead (co_await), or co_await asyncrt::to_thread(...)
  int v = ember::block_on(version());
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'ember::block_on' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'handler'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: alternative: await the result instead (co_await), or co_await asyncrt::to_thread(...)
  co_return v + static_cast<int>(cfg.name.size());
}

// Not sync-waits: a transform hands a task back, a count is not the value.
acme::task<int> not_waits(ember::future<int> f) {
  auto t = acme::with_timeout(load_config(), std::chrono::seconds(1));
  auto r = ember::rebind(version());
  int n = ember::pending_count(f);
  co_return n;
}

// Outside a coroutine a sync-wait is how a program starts its loop.
int main() {
  auto cfg = acme::sync_wait(load_config());
  return static_cast<int>(cfg.name.size());
}
