// A push-notification service written against "nimbus", the team's own
// EAGER coroutine library (a nimbus::future starts running when called).
#include "nimbus/future.hpp"
#include "vendor/clients.hpp"

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace notify {

struct User {
  std::string id;
  std::string device_token;
  std::string locale;
};
struct Message {
  std::string title;
  std::string body;
};

nimbus::future<User> load_user(std::string id);
nimbus::future<std::vector<User>> subscribers(std::string topic);
nimbus::future<std::string> translate(std::string text, std::string locale);
nimbus::future<bool> send_push(User u, Message m);
nimbus::future<void> log_delivery(std::string user_id, bool ok);
nimbus::future<int> unread_count(std::string user_id);
nimbus::future<std::string> avatar_url(std::string user_id);
nimbus::future<void> warm_cache(std::string topic);

nimbus::future<int> broadcast(std::string topic, Message m) {
  auto users = co_await subscribers(topic);
  std::vector<nimbus::future<bool>> pushes;
  for (const auto &u : users)                                     // expect: async-unbounded-fanout
    pushes.push_back(send_push(u, m));
  auto results = co_await nimbus::gather(std::move(pushes));
  int sent = 0;
  for (bool ok : results)
    sent += ok;
  co_return sent;
}

nimbus::future<std::string> badge(std::string user_id) {
  auto unread = co_await unread_count(user_id);
  auto avatar = co_await avatar_url(user_id);                      // expect: async-sequential-await
  co_return avatar + "#" + std::to_string(unread);
}

nimbus::future<std::string> badge_concurrent(std::string user_id) {
  // Eager futures are already running: awaiting one after the other costs
  // only the slowest.
  auto unread = unread_count(user_id);
  auto avatar = avatar_url(user_id);
  co_return co_await avatar + "#" + std::to_string(co_await unread);
}

nimbus::future<bool> deliver(std::string user_id, Message m) {
  auto user = co_await load_user(user_id);
  auto title = co_await translate(m.title, user.locale);
  auto body = co_await translate(m.body, user.locale);             // expect: async-sequential-await
  bool ok = co_await send_push(user, {title, body});
  log_delivery(user_id, ok);                                      // expect: async-unawaited-task
  co_return ok;
}

nimbus::future<void> on_subscribe(std::string topic) {
  nimbus::detach(warm_cache(topic));                              // expect: async-dropped-exception
  auto pending = log_delivery("system", true);                    // expect: async-dropped-exception
  co_await nimbus::delay(5ms);
}

nimbus::future<int> total_unread(std::vector<std::string> ids) {
  int total = 0;
  for (const auto &id : ids) {
    auto f = unread_count(id);
    total += nimbus::block_on(std::move(f));                      // expect: async-blocking-call
  }
  co_return total;
}

nimbus::future<void> legacy_sms(User u, Message m) {
  auto r = cpr::Post(cpr::Url{"https://sms.example/send"}, cpr::Body{m.body}); // expect: async-blocking-call
  auto done = std::async(std::launch::async, [r] { return r.status_code; });
  auto code = done.get();                                         // expect: async-blocking-call
  co_await log_delivery(u.id, code == 200);
}

nimbus::future<void> webhook(User u, Message m) {
  // A fresh HTTP session per webhook call.
  cpr::Session session;                                           // expect: async-per-call-connection
  session.SetUrl(cpr::Url{"https://hooks.example/" + u.id});
  session.SetBody(cpr::Body{m.body});
  auto r = session.Post();                                        // expect: async-blocking-call
  co_await log_delivery(u.id, r.status_code == 200);
}

class Dispatcher {
public:
  Dispatcher() : client_("https://push.example") {}

  nimbus::future<bool> send_via_shared_client(User u, Message m) {
    auto res = client_.Post("/push/" + u.device_token, m.body, "text/plain"); // expect: async-blocking-call
    co_return res && res->status == 200;
  }

  nimbus::future<bool> poll_ready(std::future<bool> &job) {
    if (job.wait_for(0s) == std::future_status::ready)
      co_return job.get();
    co_await nimbus::delay(10ms);
    co_return false;
  }

private:
  httplib::Client client_;
};

} // namespace notify

int main() {
  auto sent = nimbus::block_on(notify::broadcast("news", {"Hello", "World"}));
  return sent > 0 ? 0 : 1;
}
