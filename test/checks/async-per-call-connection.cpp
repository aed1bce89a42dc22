// RUN: %check_corotidy %s async-per-call-connection %t

#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/when_all.hpp>
#include "blocking-libs.hpp"
#include "hometask.hpp"
#include "minicoro.hpp"
#include "service-clients.hpp"

#include <memory>
#include <string>
#include <vector>

struct Request {
  std::string symbol;
};
struct Quote {
  int price = 0;
};
asyncrt::task<Quote> parse(std::string body);

// ---------------------------------------------------------------------------
// Per request: the coroutine takes a request.

asyncrt::task<Quote> handle(const Request &req) {
  httplib::Client cli("http://pricing.internal");
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'httplib::Client' (an HTTP client) is created and dropped on every call of coroutine 'handle', which runs once per request; each call pays its setup (connection, handshake, login) again [async-per-call-connection]
  // CHECK-MESSAGES: :[[@LINE-3]]:44: note: it takes a request here
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: create it once (in main, a constructor or a static) and share it, or take one from a pool
  auto res = cli.Get("/quote/" + req.symbol);
  co_return co_await parse(res ? res.value().body : "");
}

// Per loop iteration, in the coroutine itself.
asyncrt::task<int> poll_all(std::vector<std::string> keys) {
  int found = 0;
  for (const std::string &key : keys) {
    redisContext *c = redisConnect("cache", 6379);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: '::redisConnect' (a Redis connection) is created and dropped on every iteration of this loop in coroutine 'poll_all'; each one pays its setup (connection, handshake, login) again [async-per-call-connection]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop starts here
    found += redisCommand(c, "GET %s", key.c_str()) != nullptr;
    redisFree(c);
  }
  co_return found;
}

// A handle filled in through an out-parameter (sqlite3_open's &db).
asyncrt::task<int> count_rows(const Request &req) {
  sqlite3 *db = nullptr;
  sqlite3_open("app.db", &db);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::sqlite3_open' (a SQLite connection) is created and dropped on every call of coroutine 'count_rows', which runs once per request; {{.*}}
  sqlite3_close(db);
  co_return static_cast<int>(req.symbol.size());
}

// Launched per element: called in a loop elsewhere in the file.
asyncrt::task<int> fetch_price(std::string symbol) {
  cpr::Session session;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'cpr::Session' (an HTTP session) is created and dropped on every call of coroutine 'fetch_price', which runs once per loop iteration; {{.*}}
  session.SetUrl(cpr::Url{"https://prices/" + symbol});
  co_return static_cast<int>(session.Get().status_code);
}
asyncrt::task<int> sum_prices(std::vector<std::string> symbols) {
  int total = 0;
  for (auto &s : symbols)
    total += co_await fetch_price(s);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: note: called in a loop here
  co_return total;
}

// A temporary and a gRPC channel per request.
asyncrt::task<std::string> greet(const Request &req) {
  auto stub = helloworld::Greeter::NewStub(
      grpc::CreateChannel("greeter:50051", grpc::InsecureChannelCredentials()));
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'grpc::CreateChannel' (a gRPC channel) is created and dropped on every call of coroutine 'greet', which runs once per request; {{.*}}
  co_return req.symbol;
}

// Home-made frameworks the rules do not name.
home::Lazy<int> home_handler(const Request &req) {
  pqxx::connection pg("dbname=quotes");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'pqxx::connection' (a PostgreSQL connection) is created and dropped on every call of coroutine 'home_handler', which runs once per request; {{.*}}
  co_return static_cast<int>(req.symbol.size());
}

mini::co<int> mini_loop(std::vector<std::string> urls) {
  int ok = 0;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    CURL *curl = curl_easy_init();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: '::curl_easy_init' (a curl handle and its connection cache) is created and dropped on every iteration of this loop in coroutine 'mini_loop'; {{.*}}
    ok += curl_easy_perform(curl) == CURLE_OK;
    curl_easy_cleanup(curl);
    co_await mini::after(std::chrono::milliseconds(1));
  }
  co_return ok;
}

// ---------------------------------------------------------------------------
// Negatives.

// Created once: in main, in a constructor, as a static, as a member.
struct PriceService {
  httplib::Client client{"http://pricing.internal"};
  redisContext *cache = nullptr;
  sqlite3 *db = nullptr;
  std::unique_ptr<helloworld::Greeter::Stub> stub;

  PriceService() : cache(redisConnect("cache", 6379)) {}

  asyncrt::task<Quote> handle(const Request &req) {
    auto res = client.Get("/quote/" + req.symbol);
    co_return co_await parse(res ? res.value().body : "");
  }
  // Moved out to a member, assigned to a member, filled into a member.
  asyncrt::task<void> reconnect(const Request &req) {
    redisContext *fresh = redisConnect("cache", 6379);
    cache = fresh;
    sqlite3_open("app.db", &db);
    stub = helloworld::Greeter::NewStub(grpc::CreateChannel("g:1", grpc::InsecureChannelCredentials()));
    co_return;
  }
};

