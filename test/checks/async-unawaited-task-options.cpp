// RUN: %check_corotidy --config=%S/Inputs/async-unawaited-task-ignored.yaml %s async-unawaited-task %t
// RUN: %check_corotidy %s async-unawaited-task %t.default -- --config-file=%S/Inputs/async-unawaited-task-ignored.yaml

// IgnoredFunctions: tasks these functions return may be dropped. Names are
// qualified, ";"- or ","-separated, a leading "::" is optional, and a method
// named on a base class also covers the derived class's override.

#include "hometask.hpp"

home::Eager fire_and_forget();
home::Eager fire_and_report();

struct Logger {
  virtual home::Eager emit(int);
  home::Eager flush();
};
struct FileLogger : Logger {
  home::Eager emit(int) override;
};

namespace ns {
home::Lazy<void> kick();
namespace inner {
home::Lazy<void> kick();
}
} // namespace ns

home::Lazy<void> uses(Logger &logger, FileLogger &file) {
  fire_and_forget();
  logger.emit(1);
  file.emit(2);
  ns::kick();
  fire_and_report();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fire_and_report' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fire_and_report();{{$}}
  logger.flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'flush' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await logger.flush();{{$}}
  ns::inner::kick();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'kick' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await ns::inner::kick();{{$}}
  co_return;
}
