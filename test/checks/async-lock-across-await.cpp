// RUN: %check_corotidy %s async-lock-across-await %t

#include <asyncrt/mutex.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include "hometask.hpp"
#include "minicoro.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

using namespace std::chrono_literals;

asyncrt::task<int> fetch(int id);
asyncrt::task<void> store(int id, int value);

struct Cache {
  std::mutex mu;
  std::shared_mutex rw;
  std::map<int, int> entries;

  asyncrt::task<int> refresh(int id);
  asyncrt::task<int> lookup(int id);
  asyncrt::task<void> manual(int id);
};

// ---------------------------------------------------------------------------
// Positives: a guard alive and locked at a suspension point.

asyncrt::task<int> guard_across_await(Cache &c, int id) {
  std::lock_guard<std::mutex> guard(c.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: lock guard 'guard' keeps 'c.mu' locked across 1 suspension point in coroutine 'guard_across_await'; while it is suspended every thread that takes 'c.mu' blocks, a task on the same executor thread deadlocks, and resuming on another thread unlocks it from the wrong thread [async-lock-across-await]
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: co_await suspends here with 'c.mu' locked
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: end the critical section before the suspension (unlock() it or close its scope), or use an async mutex (asyncrt::mutex: co_await m.lock())
  int value = co_await fetch(id);
  c.entries[id] = value;
  co_return value;
}

asyncrt::task<int> Cache::refresh(int id) {
  std::unique_lock lock(mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'lock' keeps 'mu' locked across 2 suspension points in coroutine 'Cache::refresh'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: co_await suspends here with 'mu' locked
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: co_await suspends here with 'mu' locked
  int value = co_await fetch(id);
  co_await store(id, value);
  entries[id] = value;
  co_return value;
}

asyncrt::task<int> Cache::lookup(int id) {
  std::shared_lock reader(rw);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'reader' keeps 'rw' locked across 1 suspension point in coroutine 'Cache::lookup'; {{.*}}
  if (entries.count(id) == 0)
    co_await asyncrt::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: co_await suspends here with 'rw' locked
  co_return entries[id];
}

// A manual lock()...unlock() pair around an await: reported at the lock().
asyncrt::task<void> Cache::manual(int id) {
  mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: this lock keeps 'mu' locked across 1 suspension point in coroutine 'Cache::manual'; {{.*}}
  co_await store(id, entries[id]);
  mu.unlock();
}

// scoped_lock over two mutexes, and a re-lock after an unlock.
asyncrt::task<void> two_mutexes(std::mutex &a, std::mutex &b) {
  std::scoped_lock both(a, b);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'both' keeps 'a, b' locked across 1 suspension point in coroutine 'two_mutexes'; {{.*}}
  co_await asyncrt::sleep_for(1ms);
}

asyncrt::task<void> relocked(std::mutex &m) {
  std::unique_lock lk(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'lk' keeps 'm' locked across 1 suspension point in coroutine 'relocked'; {{.*}}
  lk.unlock();
  co_await asyncrt::sleep_for(1ms); // unlocked here: no note
  lk.lock();
  co_await asyncrt::sleep_for(2ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: co_await suspends here with 'm' locked
}

// A guard declared before a loop whose body awaits.
asyncrt::task<void> loop_under_lock(std::mutex &m, int n) {
  const std::lock_guard g(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in coroutine 'loop_under_lock'; {{.*}}
  for (int i = 0; i < n; ++i)
    co_await store(i, i);
}

// Adopted after a manual lock(): the section ends with the guard.
asyncrt::task<void> adopted(std::mutex &m) {
  m.lock();
  std::lock_guard<std::mutex> g(m, std::adopt_lock);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in coroutine 'adopted'; {{.*}}
  co_await asyncrt::sleep_for(1ms);
}

// Coroutine lambdas and templates (reported once, at the spelling).
auto lambda = [](std::mutex &m) -> asyncrt::task<void> {
  std::lock_guard g(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in a coroutine lambda; {{.*}}
  co_await asyncrt::sleep_for(1ms);
};

template <typename Mutex> asyncrt::task<void> generic(Mutex &m) {
  std::lock_guard<Mutex> g(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in coroutine 'generic'; {{.*}}
  co_await asyncrt::sleep_for(1ms);
}
template asyncrt::task<void> generic(std::mutex &);
template asyncrt::task<void> generic(std::recursive_mutex &);

// Home-made frameworks the rules do not name: a lazy one and a generator.
home::Lazy<int> home_lazy(std::mutex &m, home::Lazy<int> inner) {
  std::lock_guard g(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in coroutine 'home_lazy'; {{.*}}
  co_return co_await std::move(inner);
}

mini::stream numbers(std::mutex &m) {
  std::unique_lock lk(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'lk' keeps 'm' locked across 2 suspension points in coroutine 'numbers'; {{.*}}
  co_yield 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: co_yield suspends here with 'm' locked
  co_yield 2;
}

mini::co<int> mini_timer(std::mutex &m) {
  std::lock_guard g(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock guard 'g' keeps 'm' locked across 1 suspension point in coroutine 'mini_timer'; {{.*}}
  co_await mini::after(5ms);
  co_return 1;
}

// ---------------------------------------------------------------------------
// Negatives.

// The critical section ends before the await: a nested scope, an unlock(),
// a release(), a move.
asyncrt::task<int> scoped(Cache &c, int id) {
  {
    std::lock_guard guard(c.mu);
    c.entries[id] += 1;
  }
  int value = co_await fetch(id);
  co_return value;
}

asyncrt::task<int> unlocked_first(Cache &c, int id) {
  std::unique_lock lk(c.mu);
  int cached = c.entries[id];
  lk.unlock();
  co_return cached + co_await fetch(id);
}

asyncrt::task<void> released(std::mutex &m) {
  std::unique_lock lk(m);
  lk.release()->unlock();
  co_await asyncrt::sleep_for(1ms);
}

void keep(std::unique_lock<std::mutex> lk);
asyncrt::task<void> moved(std::mutex &m) {
  std::unique_lock lk(m);
  keep(std::move(lk));
  co_await asyncrt::sleep_for(1ms);
}

asyncrt::task<void> manual_unlocked(std::mutex &m) {
  m.lock();
  m.unlock();
  co_await asyncrt::sleep_for(1ms);
}

// Deferred: not locked until lock(), and unlocked before the await.
asyncrt::task<void> deferred(std::mutex &m) {
  std::unique_lock lk(m, std::defer_lock);
  co_await asyncrt::sleep_for(1ms);
  lk.lock();
  lk.unlock();
  co_await asyncrt::sleep_for(1ms);
}

// A guard declared inside the loop body after the await.
asyncrt::task<void> per_iteration(std::mutex &m, std::map<int, int> &out) {
  for (int i = 0; i < 4; ++i) {
    int v = co_await fetch(i);
    std::lock_guard g(m);
    out[i] = v;
  }
}

// An async mutex is made to be held across awaits.
asyncrt::task<void> async_mutex(asyncrt::mutex &m) {
  auto guard = co_await m.lock();
  co_await asyncrt::sleep_for(1ms);
}

// A lambda defined under the lock runs later: its await is not this one's.
asyncrt::task<void> lambda_inside(std::mutex &m) {
  std::lock_guard g(m);
  auto later = []() -> asyncrt::task<void> { co_await asyncrt::sleep_for(1ms); };
  (void)later;
  co_return;
}

// A manual lock() whose unlock() is elsewhere: not known to span the await.
asyncrt::task<void> handed_over(std::mutex &m) {
  m.lock();
  co_await asyncrt::sleep_for(1ms);
}

// Not a coroutine: no suspension points.
void plain(std::mutex &m, int &x) {
  std::lock_guard g(m);
  ++x;
}

// A temporary guard ends with its full expression.
int read_locked(std::mutex &m, const int &x) { return (std::lock_guard<std::mutex>(m), x); }
asyncrt::task<int> temporary(std::mutex &m, int x) {
  int v = (std::lock_guard<std::mutex>(m), x);
  co_return v + co_await fetch(v);
}

// The condition variable's wait is a blocking call, not a suspension.
asyncrt::task<void> cv_wait(std::mutex &m, std::condition_variable &cv, bool &ready) {
  std::unique_lock lk(m);
  cv.wait(lk, [&] { return ready; });
  co_return;
}
