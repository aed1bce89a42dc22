// RUN: %check_corotidy %s async-sequential-await %t

// A home-made task type (hometask.hpp) the rules do not name: found
// structurally; no framework, so no combinator and no fix-it by default.

#include "hometask.hpp"

#include <vector>

home::Lazy<int> load(int id);
home::Lazy<void> touch(int id);
home::Event ready_event();

home::Lazy<int> home_pair(int id) {
  auto a = co_await load(id);
  auto b = co_await load(id + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = co_await load(id);{{$}}
  co_return a + b;
}

home::Lazy<int> home_loop(std::vector<int> ids) {
  int total = 0;
  for (int id : ids)
    total += co_await load(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: start every iteration's task first, then await them together with a when_all over a vector of tasks
  co_return total;
}

// Not tasks: events are ordering primitives; eager void tasks are effects.
home::Lazy<int> home_events(home::Event &e) {
  auto a = co_await load(1);
  co_await e;
  auto b = co_await load(2);
  co_return a + b;
}

home::Lazy<void> home_effects() {
  co_await touch(1);
  co_await touch(2);
}

