// RUN: %check_corotidy %s async-blocking-call %t

#include <asyncrt/io.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include "blocking-libs.hpp"
#include "hometask.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <future>
#include <mutex>
#include <netdb.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------
// Direct calls in asyncrt coroutines: flagged, with fix-its where safe.

asyncrt::task<int> naps() {
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'naps'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::sleep_for(d): the loop runs other tasks meanwhile
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(10ms);{{$}}
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::sleep' blocks the thread (sleeping the thread) inside coroutine 'naps'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(std::chrono::seconds(1));{{$}}
  usleep(500);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::usleep' blocks the thread (sleeping the thread) inside coroutine 'naps'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(std::chrono::microseconds(500));{{$}}
  unsigned left = sleep(2); // the value is used: no fix
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '::sleep' blocks the thread (sleeping the thread) inside coroutine 'naps'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  unsigned left = sleep(2); // the value is used: no fix{{$}}
  co_return static_cast<int>(left);
}

asyncrt::task<std::size_t> files(const char *path, char *buf) {
  FILE *f = fopen(path, "r");
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: '::fopen' blocks the thread (file I/O) inside coroutine 'files'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: alternative: co_await asyncrt::to_thread(...) on the blocking-I/O pool
  // CHECK-FIXES: {{^}}  FILE *f = co_await asyncrt::to_thread([&] { return fopen(path, "r"); });{{$}}
  std::size_t n = fread(buf, 1, 64, f);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '::fread' blocks the thread (file I/O) inside coroutine 'files'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::size_t n = co_await asyncrt::to_thread([&] { return fread(buf, 1, 64, f); });{{$}}
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::fclose' blocks the thread (file I/O) inside coroutine 'files'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return fclose(f); });{{$}}
  std::ifstream in(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: the constructor of 'std::basic_ifstream' blocks the thread (file I/O) inside coroutine 'files'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::ifstream in(path);{{$}}
  if (std::filesystem::exists(path))
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'std::filesystem::exists' blocks the thread (file I/O) inside coroutine 'files'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  if (std::filesystem::exists(path)){{$}}
    n += 1;
  co_return n;
}

asyncrt::task<int> processes_and_dns(addrinfo **out) {
  int rc = getaddrinfo("example.com", "443", nullptr, out);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '::getaddrinfo' blocks the thread (a DNS lookup) inside coroutine 'processes_and_dns'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: alternative: co_await asyncrt::to_thread(...), or the framework's async resolver
  // CHECK-FIXES: {{^}}  int rc = co_await asyncrt::to_thread([&] { return getaddrinfo("example.com", "443", nullptr, out); });{{$}}
  system("true");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::system' blocks the thread (process creation or waiting for a child) inside coroutine 'processes_and_dns'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return system("true"); });{{$}}
  FILE *p = popen("ls", "r");
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: '::popen' blocks the thread (process creation or waiting for a child) inside coroutine 'processes_and_dns'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  FILE *p = co_await asyncrt::to_thread([&] { return popen("ls", "r"); });{{$}}
  co_return rc + (p != nullptr);
}

asyncrt::task<int> waits(std::future<int> fut, std::thread &t, std::mutex &m,
                         std::condition_variable &cv) {
  fut.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::future::wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: await the result instead (co_await), or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return fut.wait(); });{{$}}
  int v = fut.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'std::future::get' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  int v = co_await asyncrt::to_thread([&] { return fut.get(); });{{$}}
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::thread::join' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return t.join(); });{{$}}
  std::unique_lock<std::mutex> lk(m); // a short critical section: see below
  cv.wait(lk);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::condition_variable::wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  cv.wait(lk);{{$}}
  co_return v;
}

// Locks: a critical section that ends before the next suspension point is
// how coroutines share state with threads, not a finding (see
// async-blocking-call-locks.cpp for the details and the option).
asyncrt::task<void> locks(std::mutex &m) {
  m.lock();
  m.unlock();
  std::lock_guard<std::mutex> guard(m);
  co_return;
}

