// dashboard.cpp - builds a user's dashboard from three simulated services.
//
// The anti-pattern of async-sequential-await: the three awaits below do not
// depend on each other, yet each waits for the one before, so the page costs
// 100 + 150 + 200 = 450 ms. `corotidy --fix` combines them into one
// asyncrt::when_all, and the page costs the slowest call, 200 ms.
//
// Prints the dashboard on stdout (deterministic) and the wall time on stderr.
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

struct Profile {
  std::string name;
  std::string city;
};

// Each service answers after a simulated network round trip.
asyncrt::task<Profile> fetch_profile(int user) {
  co_await asyncrt::sleep_for(100ms);
  co_return Profile{"user" + std::to_string(user), "Oslo"};
}

asyncrt::task<std::vector<std::string>> fetch_notifications(int user) {
  co_await asyncrt::sleep_for(150ms);
  co_return std::vector<std::string>{"order shipped", "new follower #" + std::to_string(user)};
}

asyncrt::task<int> fetch_temperature(std::string city) {
  co_await asyncrt::sleep_for(200ms);
  co_return static_cast<int>(city.size()) * 3;
}

asyncrt::task<std::string> render_dashboard(int user) {
  auto profile = co_await fetch_profile(user);
  auto notifications = co_await fetch_notifications(user);
  auto temperature = co_await fetch_temperature("Oslo");

  std::string page = "== dashboard for " + profile.name + " (" + profile.city + ") ==\n";
  for (const std::string &n : notifications)
    page += "  * " + n + "\n";
  page += "  weather: " + std::to_string(temperature) + " C\n";
  co_return page;
}

int main() {
  auto start = std::chrono::steady_clock::now();
  std::string page = asyncrt::run(render_dashboard(42));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  std::fputs(page.c_str(), stdout);
  std::fprintf(stderr, "dashboard: %lld ms\n", static_cast<long long>(ms));
  return 0;
}
