// RUN: %check_corotidy --config=%inputs/blocking-no-transitive.yaml %s async-blocking-call %t

#include <asyncrt/task.hpp>
// CHECK-FIXES-DAG: {{^}}#include <asyncrt/offload.hpp>{{$}}
// CHECK-FIXES-DAG: {{^}}#include <asyncrt/sleep.hpp>{{$}}
// CHECK-FIXES: {{^}}#include <asyncrt/task.hpp>{{$}}

#include <unistd.h>

namespace acme {
struct no_wait_t {};
inline constexpr no_wait_t no_wait{};
} // namespace acme
void wait_for_child(int pid);
void wait_for_child(int pid, acme::no_wait_t);

// CheckTransitive: false: only the rules' own functions are flagged.
void helper() { sleep(1); }
asyncrt::task<void> no_transitive() {
  helper();
  sleep(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::sleep' blocks the thread (sleeping the thread) inside coroutine 'no_transitive'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::sleep_for(d): the loop runs other tasks meanwhile
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(std::chrono::seconds(2));{{$}}
  co_return;
}

// NonBlockingArgumentTypes: a call with an acme::no_wait_t argument returns at once.
asyncrt::task<void> tagged() {
  wait_for_child(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::wait_for_child' blocks the thread (process creation or waiting for a child) inside coroutine 'tagged'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return wait_for_child(1); });{{$}}
  wait_for_child(2, acme::no_wait);
  co_return;
}
