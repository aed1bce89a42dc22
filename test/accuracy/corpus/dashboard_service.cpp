// A user dashboard backend on asyncrt: each request gathers a profile, the
// user's orders, notifications and recommendations from other services.
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace dashboard {

struct Profile {
  std::string name;
  std::string locale;
};
struct Order {
  int id = 0;
  double total = 0;
};
struct Notification {
  std::string text;
};
struct Weather {
  double celsius = 0;
};
struct Page {
  std::string html;
};

asyncrt::task<Profile> fetch_profile(int user_id);
asyncrt::task<std::vector<Order>> fetch_orders(int user_id);
asyncrt::task<std::vector<Notification>> fetch_notifications(int user_id);
asyncrt::task<Weather> fetch_weather(std::string city);
asyncrt::task<std::vector<std::string>> fetch_recommendations(int user_id, std::string locale);
asyncrt::task<std::string> render(const Profile &p, const std::vector<Order> &orders);
asyncrt::task<void> record_view(int user_id);
asyncrt::task<void> audit(std::string event);
asyncrt::task<bool> is_feature_enabled(std::string flag);

struct DashboardData {
  Profile profile;
  std::vector<Order> orders;
  std::vector<Notification> notifications;
};

class DashboardHandler {
public:
  asyncrt::task<Page> handle(int user_id) {
    auto profile = co_await fetch_profile(user_id);
    auto orders = co_await fetch_orders(user_id);                 // expect: async-sequential-await
    auto notes = co_await fetch_notifications(user_id);
    // Depends on the profile: cannot start before it.
    auto recs = co_await fetch_recommendations(user_id, profile.locale);
    auto html = co_await render(profile, orders);                 // expect: async-sequential-await
    hits_[user_id] += 1;
    co_return Page{html + std::to_string(notes.size() + recs.size())};
  }

  asyncrt::task<DashboardData> summary(int user_id) {
    DashboardData data;
    data.profile = co_await fetch_profile(user_id);
    data.orders = co_await fetch_orders(user_id);                 // expect: async-sequential-await
    data.notifications = co_await fetch_notifications(user_id);
    co_return data;
  }

  asyncrt::task<std::string> home_widget(int user_id, std::string city) {
    // A stale cache is refreshed on a timer: the sleep orders the two halves.
    auto weather = co_await fetch_weather(city);
    co_await asyncrt::sleep_for(10ms);
    auto profile = co_await fetch_profile(user_id);
    co_return profile.name + std::to_string(weather.celsius);
  }

  asyncrt::task<void> track(int user_id) {
    // Effects stay ordered: not a run by default.
    co_await record_view(user_id);
    co_await audit("dashboard viewed");
    record_view(user_id);                                         // expect: async-unawaited-task
    co_return;
  }

  asyncrt::task<std::string> flags() {
    bool beta = co_await is_feature_enabled("beta-dashboard");
    bool dark = co_await is_feature_enabled("dark-mode");          // expect: async-sequential-await
    co_return std::string(beta ? "beta" : "stable") + (dark ? "-dark" : "");
  }

  asyncrt::task<std::string> legacy_banner() {
    // The banner text lives on disk; read at every request.
    std::ifstream in("/etc/dashboard/banner.txt");                // expect: async-blocking-call
    std::string banner;
    std::getline(in, banner);                                     // expect: async-blocking-call
    co_return banner;
  }

  asyncrt::task<void> warm_up() {
    std::this_thread::sleep_for(50ms);                            // expect: async-blocking-call
    co_await asyncrt::sleep_for(50ms);
  }

  asyncrt::task<int> count_hits(int user_id) {
    // A short critical section that ends before the next suspension.
    int hits = 0;
    {
      std::lock_guard<std::mutex> lock(hits_mutex_);
      hits = hits_[user_id];
    }
    co_await record_view(user_id);
    co_return hits;
  }

  asyncrt::task<int> count_hits_slowly(int user_id) {
    std::lock_guard<std::mutex> lock(hits_mutex_);                // expect: async-lock-across-await, async-blocking-call
    co_await record_view(user_id);
    co_return hits_[user_id];
  }

private:
  std::mutex hits_mutex_;
  std::map<int, int> hits_;
};

asyncrt::task<void> prefetch(std::vector<int> user_ids) {
  std::vector<asyncrt::task<Profile>> tasks;
  for (int id : user_ids)                                         // expect: async-unbounded-fanout
    tasks.push_back(fetch_profile(id));
  auto profiles = co_await asyncrt::when_all(std::move(tasks));
  (void)profiles;
}

asyncrt::task<void> prefetch_bounded(std::vector<int> user_ids) {
  std::vector<asyncrt::task<Profile>> tasks;
  for (int id : user_ids)
    tasks.push_back(fetch_profile(id));
  auto profiles = co_await asyncrt::when_all_bounded(std::move(tasks), 16);
  (void)profiles;
}

asyncrt::task<void> on_login(int user_id) {
  asyncrt::spawn(record_view(user_id));                           // expect: async-dropped-exception
  asyncrt::spawn(audit("login"), [](std::exception_ptr e) {
    if (e)
      std::rethrow_exception(e);
  });
  co_return;
}

} // namespace dashboard

int main() {
  dashboard::DashboardHandler handler;
  auto page = asyncrt::run(handler.handle(42));
  return page.html.empty() ? 1 : 0;
}
