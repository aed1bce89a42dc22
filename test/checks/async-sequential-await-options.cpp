// RUN: %check_corotidy --config=%S/Inputs/sequential-await-options.yaml %s async-sequential-await %t

// Options: IncludeVoidAwaits, ConcurrencySafeTypes, MinRunLength, LoopAwaits
// (see Inputs/sequential-await-options.yaml).

#include "sequential-await-services.hpp"

// Pool is listed in ConcurrencySafeTypes: sharing it is no dependence.
asyncrt::task<int> pooled(Pool &pool) {
  auto a = co_await pool.query(1);
  auto b = co_await pool.query(2);
  auto c = co_await pool.query(3);
  // CHECK-MESSAGES: :[[@LINE-2]]:12: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto [a, b, c] = co_await asyncrt::when_all(pool.query(1), pool.query(2), pool.query(3));{{$}}
  co_return a + b + c;
}

// Db is not listed: still one shared receiver.
asyncrt::task<int> not_listed(Db &db) {
  auto a = co_await db.query(1);
  auto b = co_await db.query(2);
  auto c = co_await db.query(3);
  co_return a + b + c;
}

// IncludeVoidAwaits: void awaits form runs, fixed with a discarded when_all.
asyncrt::task<void> void_run() {
  co_await notify(1);
  co_await notify(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 3 independent {{.*}}
  co_await notify(3);
  // CHECK-FIXES: {{^}}  co_await asyncrt::when_all(notify(1), notify(2), notify(3));{{$}}
}

// MinRunLength: 3 -- a run of two stays silent.
asyncrt::task<int> two() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(2);
  co_return a + b;
}

// LoopAwaits: false.
asyncrt::task<int> loop(const std::vector<int> &ids) {
  int total = 0;
  for (int id : ids)
    total += co_await fetch(id);
  co_return total;
}
