// RUN: %check_corotidy %s async-unawaited-task %t

// A task handed to a spawn, a scope or a combinator recognised by shape is
// not unawaited; a discarded transform or combinator result is.

#include "acme/acme.hpp"
#include "ember/ember.hpp"

acme::task<void> flush();
acme::task<int> count();
ember::future<void> notify();
void log_error(std::exception_ptr);

acme::task<void> handed_on() {
  acme::spawn(flush(), log_error);
  acme::task_group group;
  group.spawn(flush());
  co_await acme::when_all(count(), count());
  co_await group.join();
}

acme::task<void> discarded() {
  acme::with_timeout(flush(), std::chrono::seconds(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'with_timeout' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  acme::when_all(count(), count());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'when_all' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  co_return;
}
