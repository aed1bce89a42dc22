// A session cache that refreshes itself: blocking calls inside coroutines
// (async-blocking-call) and a task that is created but never awaited
// (async-unawaited-task). Build: clang++-19 -std=c++20 -I../lib/runtime/include
//   session_cache.cpp -L../build/lib -lasyncrt -pthread
#include <asyncrt/run.hpp>
#include <asyncrt/task.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

namespace {

std::string read_first_line(const std::string &path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

asyncrt::task<int> refresh_sessions() {
  // Waits for the upstream to settle, freezing the loop thread meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  co_return 3;
}

asyncrt::task<void> warm_up() { co_return; }

asyncrt::task<int> serve() {
  warm_up();  // created, never awaited: a lazy task that never runs
  std::string motd = read_first_line("/etc/hostname");
  int refreshed = co_await refresh_sessions();
  std::printf("motd read: %s; sessions refreshed: %d\n", motd.empty() ? "no" : "yes",
              refreshed);
  co_return refreshed;
}

} // namespace

int main() { return asyncrt::run(serve()) == 3 ? 0 : 1; }
