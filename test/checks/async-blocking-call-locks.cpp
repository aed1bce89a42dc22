// RUN: %check_corotidy %s async-blocking-call %t

#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include "hometask.hpp"
#include "minicoro.hpp"

#include <condition_variable>
#include <latch>
#include <list>
#include <mutex>
#include <shared_mutex>

using namespace std::chrono_literals;

// Short critical sections (they end before the next suspension point) are
// how coroutine code shares state with other threads: not findings.

struct Registry {
  std::mutex mu;
  std::shared_mutex rw;
  std::list<int> slots;

  // Boost.Beast's advanced_server_flex_awaitable.cpp: cancellation_signals::slot().
  int &slot() {
    std::lock_guard<std::mutex> _(mu);
    return slots.emplace_back(0);
  }
  int count() {
    std::shared_lock reader(rw);
    return static_cast<int>(slots.size());
  }
  void manual() {
    mu.lock();
    slots.clear();
    mu.unlock();
  }
};

asyncrt::task<int> session(Registry &r);

asyncrt::task<int> uses_helpers(Registry &r) {
  int &s = r.slot();
  r.manual();
  s += r.count();
  co_await asyncrt::sleep_for(1ms);
  co_return s;
}

asyncrt::task<int> short_sections(Registry &r) {
  {
    std::scoped_lock both(r.mu);
    r.slots.push_back(1);
  }
  co_await asyncrt::sleep_for(1ms);
  std::unique_lock lk(r.mu);
  r.slots.push_back(2);
  lk.unlock();
  co_await asyncrt::sleep_for(1ms);
  r.mu.lock();
  r.slots.push_back(3);
  r.mu.unlock();
  co_return co_await session(r);
}

// The same in home-made frameworks the rules do not name.
home::Lazy<int> home_short(Registry &r) {
  std::lock_guard g(r.mu);
  co_return static_cast<int>(r.slots.size());
}

mini::co<int> mini_short(Registry &r) {
  {
    std::lock_guard g(r.mu);
    r.slots.push_back(4);
  }
  co_await mini::after(1ms);
  co_return 0;
}

// ---------------------------------------------------------------------------
// Still findings.

// A lock held across a suspension point.
asyncrt::task<void> across(Registry &r) {
  std::unique_lock lk(r.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the constructor of 'std::unique_lock' blocks the thread (a blocking lock) inside coroutine 'across', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  co_await asyncrt::sleep_for(1ms);
}

mini::co<int> mini_across(Registry &r) {
  r.mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::mutex::lock' blocks the thread (a blocking lock) inside coroutine 'mini_across', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  co_await mini::after(1ms);
  r.mu.unlock();
  co_return 0;
}

// A lock() whose unlock() is somewhere else: how long it is held is unknown.
void acquire(Registry &r) { r.mu.lock(); }
asyncrt::task<void> handed_over(Registry &r) {
  r.mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::mutex::lock' blocks the thread (a blocking lock) inside coroutine 'handed_over', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  acquire(r);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'acquire' blocks the thread (a blocking lock, via 'std::mutex::lock') inside coroutine 'handed_over'; every task on this executor thread stalls until it returns [async-blocking-call]
  co_return;
}

// A guard returned out of a helper: the lock outlives it.
std::unique_lock<std::mutex> locked(Registry &r) {
  std::unique_lock lk(r.mu);
  return lk;
}
asyncrt::task<void> returned(Registry &r) {
  auto lk = locked(r);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'locked' blocks the thread (a blocking lock, via the constructor of 'std::unique_lock') inside coroutine 'returned'; every task on this executor thread stalls until it returns [async-blocking-call]
  co_return;
}

// Waits on condition variables, latches and futures stay blocking calls,
// even inside a short critical section.
asyncrt::task<void> waits(Registry &r, std::condition_variable &cv, std::latch &l) {
  {
    std::unique_lock lk(r.mu);
    cv.wait(lk);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'std::condition_variable::wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  }
  l.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::latch::wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  co_await asyncrt::sleep_for(1ms);
}

// std::lock and pthread locks are not followed: still findings.
asyncrt::task<void> std_lock(std::mutex &a, std::mutex &b) {
  std::lock(a, b);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::lock' blocks the thread (a blocking lock) inside coroutine 'std_lock', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  std::lock_guard ga(a, std::adopt_lock);
  std::lock_guard gb(b, std::adopt_lock);
  co_return;
}
