// RUN: %check_corotidy --config=%S/Inputs/dropped-rules.yaml %s async-unbounded-fanout %t

#include <asyncrt/asyncrt.hpp>
// CHECK-FIXES: {{^}}#include <asyncrt/when_all.hpp>{{$}}
#include <array>
#include <future>
#include <string>
#include <vector>
#include "dropped-home.hpp"

asyncrt::task<int> fetch(std::string);
asyncrt::task<void> ping(int);
std::vector<std::string> load();
int compute(int);

// --- tasks pushed into a vector that when_all starts all at once -------------

asyncrt::task<void> gather(std::vector<std::string> urls) {
  std::vector<asyncrt::task<int>> tasks;
  for (const auto &u : urls)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'urls', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    tasks.push_back(fetch(u));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'tasks' here; 'when_all' starts them all at once
  auto results = co_await asyncrt::when_all(std::move(tasks));
  // CHECK-MESSAGES: :[[@LINE-1]]:27: note: start at most 64 at a time with 'asyncrt::when_all_bounded'
  // CHECK-FIXES: {{^}}  auto results = co_await asyncrt::when_all_bounded(std::move(tasks), 64);{{$}}
}

asyncrt::task<void> counted(int n) {
  std::vector<asyncrt::task<void>> pings;
  for (int i = 0; i < n; ++i) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'n', all at once: N iterations start N concurrent tasks
    pings.emplace_back(ping(i));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'pings' here
  }
  co_await asyncrt::when_all(std::move(pings));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: note: start at most 64
  // CHECK-FIXES: {{^}}  co_await asyncrt::when_all_bounded(std::move(pings), 64);{{$}}
}

