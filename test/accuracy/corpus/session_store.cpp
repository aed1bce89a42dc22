// A session store for a web front end on asyncrt: sessions cached in memory
// behind locks, persisted to PostgreSQL and mirrored to Redis.
#include <asyncrt/asyncrt.hpp>

#include "vendor/clients.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace sessions {

struct Session {
  std::string id;
  std::string user;
  long expires = 0;
};

asyncrt::task<Session> load_from_db(std::string id);
asyncrt::task<void> save_to_db(Session s);
asyncrt::task<bool> token_valid(std::string token);
asyncrt::task<std::string> user_for_token(std::string token);
asyncrt::task<void> touch(std::string id);

class Store {
public:
  explicit Store(std::string redis_host) : redis_(redisConnect(redis_host.c_str(), 6379)) {}

  asyncrt::task<Session> get(std::string id) {
    {
      std::shared_lock<std::shared_mutex> read(cache_mutex_);
      if (auto it = cache_.find(id); it != cache_.end())
        co_return it->second;
    }
    auto s = co_await load_from_db(id);
    std::unique_lock<std::shared_mutex> write(cache_mutex_);
    cache_[id] = s;
    co_return s;
  }

  asyncrt::task<Session> get_holding_lock(std::string id) {
    std::unique_lock<std::shared_mutex> write(cache_mutex_);      // expect: async-lock-across-await, async-blocking-call
    if (auto it = cache_.find(id); it != cache_.end())
      co_return it->second;
    auto s = co_await load_from_db(id);
    cache_[id] = s;
    co_return s;
  }

  asyncrt::task<void> refresh(std::string id) {
    std::shared_lock<std::shared_mutex> read(cache_mutex_);       // expect: async-lock-across-await, async-blocking-call
    auto it = cache_.find(id);
    if (it == cache_.end())
      co_return;
    co_await save_to_db(it->second);
  }

  asyncrt::task<void> expire_all() {
    cache_mutex_.lock();                                          // expect: async-lock-across-await, async-blocking-call
    for (auto &[id, s] : cache_)
      co_await save_to_db(s);
    cache_.clear();
    cache_mutex_.unlock();
  }

  asyncrt::task<void> evict(std::string id) {
    std::unique_lock<std::shared_mutex> write(cache_mutex_);
    auto node = cache_.extract(id);
    write.unlock();
    if (!node.empty())
      co_await save_to_db(node.mapped());
  }

  asyncrt::task<void> rename_user(std::string id, std::string user) {
    auto guard = co_await sessions_lock_.lock();
    auto s = co_await load_from_db(id);
    s.user = user;
    co_await save_to_db(s);
  }

  asyncrt::task<void> mirror(Session s) {
    std::scoped_lock lock(redis_mutex_);
    redisCommand(redis_, "SET session:%s %s", s.id.c_str(), s.user.c_str()); // expect: async-blocking-call
    co_return;
  }

  asyncrt::task<void> mirror_and_touch(Session s) {
    std::scoped_lock lock(redis_mutex_);                          // expect: async-lock-across-await, async-blocking-call
    redisCommand(redis_, "SET session:%s %s", s.id.c_str(), s.user.c_str()); // expect: async-blocking-call
    co_await touch(s.id);
  }

private:
  std::shared_mutex cache_mutex_;
  std::map<std::string, Session> cache_;
  std::mutex redis_mutex_;
  redisContext *redis_;
  asyncrt::mutex sessions_lock_;
};

asyncrt::task<Session> login(std::string token) {
  auto valid = co_await token_valid(token);
  auto user = co_await user_for_token(token);                      // expect: async-sequential-await
  if (!valid)
    co_return Session{};
  Session s{token.substr(0, 16), user, 3600};
  co_await save_to_db(s);
  co_return s;
}

asyncrt::task<long> count_sessions() {
  // A connection for this one query.
  pqxx::connection db("postgresql://sessions");                   // expect: async-per-call-connection, async-blocking-call
  pqxx::work tx(db);                                              // expect: async-blocking-call
  auto r = tx.exec("select count(*) from sessions");              // expect: async-blocking-call
  co_return r[0].get<long>(0);
}

asyncrt::task<void> purge(std::vector<std::string> shards) {
  for (const auto &shard : shards) {
    redisContext *c = redisConnect(shard.c_str(), 6379);          // expect: async-per-call-connection, async-blocking-call
    redisCommand(c, "FLUSHDB");                                   // expect: async-blocking-call
    redisFree(c);
  }
  co_return;
}

class Audit {
public:
  Audit() : db_(std::make_unique<pqxx::connection>("postgresql://audit")) {}

  asyncrt::task<void> record(std::string event) {
    co_await asyncrt::to_thread([&] {
      pqxx::work tx(*db_);
      tx.exec_params("insert into audit(event) values ($1)", event);
      tx.commit();
    });
  }

  asyncrt::task<void> record_with_own_connection(std::string event) {
    auto conn = co_await asyncrt::to_thread([] {
      return std::make_unique<pqxx::connection>("postgresql://audit"); // expect: async-per-call-connection
    });
    co_await asyncrt::to_thread([&] {
      pqxx::work tx(*conn);
      tx.exec_params("insert into audit(event) values ($1)", event);
      tx.commit();
    });
  }

  void adopt(std::unique_ptr<pqxx::connection> c) { db_ = std::move(c); }

private:
  std::unique_ptr<pqxx::connection> db_;
};

asyncrt::task<void> warm(Audit &audit) {
  auto conn = std::make_unique<pqxx::connection>("postgresql://audit");
  audit.adopt(std::move(conn));
  co_await audit.record("warm");
}

} // namespace sessions

int main() {
  static sessions::Store store("127.0.0.1");
  auto s = asyncrt::run(store.get("abc"));
  return s.id.empty();
}
