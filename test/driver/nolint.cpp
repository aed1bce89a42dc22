// NOLINT forms come from the clang-tidy library.
// RUN: %corotidy --quiet %s -- -std=c++20 -I%S/Inputs > %t.out; test $? -eq 1
// RUN: FileCheck %s --implicit-check-not=warning: < %t.out
#include "lazy.hpp"
Lazy work();

Lazy caller() {
  work(); // NOLINT
  work(); // NOLINT(async-unawaited-task)
  work(); // NOLINT(async-blocking-call)
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: task returned by 'work'
  // NOLINTNEXTLINE(async-*)
  work();
  // NOLINTBEGIN
  work();
  work();
  // NOLINTEND
  work();
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: task returned by 'work'
  co_return;
}