asyncrt::task<void> settled(std::vector<std::string> urls) {
  std::vector<asyncrt::task<int>> tasks;
  for (std::size_t i = 0; i < urls.size(); ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'urls.size()', all at once
    tasks.push_back(fetch(urls[i]));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'tasks' here; 'when_all_settled' starts them all at once
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::semaphore sem{64};' before the loop and 'auto permit = co_await sem.acquire();' at the start of each task, or launch in batches of 64
  auto results = co_await asyncrt::when_all_settled(std::move(tasks));
}

// --- spawn and task_group::spawn in a loop ----------------------------------

asyncrt::task<void> detached(std::vector<int> ids) {
  for (int id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    asyncrt::spawn(ping(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  co_return;
}

asyncrt::task<void> grouped(std::vector<std::string> urls) {
  asyncrt::task_group group;
  for (auto &u : urls)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'urls', all at once
    group.spawn(fetch(u));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  co_await group.join();
}

asyncrt::task<void> constant_but_large() {
  static int hosts[2048] = {};
  for (int h : hosts)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'hosts', all at once: 2048 elements start 2048 concurrent tasks
    asyncrt::spawn(ping(h));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  for (int i = 0; i < 5000; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to '5000', all at once: 5000 iterations start 5000 concurrent tasks
    asyncrt::spawn(ping(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  for (int i = 1; i <= 1500; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to '1500', all at once: 1500 iterations start 1500 concurrent tasks
    asyncrt::spawn(ping(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  const std::size_t num_tasks{100000};
  std::vector<asyncrt::task<void>> tasks;
  for (std::size_t i = 0; i < num_tasks; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'num_tasks', all at once: 100000 iterations start 100000 concurrent tasks
    tasks.emplace_back(ping(static_cast<int>(i)));
  co_await asyncrt::when_all(std::move(tasks));
  // CHECK-FIXES: {{^}}  co_await asyncrt::when_all_bounded(std::move(tasks), 64);{{$}}
}

// libcoro's examples: a compile-time count up to MaxConstantFanout (1000)
// is a number the programmer chose, not an unbounded fan-out.
asyncrt::task<void> constant_count_chosen() {
  const std::size_t num_tasks{100};
  std::vector<asyncrt::task<void>> tasks;
  tasks.reserve(num_tasks);
  for (std::size_t i = 0; i < num_tasks; ++i)
    tasks.emplace_back(ping(static_cast<int>(i)));
  co_await asyncrt::when_all(std::move(tasks));
  constexpr int workers = 1000;
  for (int i = 0; i < workers; ++i)
    asyncrt::spawn(ping(i));
  int shards[64] = {};
  for (int s : shards)
    asyncrt::spawn(ping(s));
  for (int x : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
    asyncrt::spawn(ping(x));
  // A container built from a braced list that nothing changes: its count is
  // the list's.
  const std::vector<int> regions{1, 2, 3, 4};
  for (int r : regions)
    asyncrt::spawn(ping(r));
  std::vector<int> zones = {5, 6};
  for (int z : zones)
    asyncrt::spawn(ping(z));
}

asyncrt::task<void> list_then_grown(std::vector<int> more) {
  std::vector<int> ids{1, 2};
  ids.insert(ids.end(), more.begin(), more.end());
  for (int id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    asyncrt::spawn(ping(id));
  co_return;
}

asyncrt::task<void> nested(std::vector<std::string> urls) {
  for (auto &u : urls) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'urls', all at once
    for (int attempt = 0; attempt < 4; ++attempt)
      asyncrt::spawn(ping(attempt));
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: task launched here
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: cap the concurrency
  }
  co_return;
}

template <typename T> asyncrt::task<void> in_template(std::vector<T> items) {
  for (auto &item : items)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'items', all at once
    asyncrt::spawn(ping(item));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  co_return;
}
template asyncrt::task<void> in_template(std::vector<int>);
template asyncrt::task<void> in_template(std::vector<short>);

struct Crawler {
  std::vector<std::string> hosts;
  asyncrt::task<void> crawl() {
    for (auto &h : hosts)
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: one task per element of 'hosts', all at once
      asyncrt::spawn(fetch(h));
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: task launched here
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: cap the concurrency
    co_return;
  }
};

asyncrt::task<void> in_lambda() {
  auto go = [](std::vector<int> ids) -> asyncrt::task<void> {
    for (int id : ids)
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: one task per element of 'ids', all at once
      asyncrt::spawn([](int v) -> asyncrt::task<void> { co_await ping(v); }(id));
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: task launched here
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: cap the concurrency
    co_return;
  };
  co_await go({1, 2});
}

asyncrt::task<void> from_call() {
  for (auto &u : load())
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'load()', all at once
    asyncrt::spawn(fetch(u));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  co_return;
}

void threads(std::vector<int> inputs) {
  std::vector<std::future<int>> futures;
  for (int v : inputs)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'inputs', all at once
    futures.push_back(std::async(std::launch::async, compute, v));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: note: task launched here by 'async'
  // CHECK-MESSAGES: :[[@LINE-2]]:23: note: cap the concurrency
  for (auto &f : futures)
    f.get();
}

asyncrt::task<void> other_conditions(int n, std::vector<int> ids, bool retry) {
  for (int i = 0; i != n; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'n', all at once
    asyncrt::spawn(ping(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  for (int i = 0; n > i; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'n', all at once
    asyncrt::spawn(ping(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  for (int id : ids) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    do
      asyncrt::spawn(ping(id));
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: task launched here
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: cap the concurrency
    while (retry);
  }
  co_return;
}

// --- the home-made library (rules from the test config) ---------------------

home::Lazy<void> one(int);

home::Lazy<void> home_fanout(std::vector<int> ids, home::Scope &scope) {
  for (int id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    home::launch(one(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'launch'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  for (int i = 0; i < static_cast<int>(ids.size()); ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'static_cast<int>(ids.size())', all at once
    scope.add(one(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'add'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  std::vector<home::Lazy<void>> batch;
  for (int id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    batch.push_back(one(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'batch' here; 'all' starts them all at once
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
  co_await home::all(std::move(batch));
}

// ===========================================================================
// Negatives: every loop below is bounded, batched, sequential or small.
// ===========================================================================

asyncrt::task<void> limited_in_loop(std::vector<std::string> urls) {
  asyncrt::semaphore sem{8};
  for (auto &u : urls) {
    auto permit = co_await sem.acquire();
    asyncrt::spawn(fetch(u));
  }
}

asyncrt::task<int> fetch_limited(asyncrt::semaphore &sem, std::string url) {
  auto permit = co_await sem.acquire();
  co_return co_await fetch(url);
}
asyncrt::task<void> guarded(std::string url) {
  static asyncrt::semaphore gate{4};
  auto permit = co_await gate.acquire();
  co_await fetch(url);
}
asyncrt::task<int> opaque(asyncrt::semaphore &, std::string);

asyncrt::task<void> limited_in_task(std::vector<std::string> urls) {
  asyncrt::semaphore sem{8};
  std::vector<asyncrt::task<int>> tasks;
  for (auto &u : urls)
    tasks.push_back(fetch_limited(sem, u));
  co_await asyncrt::when_all(std::move(tasks));
  asyncrt::task_group group;
  for (auto &u : urls)
    group.spawn(guarded(u));
  for (auto &u : urls)
    group.spawn(opaque(sem, u)); // the semaphore goes with the task
  co_await group.join();
}

asyncrt::task<void> bounded(std::vector<std::string> urls) {
  std::vector<asyncrt::task<int>> tasks;
  for (auto &u : urls)
    tasks.push_back(fetch(u));
  co_await asyncrt::when_all_bounded(std::move(tasks), 16);
}

asyncrt::task<void> batched(std::vector<std::string> urls) {
  for (std::size_t i = 0; i < urls.size(); i += 64) {
    std::vector<asyncrt::task<int>> batch;
    for (std::size_t j = i; j < urls.size() && j < i + 64; ++j)
      batch.push_back(fetch(urls[j]));
    co_await asyncrt::when_all(std::move(batch));
  }
  for (std::size_t i = 0; i < urls.size(); i += 64) {
    asyncrt::task_group group;
    for (std::size_t j = i; j < urls.size() && j < i + 64; ++j)
      group.spawn(fetch(urls[j]));
    co_await group.join();
  }
}

asyncrt::task<void> sequential(std::vector<std::string> urls) {
  for (auto &u : urls) {
    std::vector<asyncrt::task<int>> one;
    one.push_back(fetch(u));
    co_await asyncrt::when_all(std::move(one));
  }
  for (auto &u : urls)
    co_await fetch(u);
  for (auto &u : urls)
    co_await asyncrt::when_all(fetch(u), fetch(u));
  std::vector<asyncrt::task<int>> kept; // never started together
  for (auto &u : urls)
    kept.push_back(fetch(u));
}

void sequential_threads(std::vector<int> inputs) {
  for (int v : inputs)
    std::async(std::launch::async, compute, v); // blocks in ~future: one at a time
  for (int v : inputs)
    std::async(std::launch::async, compute, v).get();
}

asyncrt::task<void> small(std::array<int, 100> fixed) {
  for (int i = 0; i < 8; ++i)
    asyncrt::spawn(ping(i));
  for (int i = 0; i < 16; ++i)
    asyncrt::spawn(ping(i));
  for (int i = 10; i < 20; ++i)
    asyncrt::spawn(ping(i));
  for (int x : {1, 2, 3})
    asyncrt::spawn(ping(x));
  int few[4] = {};
  for (int x : few)
    asyncrt::spawn(ping(x));
  for (int x : fixed) // a std::array: its size is part of the type
    asyncrt::spawn(ping(x));
  co_return;
}

asyncrt::task<void> unknown_loops(bool &running, std::vector<int> ids) {
  while (running)
    asyncrt::spawn(ping(1)); // an accept-style loop: its count is unknown
  for (;;) {
    asyncrt::spawn(ping(2));
    if (!running)
      break;
  }
  for (int id : ids) {
    auto later = [id] { asyncrt::spawn(ping(id)); }; // defined, not run, here
    (void)later;
  }
  co_return;
}

home::Lazy<void> home_limited(std::vector<int> ids, home::Gate &gate) {
  for (int id : ids) {
    co_await gate.enter();
    home::launch(one(id));
  }
  std::vector<home::Lazy<void>> batch;
  for (int id : ids)
    batch.push_back(one(id));
  co_await home::all_bounded(std::move(batch), 8);
}

template <typename Range> asyncrt::task<void> never_instantiated(Range r) {
  for (auto &x : r)
    asyncrt::spawn(ping(x));
  co_return;
}
