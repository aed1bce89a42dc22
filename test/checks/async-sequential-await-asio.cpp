// RUN: %check_corotidy %s async-sequential-await %t -- -- %asio_flags

#include <asio.hpp>

#include <string>

asio::awaitable<int> fetch(int id);
asio::awaitable<std::string> name_of(int id);
asio::awaitable<void> ping(int id);

// The dashboard on asio: awaitable operators, their header and using-directive.
asio::awaitable<int> dashboard(int id) {
  auto count = co_await fetch(id);
  auto name = co_await name_of(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  // CHECK-FIXES: #include <asio/experimental/awaitable_operators.hpp>
  // CHECK-FIXES: {{^}}  using namespace asio::experimental::awaitable_operators;{{$}}
  // CHECK-FIXES-NEXT: {{^}}  auto [count, name] = co_await (fetch(id) && name_of(id));{{$}}
  co_return count + static_cast<int>(name.size());
}

asio::awaitable<int> assign_three() {
  int a = 0, b = 0, c = 0;
  a = co_await fetch(1);
  b = co_await fetch(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 3 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  c = co_await fetch(3);
  // CHECK-FIXES: {{^}}  std::tie(a, b, c) = co_await (fetch(1) && fetch(2) && fetch(3));{{$}}
  co_return a + b + c;
}

// Two different sockets.
asio::awaitable<std::size_t> two_sockets(asio::ip::tcp::socket &s1,
                                         asio::ip::tcp::socket &s2, char *b1,
                                         char *b2) {
  auto n1 = co_await s1.async_read_some(asio::buffer(b1, 16), asio::use_awaitable);
  auto n2 = co_await s2.async_read_some(asio::buffer(b2, 16), asio::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 2 independent awaits run one after another; their latencies add up — when_all waits only for the slowest [async-sequential-await]
  co_return n1 + n2;
}

// Negatives: a timer orders, one socket is shared, results feed each other,
// void awaits are effects.
asio::awaitable<int> timer_between(asio::steady_timer &timer) {
  auto a = co_await fetch(1);
  co_await timer.async_wait(asio::use_awaitable);
  auto b = co_await fetch(2);
  co_return a + b;
}

asio::awaitable<std::size_t> one_socket(asio::ip::tcp::socket &s, char *b1, char *b2) {
  auto n1 = co_await s.async_read_some(asio::buffer(b1, 16), asio::use_awaitable);
  auto n2 = co_await s.async_read_some(asio::buffer(b2, 16), asio::use_awaitable);
  co_return n1 + n2;
}

asio::awaitable<int> chained() {
  auto a = co_await fetch(1);
  auto b = co_await fetch(a);
  co_return b;
}

asio::awaitable<void> pings() {
  co_await ping(1);
  co_await ping(2);
}

asio::awaitable<int> executor_between() {
  auto a = co_await fetch(1);
  auto ex = co_await asio::this_coro::executor;
  auto b = co_await fetch(2);
  (void)ex;
  co_return a + b;
}
