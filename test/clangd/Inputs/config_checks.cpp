// Findings that configuration switches on and off (config.test).
#include <asyncrt/task.hpp>

#include <chrono>
#include <thread>

namespace acme {
int slow_query(const char *sql);
} // namespace acme

asyncrt::task<void> warm_up() { co_return; }

asyncrt::task<int> serve() {
  (void)warm_up();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  co_return acme::slow_query("select 1");
}

double average(int total, int count) { return 1.0 * (total / count); }
