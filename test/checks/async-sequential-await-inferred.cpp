// RUN: %check_corotidy %s async-sequential-await %t

// Ordering awaits recognised by shape end a sequential run and never join
// one: a guard kept for its lifetime, an acquisition-named member on a type
// no rule describes, a sleep-shaped call.

#include "acme/acme.hpp"
#include "ember/ember.hpp"

acme::task<long> fetch_balance(int account);
acme::task<long> fetch_pending_transfers(int account);
acme::task<acme::mutex::scoped_lock> lock_account(int account);
ember::future<int> ember_version(int shard);

struct ledger {
  acme::mutex summary_lock_;
  acme::semaphore slots_{4};

  // The wrong finding: the lock is no part of the run; the two
  // fetches under it are.
  acme::task<long> summary(int account_id) {
    auto guard = co_await summary_lock_.lock();
    auto balance = co_await fetch_balance(account_id);
    auto pending = co_await fetch_pending_transfers(account_id);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    co_return balance - pending;
  }

  // A guard that is never read: its await orders what follows.
  acme::task<long> guarded(int account_id) {
    auto balance = co_await fetch_balance(account_id);
    auto held = co_await lock_account(account_id);
    auto pending = co_await fetch_pending_transfers(account_id);
    co_return balance - pending;
  }

  acme::task<long> limited(int account_id) {
    auto permit = co_await slots_.acquire();
    auto balance = co_await fetch_balance(account_id);
    co_return balance;
  }
};

// A sleep between two fetches: the second is meant to come later.
acme::task<long> paced(int account) {
  auto a = co_await fetch_balance(account);
  co_await acme::sleep_for(std::chrono::milliseconds(10));
  auto b = co_await fetch_balance(account);
  co_return a + b;
}

// A value that is read is no guard: it joins the run.
acme::task<int> leases() {
  auto first = co_await acme::borrow(1);
  auto second = co_await acme::borrow(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return first.value() + second.value();
}

// The eager framework: a hop and a timer order; version fetches do not.
ember::future<int> hops(ember::loop &loop) {
  auto a = co_await loop.fetch_config_version();
  co_await loop.schedule();
  auto b = co_await loop.fetch_config_version();
  co_await ember::after(std::chrono::milliseconds(1));
  auto c = co_await ember_version(1);
  auto d = co_await ember_version(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b + c + d;
}
