// RUN: %check_corotidy %s async-blocking-call %t -- -- %asio_flags

#include <asio.hpp>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

using asio::ip::tcp;
using namespace std::chrono_literals;

// asio coroutines are flagged like any other; asyncrt's fix-its do not
// compile in them, so no fix is offered.

asio::awaitable<std::size_t> sync_socket(tcp::socket &sock) {
  char buf[16];
  std::size_t n = asio::read(sock, asio::buffer(buf));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'asio::read' blocks the thread (blocking socket I/O) inside coroutine 'sync_socket'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:19: note: alternative: the framework's async socket operations, or asyncrt::readable/writable on a non-blocking fd
  // CHECK-FIXES: {{^}}  std::size_t n = asio::read(sock, asio::buffer(buf));{{$}}
  asio::write(sock, asio::buffer(buf, n));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'asio::write' blocks the thread (blocking socket I/O) inside coroutine 'sync_socket'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  asio::write(sock, asio::buffer(buf, n));{{$}}
  n += sock.read_some(asio::buffer(buf));
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'asio::basic_stream_socket::read_some' blocks the thread (blocking socket I/O) inside coroutine 'sync_socket'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  n += sock.read_some(asio::buffer(buf));{{$}}
  co_return n;
}

asio::awaitable<void> sync_resolve(tcp::resolver &resolver) {
  auto endpoints = resolver.resolve("example.com", "443");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'asio::ip::basic_resolver::resolve' blocks the thread (a DNS lookup) inside coroutine 'sync_resolve'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:20: note: alternative: co_await asyncrt::to_thread(...), or the framework's async resolver
  // CHECK-FIXES: {{^}}  auto endpoints = resolver.resolve("example.com", "443");{{$}}
  (void)endpoints;
  co_return;
}

asio::awaitable<void> sleepy() {
  std::this_thread::sleep_for(50ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'sleepy'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::sleep_for(d): the loop runs other tasks meanwhile
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(50ms);{{$}}
  co_return;
}

asio::awaitable<void> runs_loop(asio::io_context &io) {
  io.run();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'asio::io_context::run' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'runs_loop'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: await the result instead (co_await), or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  io.run();{{$}}
  co_return;
}

// A short critical section (it ends before any suspension point): fine.
asio::awaitable<void> guarded(std::mutex &m) {
  std::lock_guard guard(m);
  co_return;
}

// Held across a co_await: the acquisition may wait for a suspended holder.
asio::awaitable<void> guarded_across(std::mutex &m, asio::steady_timer &t) {
  std::lock_guard guard(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the constructor of 'std::lock_guard' blocks the thread (a blocking lock) inside coroutine 'guarded_across', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:19: note: alternative: asyncrt::mutex (co_await m.lock()), or keep the critical section free of waits
  // CHECK-FIXES: {{^}}  std::lock_guard guard(m);{{$}}
  co_await t.async_wait(asio::use_awaitable);
}

struct Session {
  asio::awaitable<void> serve();
  FILE *log = nullptr;
};
asio::awaitable<void> Session::serve() {
  fputs("served\n", log);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::fputs' blocks the thread (file I/O) inside coroutine 'Session::serve'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::to_thread(...) on the blocking-I/O pool
  // CHECK-FIXES: {{^}}  fputs("served\n", log);{{$}}
  co_return;
}

template <class Stream> asio::awaitable<void> generic(Stream &s) {
  char buf[4];
  asio::read(s, asio::buffer(buf));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'asio::read' blocks the thread (blocking socket I/O) inside coroutine 'generic'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  asio::read(s, asio::buffer(buf));{{$}}
  std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'generic'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(1ms);{{$}}
  co_return;
}
template asio::awaitable<void> generic(tcp::socket &);

void log_line(const char *line) { std::fputs(line, stdout); }
asio::awaitable<void> transitive() {
  log_line("hello");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'log_line' blocks the thread (file I/O, via '::fputs') inside coroutine 'transitive'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:35: note: 'log_line' calls '::fputs' here
  // CHECK-FIXES: {{^}}  log_line("hello");{{$}}
  co_return;
}

#define WAIT_A_BIT() std::this_thread::sleep_for(5ms)
asio::awaitable<void> macro() {
  WAIT_A_BIT();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'macro'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  WAIT_A_BIT();{{$}}
  co_return;
}

asio::awaitable<int> coroutine_lambda() {
  auto child = []() -> asio::awaitable<int> {
    std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside a coroutine lambda; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}    std::this_thread::sleep_for(1ms);{{$}}
    co_return 1;
  };
  co_return co_await child();
}

// ---------------------------------------------------------------------------
// Negatives.

asio::awaitable<void> offloaded(asio::thread_pool &pool, tcp::socket &sock) {
  char buf[16];
  asio::post(pool, [&] { asio::read(sock, asio::buffer(buf)); });
  asio::post(pool, [] { std::this_thread::sleep_for(1s); });
  co_return;
}

asio::awaitable<std::size_t> async_ops(tcp::socket &sock) {
  char buf[16];
  std::size_t n = co_await asio::async_read(sock, asio::buffer(buf), asio::use_awaitable);
  n += co_await sock.async_read_some(asio::buffer(buf), asio::use_awaitable);
  asio::steady_timer timer(co_await asio::this_coro::executor, 10ms);
  co_await timer.async_wait(asio::use_awaitable);
  co_return n;
}

asio::awaitable<void> async_resolve(tcp::resolver &resolver) {
  auto endpoints = co_await resolver.async_resolve("example.com", "443", asio::use_awaitable);
  (void)endpoints;
}

void not_a_coroutine(tcp::socket &sock) {
  char buf[4];
  asio::read(sock, asio::buffer(buf));
}

asio::awaitable<void> unique_lock_tags(std::mutex &m) {
  std::unique_lock lock(m, std::try_to_lock);
  co_return;
}

asio::awaitable<void> spawns(asio::io_context &io) {
  asio::co_spawn(io, sleepy(), asio::detached);
  co_return;
}
