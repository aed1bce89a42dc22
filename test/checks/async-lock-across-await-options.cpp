// RUN: %check_corotidy --config=%inputs/lock-across-await-options.yaml %s async-lock-across-await %t

#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>

#include <mutex>

using namespace std::chrono_literals;

namespace acme {
struct spinlock {
  void lock();
  void unlock();
};
// A guard the rules learn from the config (Rules: LockGuards).
class spin_guard {
public:
  explicit spin_guard(spinlock &s) : s_(s) { s_.lock(); }
  ~spin_guard() { s_.unlock(); }

private:
  spinlock &s_;
};
} // namespace acme

std::mutex log_mu;
std::mutex state_mu;
acme::spinlock spin;

asyncrt::task<void> options() {
  {
    std::lock_guard g(log_mu); // IgnoredMutexes
    co_await asyncrt::sleep_for(1ms);
  }
  state_mu.lock(); // ManualPairs: false
  co_await asyncrt::sleep_for(1ms);
  state_mu.unlock();
  acme::spin_guard sg(spin);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'sg' keeps 'spin' locked across 1 suspension point in coroutine 'options'; {{.*}}
  co_await asyncrt::sleep_for(1ms);
}