asyncrt::task<Quote> shared_static(const Request &req) {
  static httplib::Client cli("http://pricing.internal");
  auto res = cli.Get("/quote/" + req.symbol);
  co_return co_await parse(res ? res.value().body : "");
}

// Returned to the caller: the caller keeps it.
asyncrt::task<redisContext *> open_cache(const Request &) {
  redisContext *c = redisConnect("cache", 6379);
  co_return c;
}

// Made once before the loop and shared by its iterations.
asyncrt::task<int> one_session(std::vector<std::string> keys) {
  redisContext *c = redisConnect("cache", 6379);
  int found = 0;
  for (const std::string &key : keys)
    found += redisCommand(c, "GET %s", key.c_str()) != nullptr;
  redisFree(c);
  co_return found;
}

// A session loop: the connection made per outer iteration (a reconnect)
// serves many requests in the inner loop.
asyncrt::task<void> reconnecting(std::vector<std::string> keys, bool &stop) {
  while (!stop) {
    redisContext *c = redisConnect("cache", 6379);
    for (const std::string &key : keys)
      redisCommand(c, "GET %s", key.c_str());
    redisFree(c);
  }
  co_return;
}

// Not a coroutine, and a coroutine that runs once (not per request, not in a loop).
int main_like() {
  httplib::Client cli("http://pricing.internal");
  for (int i = 0; i < 3; ++i) {
    httplib::Client per_iteration("http://x"); // ordinary function: not this check's business
  }
  return 0;
}
// Run once: from main (below), or only from a coroutine that main runs.
asyncrt::task<void> migrate() {
  pqxx::connection pg("dbname=quotes");
  co_return;
}
asyncrt::task<void> startup() {
  pqxx::connection pg("dbname=quotes");
  co_await migrate();
}
asyncrt::task<void> warm_cache() {
  redisContext *c = redisConnect("cache", 6379);
  redisFree(c);
  co_return;
}

// The for-init runs once.
asyncrt::task<int> init_once(int n) {
  int got = 0;
  for (redisContext *c = redisConnect("cache", 6379); got < n; ++got)
    redisCommand(c, "PING");
  co_return got;
}

// An init coroutine that keeps what it opens.
struct Pool {
  std::unique_ptr<pqxx::connection> conn;
  asyncrt::task<void> open() {
    auto fresh = std::make_unique<pqxx::connection>("dbname=quotes");
    conn = std::move(fresh);
    co_return;
  }
};

int main() {
  asyncrt::run(startup());
  warm_cache();
  return 0;
}

// ---------------------------------------------------------------------------
// Any other coroutine runs per unit of work (AnyCoroutine, the default): a
// connection whose whole life is one run of it is made per call.

asyncrt::task<long> count_quotes() {
  pqxx::connection pg("dbname=quotes");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'pqxx::connection' (a PostgreSQL connection) is created and dropped on every call of coroutine 'count_quotes', which runs once per unit of work; each call pays its setup (connection, handshake, login) again [async-per-call-connection]
  // CHECK-MESSAGES: :[[@LINE-2]]:20: note: create it once
  co_return 0;
}

// Called once from a coroutine that itself runs per call: per call too.
asyncrt::task<void> audit_row() {
  redisContext *c = redisConnect("cache", 6379);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: '::redisConnect' (a Redis connection) is created and dropped on every call of coroutine 'audit_row', which runs once per unit of work
  // CHECK-MESSAGES: :[[@LINE-2]]:21: note: create it once
  redisFree(c);
  co_return;
}
asyncrt::task<void> audit() { co_await audit_row(); }

// Through std::make_unique, and made on a worker and handed back.
asyncrt::task<void> report() {
  auto owned = std::make_unique<pqxx::connection>("dbname=quotes");
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'pqxx::connection' (a PostgreSQL connection) is created and dropped on every call of coroutine 'report'
  // CHECK-MESSAGES: :[[@LINE-2]]:16: note: create it once
  auto offloaded = co_await asyncrt::to_thread([] {
    return std::make_unique<pqxx::connection>("dbname=quotes");
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'pqxx::connection' (a PostgreSQL connection) is created and dropped on every call of coroutine 'report'
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: create it once
  });
  co_return;
}

// Handed back from a worker and then kept: not per call.
asyncrt::task<void> adopt(Pool &pool) {
  auto kept = co_await asyncrt::to_thread([] {
    return std::make_unique<pqxx::connection>("dbname=quotes");
  });
  pool.conn = std::move(kept);
}
