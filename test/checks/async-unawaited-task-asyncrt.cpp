// RUN: %check_corotidy %s async-unawaited-task %t -- -- %asio_flags

// Against asyncrt::task (lazy, [[nodiscard]]), its combinators, spawn and
// task_group. asyncrt's await_transform accepts any awaitable with a generic
// awaiter, so home-made tasks get the fix-it too; asio::awaitable does not.

#include <asyncrt/offload.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/when_all.hpp>

#include <asio.hpp>

#include "hometask.hpp"

#include <exception>
#include <utility>
#include <vector>

asyncrt::task<int> fetch(int);
asyncrt::task<> ping();
home::Lazy<int> home_fetch(int);
home::Eager home_fire();
asio::awaitable<void> asio_ping();

//===--- Positives ------------------------------------------------------------===//

asyncrt::task<int> positives() {
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(1);{{$}}
  asyncrt::when_all(fetch(2), fetch(3));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'when_all' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await asyncrt::when_all(fetch(2), fetch(3));{{$}}
  asyncrt::to_thread([] { return 4; });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'to_thread' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([] { return 4; });{{$}}
  home_fetch(5);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'home_fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await home_fetch(5);{{$}}
  home_fire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'home_fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await home_fire();{{$}}
  asio_ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'asio_ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  asio_ping();{{$}}
  auto worker = [](int n) -> asyncrt::task<int> { co_return co_await fetch(n); };
  worker(6);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by the lambda is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await worker(6);{{$}}
  co_return 0;
}

template <typename T> asyncrt::task<T> produce();

template <typename T> asyncrt::task<> twice() {
  produce<T>();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'produce' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await produce<T>();{{$}}
  co_return;
}

asyncrt::task<> instantiate() {
  co_await twice<int>();
  co_await twice<long>();
  co_await twice<char>();
}

void not_a_coroutine() {
  ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine: return the task, or hand it to a task_group or spawn with an error handler
}

//===--- Negatives ------------------------------------------------------------===//

asyncrt::task<int> forward() { return fetch(1); }

asyncrt::task<int> negatives() {
  auto [a, b] = co_await asyncrt::when_all(fetch(1), fetch(2));
  std::vector<asyncrt::task<int>> tasks;
  tasks.push_back(fetch(3));
  tasks.emplace_back(fetch(4));
  auto all = co_await asyncrt::when_all(std::move(tasks));
  std::vector<asyncrt::task<int>> more;
  more.push_back(fetch(5));
  auto bounded = co_await asyncrt::when_all_bounded(std::move(more), 2);
  asyncrt::spawn(ping(), [](std::exception_ptr) {});    // handed to spawn
  asyncrt::spawn(ping());                               // (its lost errors are async-dropped-exception's)
  asyncrt::task_group group;
  group.spawn(fetch(6));                                // structured
  group.spawn(ping());
  co_await group.join();
  asyncrt::task<int> slot;
  slot = fetch(7);                                      // assigned ...
  int c = co_await std::move(slot);                     // ... and awaited
  int d = co_await asyncrt::to_thread([] { return 8; });
  co_return a + b + c + d + static_cast<int>(all.size() + bounded.size());
}
