// A payment service on standalone asio: authorises card payments against a
// ledger database and a fraud service, and settles batches at night.
#include <asio.hpp>

#include "vendor/clients.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using asio::awaitable;
using asio::use_awaitable;
using namespace std::chrono_literals;

namespace payments {

struct Account {
  std::string id;
  long balance_cents = 0;
};
struct FraudScore {
  double risk = 0;
};
struct Payment {
  std::string account_id;
  long amount_cents = 0;
  std::string card_token;
};

awaitable<Account> load_account(std::string id);
awaitable<FraudScore> score_payment(const Payment &p);
awaitable<long> pending_transfers(std::string account_id);
awaitable<void> post_ledger_entry(std::string account_id, long amount);
awaitable<void> notify_merchant(std::string account_id);
awaitable<bool> card_valid(std::string token);

class LedgerStore {
public:
  explicit LedgerStore(std::string dsn) : conn_(dsn) {}

  awaitable<long> balance(std::string account_id) {
    pqxx::work tx(conn_);                                         // expect: async-blocking-call
    auto rows = tx.exec_params("select balance from accounts where id = $1", account_id); // expect: async-blocking-call
    co_return rows[0].get<long>(0);
  }

private:
  pqxx::connection conn_;
};

awaitable<bool> authorise(Payment p) {
  auto account = co_await load_account(p.account_id);
  auto score = co_await score_payment(p);                         // expect: async-sequential-await
  auto valid = co_await card_valid(p.card_token);
  if (!valid || score.risk > 0.8)
    co_return false;
  // Needs the account's balance: ordered after it.
  auto pending = co_await pending_transfers(account.id);
  co_return account.balance_cents - pending >= p.amount_cents;
}

awaitable<long> audit_balance(std::string account_id) {
  // A new database connection for every audit request.
  pqxx::connection conn("postgresql://ledger");                  // expect: async-per-call-connection, async-blocking-call
  pqxx::work tx(conn);                                            // expect: async-blocking-call
  auto r = tx.exec("select sum(amount) from entries");            // expect: async-blocking-call
  co_return r[0].get<long>(0);
}

awaitable<void> settle(std::vector<Payment> batch) {
  auto ex = co_await asio::this_coro::executor;
  for (const auto &p : batch)                                     // expect: async-unbounded-fanout
    asio::co_spawn(ex, post_ledger_entry(p.account_id, p.amount_cents), asio::detached); // expect: async-dropped-exception
  co_return;
}

awaitable<void> settle_one_by_one(std::vector<Payment> batch) {
  for (const auto &p : batch) {
    co_await post_ledger_entry(p.account_id, p.amount_cents);
    co_await notify_merchant(p.account_id);
  }
}

awaitable<void> capture(Payment p) {
  auto ex = co_await asio::this_coro::executor;
  asio::co_spawn(ex, notify_merchant(p.account_id), [](std::exception_ptr) {}); // expect: async-dropped-exception
  asio::co_spawn(ex, post_ledger_entry(p.account_id, p.amount_cents),
                 [id = p.account_id](std::exception_ptr e) {
                   if (e)
                     std::cerr << "ledger entry for " << id << " failed\n";
                 });
  co_return;
}

class RateLimiter {
public:
  awaitable<void> wait_turn(std::string merchant) {
    std::unique_lock<std::mutex> lock(mutex_);                    // expect: async-lock-across-await, async-blocking-call
    auto &last = last_call_[merchant];
    asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
    co_await timer.async_wait(use_awaitable);
    last = std::chrono::steady_clock::now();
  }

  awaitable<void> wait_turn_released(std::string merchant) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto since = std::chrono::steady_clock::now() - last_call_[merchant];
    lock.unlock();
    if (since < 100ms) {
      asio::steady_timer timer(co_await asio::this_coro::executor, 100ms - since);
      co_await timer.async_wait(use_awaitable);
    }
  }

private:
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_call_;
};

awaitable<void> fraud_report(std::vector<std::string> accounts) {
  for (const auto &id : accounts) {
    auto account = co_await load_account(id);                     // expect: async-sequential-await
    std::cout << account.id << ' ' << account.balance_cents << '\n';
  }
}

awaitable<void> nightly(asio::io_context &io) {
  asio::steady_timer timer(io, 24h);
  co_await timer.async_wait(use_awaitable);
  load_account("house");                                          // expect: async-unawaited-task
  io.run();                                                       // expect: async-blocking-call
}

} // namespace payments

int main() {
  asio::io_context io;
  asio::co_spawn(io, payments::authorise({"acc-1", 500, "tok"}), [](std::exception_ptr e, bool ok) {
    if (e)
      std::rethrow_exception(e);
    std::cout << (ok ? "approved\n" : "declined\n");
  });
  asio::co_spawn(io, payments::nightly(io), asio::detached);      // expect: async-dropped-exception
  io.run();
}
