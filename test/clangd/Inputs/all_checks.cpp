// One finding of each async-* check, with every kind of fix-it corotidy has.
// (when_all.hpp is here for the fan-out: sequential.cpp shows the include fix.)
#include <asyncrt/run.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/when_all.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

asyncrt::task<int> fetch_a(int key) { co_return key + 1; }
asyncrt::task<int> fetch_b(int key) { co_return key * 2; }
asyncrt::task<void> warm_up() { co_return; }
asyncrt::task<int> fetch(std::string url) { co_return static_cast<int>(url.size()); }

asyncrt::task<int> sequential(int key) {
  auto a = co_await fetch_a(key);
  auto b = co_await fetch_b(key);
  co_return a + b;
}

asyncrt::task<void> sleepy() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  co_return;
}

asyncrt::task<long> reader(int fd, char *buffer) {
  long got = ::read(fd, buffer, 16);
  co_return got;
}

asyncrt::task<void> forgetful() {
  warm_up();
  co_return;
}

asyncrt::task<void> fanout(std::vector<std::string> urls) {
  std::vector<asyncrt::task<int>> tasks;
  for (const auto &url : urls)
    tasks.push_back(fetch(url));
  auto sizes = co_await asyncrt::when_all(std::move(tasks));
  std::printf("%zu\n", sizes.size());
}

void launch() { asyncrt::spawn(warm_up()); }
