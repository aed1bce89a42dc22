// RUN: %check_corotidy %s async-unawaited-task %t

#include "hometask.hpp"

home::Lazy<int> fetch(int);
home::Eager fire();

home::Lazy<int> caller() {
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(1);{{$}}
  int a = co_await fetch(2);
  fire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  (void)fire();
  co_return a;
}