// One held across a suspension point still blocks whoever takes it next.
asyncrt::task<void> long_section(std::mutex &m) {
  std::lock_guard<std::mutex> guard(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: the constructor of 'std::lock_guard' blocks the thread (a blocking lock) inside coroutine 'long_section', in a critical section not known to end before the next suspension point; while another task holds the mutex, every task on this executor thread stalls (a deadlock if the holder waits to resume on this thread) [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:31: note: alternative: asyncrt::mutex (co_await m.lock()), or keep the critical section free of waits
  // CHECK-FIXES: {{^}}  std::lock_guard<std::mutex> guard(m);{{$}}
  co_await asyncrt::sleep_for(1ms);
}

asyncrt::task<long> sockets(int fd, char *buf) {
  ssize_t n = recv(fd, buf, 16, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: '::recv' blocks the thread (blocking socket I/O) inside coroutine 'sockets'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: alternative: the framework's async socket operations, or asyncrt::readable/writable on a non-blocking fd
  // CHECK-FIXES: {{^}}  ssize_t n = co_await asyncrt::to_thread([&] { return recv(fd, buf, 16, 0); });{{$}}
  send(fd, buf, 16, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::send' blocks the thread (blocking socket I/O) inside coroutine 'sockets'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return send(fd, buf, 16, 0); });{{$}}
  co_return n;
}

asyncrt::task<int> clients(sqlite3 *db, PGconn *pg, CURL *curl, httplib::Client &cli) {
  sqlite3_exec(db, "select 1", nullptr, nullptr, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::sqlite3_exec' blocks the thread (a synchronous database call) inside coroutine 'clients'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: an async database client, or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return sqlite3_exec(db, "select 1", nullptr, nullptr, nullptr); });{{$}}
  PGresult *res = PQexec(pg, "select 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '::PQexec' blocks the thread (a synchronous database call) inside coroutine 'clients'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  PGresult *res = co_await asyncrt::to_thread([&] { return PQexec(pg, "select 1"); });{{$}}
  PQclear(res);
  CURLcode code = curl_easy_perform(curl);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '::curl_easy_perform' blocks the thread (a synchronous HTTP request) inside coroutine 'clients'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:19: note: alternative: an async HTTP client, or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  CURLcode code = co_await asyncrt::to_thread([&] { return curl_easy_perform(curl); });{{$}}
  auto r = cpr::Get(cpr::Url{"http://example.com"});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'cpr::Get' blocks the thread (a synchronous HTTP request) inside coroutine 'clients'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  auto r = co_await asyncrt::to_thread([&] { return cpr::Get(cpr::Url{"http://example.com"}); });{{$}}
  auto page = cli.Get("/");
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'httplib::Client::Get' blocks the thread (a synchronous HTTP request) inside coroutine 'clients'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  auto page = co_await asyncrt::to_thread([&] { return cli.Get("/"); });{{$}}
  co_return static_cast<int>(code) + static_cast<int>(r.status_code) + (page ? 1 : 0);
}

// No fix: inside a catch handler co_await is ill-formed.
asyncrt::task<void> in_handler() {
  try {
    co_await asyncrt::task<void>();
  } catch (...) {
    std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'in_handler'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}    std::this_thread::sleep_for(1ms);{{$}}
  }
}

// No fix inside a macro; the warning points at the expansion.
#define NAP() std::this_thread::sleep_for(1ms)
asyncrt::task<void> macro_nap() {
  NAP();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'macro_nap'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  NAP();{{$}}
  co_return;
}

// A template reports once, at the spelling.
template <class T> asyncrt::task<T> tmpl(T x) {
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '::sleep' blocks the thread (sleeping the thread) inside coroutine 'tmpl'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::sleep_for(std::chrono::seconds(1));{{$}}
  co_return x;
}
asyncrt::task<int> use_tmpl() {
  int a = co_await tmpl(1);
  long b = co_await tmpl(2L);
  co_return a + static_cast<int>(b);
}

struct Server {
  asyncrt::task<std::size_t> handle(char *buf);
  void flush();
  FILE *file = nullptr;
};
asyncrt::task<std::size_t> Server::handle(char *buf) {
  std::size_t n = fread(buf, 1, 8, file);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '::fread' blocks the thread (file I/O) inside coroutine 'Server::handle'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::size_t n = co_await asyncrt::to_thread([&] { return fread(buf, 1, 8, file); });{{$}}
  flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Server::flush' blocks the thread (file I/O, via '::fsync') inside coroutine 'Server::handle'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE+51]]:24: note: 'Server::flush' calls '::fsync' here
  // CHECK-FIXES: {{^}}  flush();{{$}}
  co_return n;
}

asyncrt::task<int> coroutine_lambda() {
  auto l = []() -> asyncrt::task<int> {
    sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: '::sleep' blocks the thread (sleeping the thread) inside a coroutine lambda; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}    co_await asyncrt::sleep_for(std::chrono::seconds(1));{{$}}
    co_return 1;
  };
  co_return co_await l();
}

// The home-made task type: flagged, never fixed.
home::Lazy<int> home_sleep() {
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks the thread (sleeping the thread) inside coroutine 'home_sleep'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(10ms);{{$}}
  co_return 1;
}

home::Lazy<int> home_read(int fd, char *buf) {
  ssize_t n = ::read(fd, buf, 4);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: '::read' blocks the thread (file I/O) inside coroutine 'home_read'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  ssize_t n = ::read(fd, buf, 4);{{$}}
  co_return static_cast<int>(n);
}

// ---------------------------------------------------------------------------
// Calls of TU-local functions that block, transitively.

std::string read_file(const char *path) {
  char buf[64] = {};
  FILE *f = fopen(path, "r");
  fread(buf, 1, sizeof buf - 1, f);
  return buf;
}

std::string load_config() { return read_file("/etc/app.conf"); }

asyncrt::task<std::size_t> startup() {
  std::string conf = load_config();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'load_config' blocks the thread (file I/O, via '::fopen') inside coroutine 'startup'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:36: note: 'load_config' calls 'read_file' here
  // CHECK-MESSAGES: :[[@LINE-11]]:13: note: 'read_file' calls '::fopen' here
  // CHECK-FIXES: {{^}}  std::string conf = co_await asyncrt::to_thread([&] { return load_config(); });{{$}}
  co_return conf.size();
}

void Server::flush() { fsync(fileno(file)); }

home::Lazy<int> local_lambda(char *buf, FILE *f) {
  auto read = [&] { return fread(buf, 1, 4, f); };
  std::size_t n = read();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the lambda blocks the thread (file I/O, via '::fread') inside coroutine 'local_lambda'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: the lambda calls '::fread' here
  // CHECK-FIXES: {{^}}  std::size_t n = read();{{$}}
  co_return static_cast<int>(n);
}

home::Lazy<int> immediately_invoked() {
  [] { sleep(1); }();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the lambda blocks the thread (sleeping the thread, via '::sleep') inside coroutine 'immediately_invoked'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:8: note: the lambda calls '::sleep' here
  // CHECK-FIXES: {{^}}  [] { sleep(1); }();{{$}}
  co_return 0;
}

struct Connection {
  Connection() { sqlite3_open("app.db", &db); }
  sqlite3 *db = nullptr;
};
asyncrt::task<bool> connect_db() {
  Connection c;
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the constructor of 'Connection' blocks the thread (a synchronous database call, via '::sqlite3_open') inside coroutine 'connect_db'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:18: note: the constructor of 'Connection' calls '::sqlite3_open' here
  // CHECK-FIXES: {{^}}  Connection c;{{$}}
  co_return c.db != nullptr;
}

template <class T> T slow_identity(T v) {
  std::this_thread::sleep_for(1ms);
  return v;
}
asyncrt::task<int> via_template() { co_return slow_identity(3); }
  // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'slow_identity' blocks the thread (sleeping the thread, via 'std::this_thread::sleep_for') inside coroutine 'via_template'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'slow_identity' calls 'std::this_thread::sleep_for' here
  // CHECK-FIXES: {{^}}asyncrt::task<int> via_template() { co_return slow_identity(3); }{{$}}

// Recursion that ends in a blocking call.
int countdown(int n) {
  if (n == 0)
    return static_cast<int>(sleep(1));
  return countdown(n - 1);
}
asyncrt::task<int> recursive() { co_return countdown(3); }
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'countdown' blocks the thread (sleeping the thread, via '::sleep') inside coroutine 'recursive'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:29: note: 'countdown' calls '::sleep' here
  // CHECK-FIXES: {{^}}asyncrt::task<int> recursive() { co_return countdown(3); }{{$}}

// ---------------------------------------------------------------------------
// Negatives: nothing below may be flagged.

void plain_function() { sleep(1); }

asyncrt::task<std::size_t> offloaded(char *buf, FILE *f) {
  std::size_t n = co_await asyncrt::to_thread([&] { return fread(buf, 1, 4, f); });
  co_await asyncrt::to_thread([] { std::this_thread::sleep_for(1ms); });
  co_return n;
}

asyncrt::task<void> lambda_never_called() {
  auto later = [] { sleep(1); };
  std::function<void()> stored = later;
  co_return;
}

asyncrt::task<bool> non_blocking_locks(std::mutex &m) {
  bool got = m.try_lock();
  std::unique_lock<std::mutex> deferred(m, std::defer_lock);
  std::unique_lock<std::mutex> tried(m, std::try_to_lock);
  std::unique_lock<std::mutex> moved(std::move(deferred));
  std::unique_lock<std::mutex> empty;
  std::ifstream not_open;
  co_return got;
}

asyncrt::task<void> adopted(std::mutex &m) {
  std::lock_guard<std::mutex> guard(m, std::adopt_lock);
  co_return;
}

asyncrt::task<void> async_sleep() { co_await asyncrt::sleep_for(10ms); }

namespace mine {
void sleep(int) {}
int fopen(const char *) { return 0; }
} // namespace mine
asyncrt::task<int> shadowing() {
  mine::sleep(1);
  co_return mine::fopen("x");
}

int add(int a, int b) { return a + b; }
int twice(int a) { return add(a, a); }
asyncrt::task<int> clean_helpers() { co_return twice(2); }

int ping(int n);
int pong(int n) { return n <= 0 ? 0 : ping(n - 1); }
int ping(int n) { return n <= 0 ? 1 : pong(n - 1); }
asyncrt::task<int> clean_recursion() { co_return ping(5); }

void opaque(); // declared, never defined: nothing to read
asyncrt::task<void> calls_opaque() {
  opaque();
  co_return;
}

struct Base {
  virtual ~Base() = default;
  virtual void work() { sleep(1); }
};
asyncrt::task<void> virtual_call(Base &b) {
  b.work(); // an override may not block: not followed
  co_return;
}

asyncrt::task<int> unevaluated() {
  using N = decltype(::read(0, nullptr, 0));
  constexpr bool nothrow = noexcept(::sleep(1));
  co_return static_cast<int>(sizeof(fread(nullptr, 1, 1, nullptr))) + N(nothrow);
}

asyncrt::task<void> local_class() {
  struct Local {
    static void nap() { sleep(1); }
  };
  co_return;
}

asyncrt::task<void> not_blocking(std::condition_variable &cv, std::thread &t) {
  cv.notify_one();
  t.detach();
  co_return;
}

std::function<void()> make_callback() {
  return [] { sleep(1); };
}
asyncrt::task<void> builds_callback() {
  auto cb = make_callback();
  co_return;
}

asyncrt::task<void> suppressed() {
  sleep(1); // NOLINT(async-blocking-call)
  co_return;
}

home::Lazy<int> home_clean(home::Event &e) {
  co_await e;
  co_return 0;
}

// An fd the coroutine drives through asyncrt::readable/writable is
// non-blocking: read/write/recv/connect on it return at once.
asyncrt::task<long> nonblocking_fd(int fd, char *buf) {
  long got = ::read(fd, buf, 64);
  if (got < 0)
    co_await asyncrt::readable(fd);
  long sent = ::send(fd, buf, 1, 0);
  if (sent < 0)
    co_await asyncrt::writable(fd);
  co_return got + sent;
}

// Only the fd that is awaited for readiness: another one still blocks.
asyncrt::task<long> other_fd(int ready, int plain, char *buf) {
  co_await asyncrt::readable(ready);
  long a = ::read(ready, buf, 1);
  long b = ::read(plain, buf, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '::read' blocks the thread (file I/O) inside coroutine 'other_fd'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: alternative:
  // CHECK-FIXES: {{^}}  long b = co_await asyncrt::to_thread([&] { return ::read(plain, buf, 1); });{{$}}
  co_return a + b;
}

// ---------------------------------------------------------------------------
// Zero timeouts poll: wait_for(0s) and wait_until(now()) return at once.

constexpr auto no_wait = std::chrono::milliseconds(0);
asyncrt::task<int> polls(std::future<int> fut, std::shared_future<int> shared,
                         std::mutex &m, std::condition_variable &cv, std::future<int> other) {
  int ready = 0;
  if (fut.wait_for(0s) == std::future_status::ready)
    ready += fut.get();
  ready += fut.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  ready += fut.wait_for(std::chrono::milliseconds{}) == std::future_status::ready;
  ready += fut.wait_for(std::chrono::seconds::zero()) == std::future_status::ready;
  ready += fut.wait_for(no_wait) == std::future_status::ready;
  ready += fut.wait_for(0.0s) == std::future_status::ready;
  ready += shared.wait_for(0ms) == std::future_status::ready;
  ready += fut.wait_until(std::chrono::steady_clock::now()) == std::future_status::ready;
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  ready += cv.wait_for(lk, 0s) == std::cv_status::no_timeout;
  // get() on a future just polled ready returns at once.
  if (fut.wait_for(0s) == std::future_status::ready) {
    ready += fut.get();
  }
  if (shared.wait_for(0ms) != std::future_status::ready)
    co_return ready;
  int now_ready = shared.get();
  // ... but not on another future, nor after a poll that may not have said ready.
  if (fut.wait_for(0s) == std::future_status::ready)
    ready += other.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'std::future::get' blocks the thread
  if (fut.wait_for(0s) != std::future_status::ready)
    ready += fut.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'std::future::get' blocks the thread
  // A real timeout blocks for up to that long.
  ready += fut.wait_for(5s) == std::future_status::ready;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'std::future::wait_for' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'polls'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  ready += fut.wait_for(5s) == std::future_status::ready;{{$}}
  ready += fut.wait_until(std::chrono::steady_clock::now() + 1s) == std::future_status::ready;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'std::future::wait_until' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'polls'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  ready += fut.wait_until(std::chrono::steady_clock::now() + 1s) == std::future_status::ready;{{$}}
  co_return ready + now_ready;
}

// ---------------------------------------------------------------------------
// Reads of a file stream the coroutine opened block like opening it: each
// one is flagged. String streams, std::cin and streams passed in are not.

asyncrt::task<std::size_t> stream_reads(std::string path) {
  std::ifstream in(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: the constructor of 'std::basic_ifstream' blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::ifstream in(path);{{$}}
  std::string header;
  std::getline(in, header);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::getline' on a file stream blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::getline(in, header);{{$}}
  int version = 0;
  in >> version;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'operator>>' on a file stream blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  in >> version;{{$}}
  char magic[4];
  in.read(magic, sizeof magic);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::basic_istream::read' on a file stream blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  in.read(magic, sizeof magic);{{$}}
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);)
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'std::getline' on a file stream blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
    ++lines;
  std::fstream journal;
  journal.open(path + ".journal");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::basic_fstream::open' blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return journal.open(path + ".journal"); });{{$}}
  std::string entry;
  journal >> entry;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'operator>>' on a file stream blocks the thread (file I/O) inside coroutine 'stream_reads'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  journal >> entry;{{$}}
  co_return lines + static_cast<std::size_t>(version) + entry.size();
}

asyncrt::task<std::size_t> stream_negatives(std::istream &given, std::string text) {
  std::istringstream parsed(text);
  std::string word;
  std::size_t n = 0;
  while (parsed >> word)
    ++n;
  std::getline(given, word); // a stream passed in: a socket buffer, a string?
  std::getline(std::cin, word);
  std::ofstream out("/tmp/log");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: the constructor of 'std::basic_ofstream' blocks the thread (file I/O) inside coroutine 'stream_negatives'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::ofstream out("/tmp/log");{{$}}
  out << word; // writes are buffered: not in FileStreamOperations by default
  co_return n;
}

// ---------------------------------------------------------------------------
// A blocking helper safe to run on another thread gets the to_thread fix-it:
// a free function or static member, parameters by value or const reference,
// no mutable global state, and only library, blocking or such helper calls.

std::vector<std::string> read_export(const std::string &path) {
  std::vector<std::string> rows;
  std::ifstream in(path);
  for (std::string row; std::getline(in, row);)
    rows.push_back(row);
  return rows;
}

void append_audit(std::string line) {
  FILE *f = fopen("/var/log/audit", "a");
  fputs(line.c_str(), f);
  fclose(f);
}

struct Exporter {
  static std::size_t count_rows(const std::string &path) { return read_export(path).size(); }
  std::size_t rows_seen = 0;
  std::size_t count_and_remember(const std::string &path) {
    return rows_seen = read_export(path).size();
  }
};

int exports_done = 0;
std::vector<std::string> read_and_count(const std::string &path) {
  ++exports_done;
  return read_export(path);
}

void read_into(const std::string &path, std::vector<std::string> &out) {
  out = read_export(path);
}

std::size_t nap_then_count(const std::string &s) {
  std::this_thread::sleep_for(1ms);
  return s.size();
}

asyncrt::task<std::size_t> export_report(std::string path) {
  auto rows = read_export(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'read_export' blocks the thread (file I/O, via the constructor of 'std::basic_ifstream') inside coroutine 'export_report'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-38]]:17: note: 'read_export' calls the constructor of 'std::basic_ifstream' here
  // CHECK-FIXES: {{^}}  auto rows = co_await asyncrt::to_thread([&] { return read_export(path); });{{$}}
  append_audit("exported " + path);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'append_audit' blocks the thread (file I/O, via '::fopen') inside coroutine 'export_report'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-35]]:13: note: 'append_audit' calls '::fopen' here
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return append_audit("exported " + path); });{{$}}
  std::size_t n = Exporter::count_rows(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'Exporter::count_rows' blocks the thread (file I/O, via the constructor of 'std::basic_ifstream') inside coroutine 'export_report'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-FIXES: {{^}}  std::size_t n = co_await asyncrt::to_thread([&] { return Exporter::count_rows(path); });{{$}}
  co_return rows.size() + n;
}

// No fix-it: the helper touches a global, writes through a reference, is a
// member, sleeps (sleep has no to_thread fix), or its value is used in place.
asyncrt::task<std::size_t> export_unsafe(std::string path, Exporter &e) {
  auto a = read_and_count(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'read_and_count' blocks the thread
  // CHECK-FIXES: {{^}}  auto a = read_and_count(path);{{$}}
  std::vector<std::string> b;
  read_into(path, b);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'read_into' blocks the thread
  // CHECK-FIXES: {{^}}  read_into(path, b);{{$}}
  std::size_t c = e.count_and_remember(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'Exporter::count_and_remember' blocks the thread
  // CHECK-FIXES: {{^}}  std::size_t c = e.count_and_remember(path);{{$}}
  std::size_t d = nap_then_count(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'nap_then_count' blocks the thread
  // CHECK-FIXES: {{^}}  std::size_t d = nap_then_count(path);{{$}}
  co_return a.size() + b.size() + c + d + read_export(path).size();
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'read_export' blocks the thread
  // CHECK-FIXES: {{^}}  co_return a.size() + b.size() + c + d + read_export(path).size();{{$}}
}
