// RUN: %check_corotidy %s async-lock-across-await %t -- -- %asio_flags

#include <asio.hpp>

#include <list>
#include <map>
#include <mutex>
#include <string>

using asio::ip::tcp;

// asio coroutines on a multi-threaded io_context: a std::mutex held across
// co_await may be unlocked from another thread, and blocks every handler
// that takes it meanwhile.

struct Sessions {
  std::mutex mu;
  std::map<int, std::string> names;
};

asio::awaitable<void> greet(tcp::socket sock, Sessions &s, int id) {
  std::unique_lock lk(s.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock guard 'lk' keeps 's.mu' locked across 1 suspension point in coroutine 'greet'; {{.*}}
  std::string name = s.names[id];
  co_await asio::async_write(sock, asio::buffer(name), asio::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: co_await suspends here with 's.mu' locked
}

// Boost.Beast's cancellation_signals::slot() pattern: a short section in a
// helper, then the await: fine.
struct Signals {
  std::mutex mtx;
  std::list<asio::cancellation_signal> sigs;
  asio::cancellation_slot slot() {
    std::lock_guard<std::mutex> _(mtx);
    return sigs.emplace_back().slot();
  }
};

asio::awaitable<void> echo(tcp::socket sock, Sessions &s, Signals &sig, int id) {
  {
    std::lock_guard g(s.mu);
    s.names[id] = "anon";
  }
  auto slot = sig.slot();
  char data[64];
  std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);
  std::unique_lock lk(s.mu);
  s.names[id].assign(data, n);
  lk.unlock();
  co_await asio::async_write(sock, asio::buffer(data, n), asio::use_awaitable);
}

asio::awaitable<void> timers(asio::steady_timer &t, std::mutex &m) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: this lock keeps 'm' locked across 1 suspension point in coroutine 'timers'; {{.*}}
  co_await t.async_wait(asio::use_awaitable);
  m.unlock();
  m.lock();
  m.unlock();
  co_await t.async_wait(asio::use_awaitable);
}
