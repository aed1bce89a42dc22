// RUN: %check_corotidy --config=%inputs/blocking-short-locks.yaml %s async-blocking-call %t

#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>

#include <mutex>

using namespace std::chrono_literals;

// FlagShortCriticalSections: true restores the old behaviour: every thread
// lock taken in a coroutine (directly or through a helper) is a finding.

struct Registry {
  std::mutex mu;
  int n = 0;
  int slot() {
    std::lock_guard<std::mutex> _(mu);
    return ++n;
  }
};

asyncrt::task<int> short_sections(Registry &r) {
  {
    std::lock_guard g(r.mu);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the constructor of 'std::lock_guard' blocks the thread (a blocking lock) inside coroutine 'short_sections'; every task on this executor thread stalls until it returns [async-blocking-call]
    ++r.n;
  }
  r.mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::mutex::lock' blocks the thread (a blocking lock) inside coroutine 'short_sections'; every task on this executor thread stalls until it returns [async-blocking-call]
  r.mu.unlock();
  int s = r.slot();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'Registry::slot' blocks the thread (a blocking lock, via the constructor of 'std::lock_guard') inside coroutine 'short_sections'; every task on this executor thread stalls until it returns [async-blocking-call]
  co_await asyncrt::sleep_for(1ms);
  co_return s;
}
