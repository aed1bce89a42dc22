// RUN: %check_corotidy %s async-dropped-exception %t

// libcoro 0.16's launches, named by rules/frameworks.yaml: each drops the
// task's exception (a self-deleting wrapper), whatever the task's promise
// does, so the rules say so and the inference (which would trust the
// promise here) does not decide.

#include "libcoro-api.hpp"

coro::task<void> work();

coro::task<void> launches(coro::thread_pool &tp, coro::scheduler &s) {
  tp.spawn_detached(work());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn_detached' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: catch inside the task, or launch it into a scope that joins (a task_group)
  s.spawn_detached(work());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'spawn_detached' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: catch inside the task, or launch it into a scope that joins (a task_group)
  coro::task_group<coro::thread_pool> group{&tp};
  (void)group.start(work());
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'start' has no error channel: an exception escaping the launched task vanishes silently [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:9: note: catch inside the task, or launch it into a scope that joins (a task_group)
  co_await group;
  // Not named: the caller awaits its result (the join).
  co_await tp.spawn_joinable(work());
  co_await tp.schedule();
}
