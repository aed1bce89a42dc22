// RUN: %check_corotidy %s async-sequential-await %t

#include "sequential-await-services.hpp"

#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/when_all.hpp>

#include <chrono>
#include <tuple>

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

// The guides' dashboard: three independent calls, 450 ms instead of 200 ms.
asyncrt::task<std::string> dashboard(int id) {
  auto user = co_await fetch_user(id);
  auto notes = co_await fetch_notifications(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: await 1 of 3 in the run
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: await 2 of 3 in the run
  auto weather = co_await fetch_weather("Oslo");
  // CHECK-MESSAGES: :[[@LINE-1]]:18: note: await 3 of 3 in the run
  // CHECK-FIXES: {{^}}asyncrt::task<std::string> dashboard(int id) {{{$}}
  // CHECK-FIXES: {{^}}  auto [user, notes, weather] = co_await asyncrt::when_all(fetch_user(id), fetch_notifications(id), fetch_weather("Oslo"));{{$}}
  co_return user.name + std::to_string(notes.size()) + std::to_string(weather.celsius);
}

// The user report: profile, orders and preferences of one user.
asyncrt::task<int> user_report(int id) {
  auto profile = co_await get_profile(id);
  auto orders = co_await get_orders(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  auto prefs = co_await get_preferences(id);
  // CHECK-FIXES: {{^}}  auto [profile, orders, prefs] = co_await asyncrt::when_all(get_profile(id), get_orders(id), get_preferences(id));{{$}}
  co_return static_cast<int>(profile.size() + orders.size() + prefs.size());
}

// Assignments to existing variables: std::tie.
asyncrt::task<int> assign_existing(int id) {
  std::string profile;
  std::vector<int> orders;
  profile = co_await get_profile(id);
  orders = co_await get_orders(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  std::tie(profile, orders) = co_await asyncrt::when_all(get_profile(id), get_orders(id));{{$}}
  co_return static_cast<int>(profile.size() + orders.size());
}

// Scalars assigned: std::tie too.
asyncrt::task<int> assign_scalars() {
  int a = 0, b = 0;
  a = co_await fetch(1);
  b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  std::tie(a, b) = co_await asyncrt::when_all(fetch(1), fetch(2));{{$}}
  co_return a + b;
}

// Fields of a local struct assigned: they are the coroutine's own results.
struct DashboardView {
  std::string profile;
  std::vector<int> orders;
  struct { std::string prefs; } extra;
};
asyncrt::task<int> assign_fields(int id) {
  DashboardView view;
  view.profile = co_await get_profile(id);
  view.orders = co_await get_orders(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  view.extra.prefs = co_await get_preferences(id);
  // CHECK-FIXES: {{^}}  std::tie(view.profile, view.orders, view.extra.prefs) = co_await asyncrt::when_all(get_profile(id), get_orders(id), get_preferences(id));{{$}}
  co_return static_cast<int>(view.profile.size() + view.orders.size());
}

// A field and a plain variable mix in one run.
asyncrt::task<int> assign_field_and_variable(int id) {
  DashboardView view;
  std::string prefs;
  view.profile = co_await get_profile(id);
  prefs = co_await get_preferences(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  std::tie(view.profile, prefs) = co_await asyncrt::when_all(get_profile(id), get_preferences(id));{{$}}
  co_return static_cast<int>(view.profile.size() + prefs.size());
}

// Declared types: flagged, but `auto [...]` could change a type: no fix.
asyncrt::task<long> declared_types() {
  long a = co_await fetch(1);
  int b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  long a = co_await fetch(1);{{$}}
  // CHECK-FIXES: {{^}}  int b = co_await fetch(2);{{$}}
  co_return a + b;
}

// A statement between that touches neither the run nor its inputs.
asyncrt::task<int> unrelated_between(int id) {
  auto a = co_await fetch(id);
  int limit = 10;
  auto b = co_await fetch(limit);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  int limit = 10;{{$}}
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(fetch(id), fetch(limit));{{$}}
  co_return a + b;
}

// Comments and blank lines between the awaits stay.
asyncrt::task<int> comments_between() {
  auto a = co_await fetch(1);

  // the second service
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  // the second service{{$}}
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(fetch(1), fetch(2));{{$}}
  co_return a + b;
}

// Both calls read one object through const references: no conflict.
asyncrt::task<int> shared_const_ref(const User &u, const Config &c) {
  auto a = co_await score(u);
  auto b = co_await with_config(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  auto d = co_await score(u);
  co_return a + b + d;
}

// Different receivers of non-const member calls.
asyncrt::task<int> two_databases(Db &primary, Db &replica) {
  auto a = co_await primary.query(1);
  auto b = co_await replica.query(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(primary.query(1), replica.query(2));{{$}}
  co_return a + b;
}

// One receiver, but only const member calls.
asyncrt::task<int> const_receiver(const Db &db) {
  auto a = co_await db.count();
  auto b = co_await db.count();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b;
}

// Pointers to different objects.
asyncrt::task<int> through_pointers(Db *left, Db *right) {
  auto a = co_await left->query(1);
  auto b = co_await right->query(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b;
}

// A dependent third await ends the run after two.
asyncrt::task<int> run_then_dependent() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  auto c = co_await fetch(a + b);
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(fetch(1), fetch(2));{{$}}
  // CHECK-FIXES: {{^}}  auto c = co_await fetch(a + b);{{$}}
  co_return c;
}

// A dependent await starts a new run.
asyncrt::task<int> dependent_then_run() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(a);
  auto c = co_await fetch(a);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = co_await fetch(1);{{$}}
  // CHECK-FIXES: {{^}}  auto [b, c] = co_await asyncrt::when_all(fetch(a), fetch(a));{{$}}
  co_return b + c;
}

// A timer splits two runs.
asyncrt::task<int> two_runs_around_sleep() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_await asyncrt::sleep_for(10ms);
  auto c = co_await fetch(3);
  auto d = co_await fetch(4);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b + c + d;
}

// Four in a row.
asyncrt::task<int> four() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 4 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  auto c = co_await fetch(3);
  auto d = co_await fetch(4);
  // CHECK-FIXES: {{^}}  auto [a, b, c, d] = co_await asyncrt::when_all(fetch(1), fetch(2), fetch(3), fetch(4));{{$}}
  co_return a + b + c + d;
}

// A coroutine lambda.
auto lambda_coroutine = [](int id) -> asyncrt::task<int> {
  auto a = co_await fetch(id);
  auto b = co_await fetch(id + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(fetch(id), fetch(id + 1));{{$}}
  co_return a + b;
};

// A member coroutine calling free functions.
struct Reporter {
  int base = 0;
  asyncrt::task<int> report(int id) {
    auto a = co_await fetch(id);
    auto b = co_await fetch(base);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    co_return a + b;
  }
  static asyncrt::task<int> load(int id);
};

// Static member task functions.
asyncrt::task<int> static_members() {
  auto a = co_await Reporter::load(1);
  auto b = co_await Reporter::load(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b;
}

// A template instantiated twice reports once, at the spelling.
template <typename T> asyncrt::task<int> templated(T id) {
  auto a = co_await fetch(static_cast<int>(id));
  auto b = co_await fetch(static_cast<int>(id) + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b;
}
template asyncrt::task<int> templated<int>(int);
template asyncrt::task<int> templated<long>(long);

// Awaits in a macro: flagged, no fix-it.
#define AWAIT(x) co_await x
asyncrt::task<int> in_macro() {
  auto a = AWAIT(fetch(1));
  auto b = AWAIT(fetch(2));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = AWAIT(fetch(1));{{$}}
  co_return a + b;
}

// Declared and assigned mixed: flagged, no fix-it.
asyncrt::task<int> mixed_forms() {
  int a = 0;
  a = co_await fetch(1);
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  a = co_await fetch(1);{{$}}
  co_return a + b;
}

// A variable later captured by a lambda: no fix-it (keeps it a variable).
asyncrt::task<int> captured_later() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = co_await fetch(1);{{$}}
  auto sum = [a, b] { return a + b; };
  co_return sum();
}

// A variable returned later: a structured binding is not moved from.
asyncrt::task<std::unique_ptr<int>> returned_later() {
  auto a = co_await make_box(1);
  auto b = co_await make_box(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = co_await make_box(1);{{$}}
  *a += *b;
  co_return a;
}

// Move-only results that stay local: fixed.
asyncrt::task<int> move_only_local() {
  auto a = co_await make_box(1);
  auto b = co_await make_box(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto [a, b] = co_await asyncrt::when_all(make_box(1), make_box(2));{{$}}
  co_return *a + *b;
}

// Moved-from arguments of different variables.
asyncrt::task<int> moved_arguments(std::unique_ptr<int> p, std::unique_ptr<int> q) {
  auto a = co_await consume(std::move(p));
  auto b = co_await consume(std::move(q));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b;
}

// Reference results: flagged, no fix-it (when_all would keep references).
asyncrt::task<int> reference_results() {
  auto a = co_await cached(1);
  auto b = co_await cached(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: {{^}}  auto a = co_await cached(1);{{$}}
  co_return a + b;
}

// A run inside a branch's block.
asyncrt::task<int> inside_branch(bool full) {
  int total = 0;
  if (full) {
    auto a = co_await fetch(1);
    auto b = co_await fetch(2);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    total = a + b;
  }
  co_return total;
}

// A run inside a loop body: the body's two awaits are independent.
asyncrt::task<int> run_in_loop_body(std::vector<int> ids) {
  int total = 0;
  for (int id : ids) {
    auto a = co_await fetch(id);
    auto b = co_await get_orders(id);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    total += a + static_cast<int>(b.size());
  }
  co_return total;
}

// A lambda in between (its body is not run here) leaves the run intact.
asyncrt::task<int> lambda_between() {
  auto a = co_await fetch(1);
  auto later = [] { return 1; };
  auto b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return a + b + later();
}

// Loops: each iteration waits for the previous one.
asyncrt::task<std::vector<int>> loop_push_back(const std::vector<int> &ids) {
  std::vector<int> results;
  for (auto &id : ids)
    results.push_back(co_await fetch(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: start every iteration's task first, then await them together: std::vector<asyncrt::task<int>> tasks; ... tasks.push_back(fetch(id)); ... co_await asyncrt::when_all(std::move(tasks))
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: for a large range, cap how many run at once with asyncrt::when_all_bounded (see async-unbounded-fanout)
  co_return results;
}

asyncrt::task<int> loop_index(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) {
    auto r = co_await fetch(i);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    total += r;
  }
  co_return total;
}

// A small constant range: no pointer to the bounded combinator.
asyncrt::task<int> loop_small_array() {
  int ids[] = {1, 2, 3};
  int total = 0;
  for (int id : ids)
    total += co_await fetch(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: start every iteration's task first
  co_return total;
}

asyncrt::task<int> loop_init_list() {
  std::vector<std::string> names;
  for (int id : {1, 2, 3})
    names.push_back(co_await get_profile(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: start every iteration's task first
  co_return static_cast<int>(names.size());
}

asyncrt::task<int> loop_users(const std::vector<User> &users) {
  int total = 0;
  for (const User &u : users) {
    int s = co_await score(u);
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: the awaits of this loop run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
    total += s;
  }
  co_return total;
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

// Results feed each other.
asyncrt::task<int> chained() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(a);
  co_return b;
}

asyncrt::task<int> chained_member() {
  auto u = co_await fetch_user(1);
  auto s = co_await score(u);
  co_return s;
}

asyncrt::task<int> chained_assign() {
  int a = 0, b = 0;
  a = co_await fetch(1);
  b = co_await fetch(a);
  co_return b;
}

// The same variable assigned twice.
asyncrt::task<int> same_target() {
  int a = 0;
  a = co_await fetch(1);
  a = co_await fetch(2);
  co_return a;
}

// One non-const reference argument shared.
asyncrt::task<int> shared_out(std::vector<int> &out) {
  auto a = co_await fill(out);
  auto b = co_await fill(out);
  co_return a + b;
}

// One pointer argument shared.
asyncrt::task<int> shared_pointer() {
  std::vector<int> out;
  auto a = co_await fill_ptr(&out);
  auto b = co_await fill_ptr(&out);
  co_return a + b;
}

// One receiver of non-const member calls.
asyncrt::task<int> shared_receiver(Db &db) {
  auto a = co_await db.query(1);
  auto b = co_await db.query(2);
  co_return a + b;
}

// One member object of `this`.
struct Service {
  Db db;
  asyncrt::task<int> fetch_a();
  asyncrt::task<int> fetch_b();
  asyncrt::task<int> through_member() {
    auto a = co_await db.query(1);
    auto b = co_await db.query(2);
    co_return a + b;
  }
  asyncrt::task<int> through_this() {
    auto a = co_await fetch_a();
    auto b = co_await fetch_b();
    co_return a + b;
  }
};

// One call mutates what the other reads.
asyncrt::task<int> mutate_then_read(std::vector<int> &out) {
  auto a = co_await fill(out);
  auto b = co_await fetch(static_cast<int>(out.size()));
  co_return a + b;
}

// Ordering primitives between the awaits.
asyncrt::task<int> sleep_between() {
  auto a = co_await fetch(1);
  co_await asyncrt::sleep_for(10ms);
  auto b = co_await fetch(2);
  co_return a + b;
}

asyncrt::task<int> semaphore_between(asyncrt::semaphore &sem) {
  auto a = co_await fetch(1);
  auto permit = co_await sem.acquire();
  auto b = co_await fetch(2);
  co_return a + b;
}

asyncrt::task<int> yield_between() {
  auto a = co_await fetch(1);
  co_await asyncrt::yield();
  auto b = co_await fetch(2);
  co_return a + b;
}

// Awaits in different branches.
asyncrt::task<int> branches(bool which) {
  int r = 0;
  if (which)
    r = co_await fetch(1);
  else
    r = co_await fetch(2);
  co_return r;
}

asyncrt::task<int> branch_then_await(bool which) {
  int r = 0;
  if (which) {
    r = co_await fetch(1);
  }
  auto b = co_await fetch(2);
  co_return r + b;
}

// Task objects created earlier: they are not calls awaited in sequence here.
asyncrt::task<int> task_objects() {
  auto t1 = fetch(1);
  auto t2 = fetch(2);
  auto a = co_await std::move(t1);
  auto b = co_await std::move(t2);
  co_return a + b;
}

// Already combined.
asyncrt::task<int> already_combined() {
  auto [a, b] = co_await asyncrt::when_all(fetch(1), fetch(2));
  auto [c, d] = co_await asyncrt::when_all(fetch(3), fetch(4));
  co_return a + b + c + d;
}

// Void awaits are ordered effects by default.
asyncrt::task<void> void_awaits() {
  co_await notify(1);
  co_await notify(2);
}

// Discarded results are effects too.
asyncrt::task<void> discarded_results() {
  co_await fetch(1);
  co_await fetch(2);
}

// A statement between reads the first result.
asyncrt::task<int> read_between() {
  auto a = co_await fetch(1);
  log_line(std::to_string(a));
  auto b = co_await fetch(2);
  co_return a + b;
}

// A statement between returns or throws.
asyncrt::task<int> return_between() {
  auto a = co_await fetch(1);
  if (a < 0)
    co_return a;
  auto b = co_await fetch(2);
  co_return a + b;
}

asyncrt::task<int> throw_between() {
  auto a = co_await fetch(1);
  if (a < 0)
    throw 1;
  auto b = co_await fetch(2);
  co_return a + b;
}

// A statement between changes what the first call read.
asyncrt::task<int> write_between(Config cfg) {
  auto a = co_await with_config(cfg);
  cfg.retries = 3;
  auto b = co_await fetch(1);
  co_return a + b;
}

// The await is only part of the statement.
asyncrt::task<int> partial_statement() {
  auto a = (co_await fetch(1)) + 1;
  auto b = co_await fetch(2);
  co_return a + b;
}

// Nested awaits in one statement.
asyncrt::task<int> nested_awaits() {
  auto a = co_await fetch(co_await fetch(1));
  auto b = co_await fetch(2);
  co_return a + b;
}

// A single await.
asyncrt::task<int> single() { co_return co_await fetch(1); }

// Static locals and awaits in conditions.
asyncrt::task<int> conditions() {
  if (co_await fetch(1))
    co_return 1;
  while (co_await fetch(2)) {
  }
  co_return 0;
}

// A template never instantiated.
template <typename T> asyncrt::task<T> never_instantiated(T x) {
  auto a = co_await fetch(x);
  auto b = co_await fetch(x + 1);
  co_return a + b;
}

// Loops whose iterations depend on each other.
asyncrt::task<int> pagination() {
  std::string token;
  int total = 0;
  while (true) {
    auto page = co_await fetch_page(token);
    total += static_cast<int>(page.items.size());
    if (page.last)
      break;
    token = page.next;
  }
  co_return total;
}

asyncrt::task<int> cursor_loop() {
  int cursor = 0;
  for (int i = 0; i < 10; ++i)
    cursor = co_await fetch(cursor);
  co_return cursor;
}

asyncrt::task<int> until_done() {
  bool done = false;
  int n = 0;
  while (!done) {
    auto page = co_await fetch_page("");
    done = page.last;
    ++n;
  }
  co_return n;
}

asyncrt::task<int> loop_with_break(const std::vector<int> &ids) {
  for (int id : ids)
    if (co_await fetch(id) > 0)
      break;
  co_return 0;
}

asyncrt::task<int> loop_shared_receiver(Db &db, const std::vector<int> &ids) {
  int total = 0;
  for (int id : ids)
    total += co_await db.query(id);
  co_return total;
}

asyncrt::task<int> loop_shared_out(std::vector<int> &out, int n) {
  for (int i = 0; i < n; ++i)
    co_await fill(out);
  co_return 0;
}

asyncrt::task<int> loop_two_awaits(const std::vector<int> &ids) {
  int total = 0;
  for (int id : ids) {
    total += co_await fetch(id);
    co_await asyncrt::sleep_for(1ms);
  }
  co_return total;
}

asyncrt::task<void> loop_void(const std::vector<int> &ids) {
  for (int id : ids)
    co_await notify(id);
}

asyncrt::task<int> loop_counter_by_reference(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i)
    total += co_await fetch_ref(i);
  co_return total;
}

asyncrt::task<int> loop_grows_range(std::vector<int> ids) {
  for (int id : ids)
    ids.push_back(co_await fetch(id));
  co_return 0;
}

asyncrt::task<int> loop_sleep() {
  for (int i = 0; i < 3; ++i)
    co_await asyncrt::sleep_for(1ms);
  co_return 0;
}

// The loop's coroutine is a lambda of its own.
asyncrt::task<int> loop_spawns_lambdas(const std::vector<int> &ids) {
  std::vector<asyncrt::task<int>> tasks;
  for (int id : ids)
    tasks.push_back([](int v) -> asyncrt::task<int> { co_return co_await fetch(v); }(id));
  auto all = co_await asyncrt::when_all(std::move(tasks));
  co_return static_cast<int>(all.size());
}

// Not a coroutine.
int plain_function() {
  int a = 1;
  int b = 2;
  return a + b;
}

// Fields: the later call reads the struct, the same field twice, the whole
// struct then a field, a field reached through a pointer or a reference, a
// member of the coroutine's object: all stay apart.
asyncrt::task<int> field_negatives(int id, DashboardView &shared, DashboardView *ptr) {
  std::size_t n = 0;
  {
    User pair;
    pair.id = co_await fetch(id);
    pair.name = co_await get_profile(pair.id);
    n += pair.name.size();
  }
  {
    DashboardView twice;
    twice.profile = co_await get_profile(1);
    twice.profile = co_await get_profile(2);
    n += twice.profile.size();
  }
  {
    User whole;
    whole = co_await fetch_user(3);
    whole.name = co_await get_profile(3);
    n += whole.name.size();
  }
  {
    shared.profile = co_await get_profile(4);
    shared.orders = co_await get_orders(4);
  }
  {
    ptr->profile = co_await get_profile(5);
    ptr->orders = co_await get_orders(5);
  }
  {
    DashboardView logged;
    logged.profile = co_await get_profile(6);
    std::string copy = logged.profile;
    logged.orders = co_await get_orders(6);
    n += copy.size() + logged.orders.size();
  }
  co_return static_cast<int>(n);
}
