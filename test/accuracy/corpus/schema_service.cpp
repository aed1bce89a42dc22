// A service's start-up and background jobs on asyncrt: connections made once
// (a migration run from main, a serve loop, a pool kept in a member, a static
// client) next to the per-call ones the field guides warn about.
#include <asyncrt/asyncrt.hpp>

#include "vendor/clients.hpp"

#include <memory>
#include <string>
#include <vector>

namespace schema {

asyncrt::task<std::vector<std::string>> pending_migrations();
asyncrt::task<std::string> next_job();
asyncrt::task<void> report(std::string line);

// Run once, from main, before the service starts.
asyncrt::task<void> migrate() {
  pqxx::connection conn("postgresql://schema");                   // expect: async-blocking-call
  auto steps = co_await pending_migrations();
  co_await asyncrt::to_thread([&] {
    for (const auto &step : steps)
      pqxx::work(conn).exec(step);
  });
}

// Run once, through migrate_then_serve() below, itself run from main.
asyncrt::task<void> seed_defaults() {
  redisContext *redis = redisConnect("127.0.0.1", 6379);          // expect: async-blocking-call
  co_await asyncrt::to_thread([&] { redisCommand(redis, "SET seeded 1"); });
  redisFree(redis);
}

// The serve loop: one connection serves every job.
asyncrt::task<void> serve() {
  httplib::Client upstream("https://jobs.example");
  while (true) {
    auto job = co_await next_job();
    auto res = co_await asyncrt::to_thread([&] { return upstream.Get("/run/" + job); });
    if (!res)
      break;
  }
}

asyncrt::task<void> migrate_then_serve() {
  co_await seed_defaults();
  co_await serve();
}

class Reporter {
public:
  // An init coroutine that keeps its connection in a member.
  asyncrt::task<void> open() {
    auto conn = std::make_unique<pqxx::connection>("postgresql://reports");
    co_await report("connected");
    db_ = std::move(conn);
  }

  // A static client: made on the first call, shared by every later one.
  asyncrt::task<int> ping() {
    static httplib::Client health("https://health.example");
    auto res = co_await asyncrt::to_thread([&] { return health.Get("/ping"); });
    co_return res ? 200 : 503;
  }

  // Per call: a fresh session for every export although the class keeps one.
  asyncrt::task<void> export_day(std::string day) {
    pqxx::connection conn("postgresql://reports");                // expect: async-per-call-connection, async-blocking-call
    co_await report("exporting " + day);
  }

private:
  std::unique_ptr<pqxx::connection> db_;
};

} // namespace schema

int main() {
  asyncrt::run(schema::migrate());
  asyncrt::run(schema::migrate_then_serve());
}
