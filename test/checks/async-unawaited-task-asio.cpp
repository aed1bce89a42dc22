// RUN: %check_corotidy %s async-unawaited-task %t -- -- %asio_flags

// Against the real asio::awaitable (Debian libasio-dev). asio::awaitable is
// lazy and has no awaiter of its own: its promise's await_transform is what
// makes it awaitable, and that await_transform accepts nothing else.

#include <asio.hpp>
#include <asio/experimental/awaitable_operators.hpp>

#include "hometask.hpp"

#include <chrono>
#include <exception>
#include <utility>
#include <vector>

using namespace asio::experimental::awaitable_operators;

asio::awaitable<int> fetch(int);
asio::awaitable<void> ping();
home::Lazy<int> home_fetch(int);

class Session {
public:
  asio::awaitable<std::size_t> read_some();
  static asio::awaitable<Session> connect();

  asio::awaitable<void> serve() {
    read_some();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'read_some' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await read_some();{{$}}
    this->read_some();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'read_some' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await this->read_some();{{$}}
    Session::connect();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'connect' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await Session::connect();{{$}}
    co_return;
  }
};

//===--- Positives ------------------------------------------------------------===//

asio::awaitable<void> handler(Session *session) {
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(1);{{$}}
  session->read_some();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'read_some' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await session->read_some();{{$}}
  (void)ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  (void)co_await ping();{{$}}
  // The combined awaitable is a task too; the fix-it keeps both operands.
  ping() && ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'operator&&' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await (ping() && ping());{{$}}
  fetch(2) || fetch(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'operator||' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await (fetch(2) || fetch(3));{{$}}
  auto executor = co_await asio::this_coro::executor;
  asio::co_spawn(executor, ping(), asio::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'co_spawn' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await asio::co_spawn(executor, ping(), asio::use_awaitable);{{$}}
  asio::steady_timer timer(executor);
  timer.expires_after(std::chrono::milliseconds(5));
  timer.async_wait(asio::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'async_wait' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await timer.async_wait(asio::use_awaitable);{{$}}
  // asio's await_transform rejects a foreign task: no fix-it, a note.
  home_fetch(4);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'home_fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  home_fetch(4);{{$}}
  try {
    co_await ping();
  } catch (const std::exception &) {
    ping();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: co_await is not allowed in a catch handler: store the task and await it after the handler
    // CHECK-FIXES: {{^}}    ping();{{$}}
  }
  []() -> asio::awaitable<int> { co_return 7; }();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by the lambda is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await []() -> asio::awaitable<int> { co_return 7; }();{{$}}
  auto on_done = [](std::exception_ptr) { fetch(5); };
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:43: note: this function is not a coroutine
  asio::co_spawn(executor, ping(), on_done);
}

// asio::awaitable has no awaiter of its own: a home-made coroutine cannot
// co_await it, so no fix-it here either.
home::Lazy<void> home_coroutine() {
  ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  ping();{{$}}
  co_return;
}

void start(asio::io_context &io) {
  fetch(6);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine: return the task, or hand it to a task_group or spawn with an error handler
  asio::co_spawn(io, ping(), asio::detached);
}

template <typename T> asio::awaitable<T> load(T);

template <typename T> asio::awaitable<void> refresh(T key) {
  load(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'load' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await load(key);{{$}}
  ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await ping();{{$}}
  co_return;
}

template <typename T> struct Cache {
  asio::awaitable<T> get();
  asio::awaitable<void> warm() {
    get();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'get' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await get();{{$}}
    co_return;
  }
};

asio::awaitable<void> instantiate() {
  co_await refresh(1);
  co_await refresh(2L);
  co_await refresh('c');
  co_await Cache<int>().warm();
  co_await Cache<long>().warm();
}

#define PING() ping()
asio::awaitable<void> in_macro() {
  PING();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  PING();{{$}}
  co_return;
}

//===--- Negatives ------------------------------------------------------------===//

asio::awaitable<int> forward() { return fetch(1); }

void consume(asio::awaitable<int>);

asio::awaitable<int> negatives(asio::io_context &io) {
  int total = co_await fetch(1);
  auto pending = fetch(2);
  total += co_await std::move(pending);
  co_await (ping() && ping());
  auto both = fetch(3) && fetch(4);
  auto [a, b] = co_await std::move(both);
  auto executor = co_await asio::this_coro::executor;
  asio::co_spawn(executor, ping(), asio::detached);
  asio::co_spawn(io, fetch(5), [](std::exception_ptr, int) {});
  std::vector<asio::awaitable<void>> batch;
  batch.push_back(ping());
  batch.emplace_back(ping());
  consume(fetch(6));
  asio::steady_timer timer(executor);
  timer.expires_after(std::chrono::milliseconds(1));   // returns a count
  co_await timer.async_wait(asio::use_awaitable);
  asio::post(executor, [] {});                          // not a task
  using Type = decltype(fetch(7));
  co_return total + a + b;
}

asio::awaitable<void> returned_from_lambda() {
  auto make = [] { return ping(); };                    // returned
  co_await make();
}
