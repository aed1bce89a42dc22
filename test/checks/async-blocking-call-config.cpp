// RUN: %check_corotidy --config=%inputs/blocking-config.yaml %s async-blocking-call %t

#include <asyncrt/task.hpp>
// CHECK-FIXES-DAG: {{^}}#include <asyncrt/offload.hpp>{{$}}
// CHECK-FIXES-DAG: {{^}}#include <asyncrt/sleep.hpp>{{$}}
// CHECK-FIXES: {{^}}#include <asyncrt/task.hpp>{{$}}

#include <filesystem>
#include <string>
#include <unistd.h>

namespace acme {
int slow_query(const char *sql);
bool quick_check();
const std::string &cached_line(int n);
void nap_ms(int ms);
} // namespace acme

// Added through Rules: BlockingFunctions; the fix-its bring their includes.
asyncrt::task<int> added() {
  int rows = acme::slow_query("select 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'acme::slow_query' blocks the thread (a synchronous database call) inside coroutine 'added'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: alternative: an async database client, or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  int rows = co_await asyncrt::to_thread([&] { return acme::slow_query("select 1"); });{{$}}
  acme::nap_ms(20);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'acme::nap_ms' blocks the thread (sleeping the thread) inside coroutine 'added'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::sleep_for(d): the loop runs other tasks meanwhile
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(std::chrono::milliseconds(20));{{$}}
  const std::string &line = acme::cached_line(3); // a reference: no fix
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'acme::cached_line' blocks the thread (file I/O) inside coroutine 'added'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:29: note: alternative: co_await asyncrt::to_thread(...) on the blocking-I/O pool
  // CHECK-FIXES: {{^}}  const std::string &line = acme::cached_line(3); // a reference: no fix{{$}}
  co_return rows + static_cast<int>(line.size());
}

// Removed through RemoveBlockingFunctions / ignored through IgnoredFunctions.
asyncrt::task<bool> removed_and_ignored() {
  usleep(10);
  bool ok = acme::quick_check();
  co_return ok && std::filesystem::exists("/tmp");
}

// MaxCallDepth: 2 follows two calls, not three.
void two_deep_inner() { sleep(1); }
void two_deep() { two_deep_inner(); }
void three_deep_inner() { sleep(1); }
void three_deep_middle() { three_deep_inner(); }
void three_deep() { three_deep_middle(); }
asyncrt::task<void> depth() {
  two_deep();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'two_deep' blocks the thread (sleeping the thread, via '::sleep') inside coroutine 'depth'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: 'two_deep' calls 'two_deep_inner' here
  // CHECK-MESSAGES: :[[@LINE-9]]:25: note: 'two_deep_inner' calls '::sleep' here
  // CHECK-FIXES: {{^}}  two_deep();{{$}}
  three_deep();
  co_return;
}
