// fanout.cpp - fetches N records (default 10,000) from a small rate-limited service.
//
// The anti-pattern of async-unbounded-fanout: fetch_all() makes one task per id and
// hands them all to asyncrt::when_all, which starts them all at once: N connections,
// N reply buffers, for a service that handles 32 requests at a time anyway.
// `corotidy --fix` turns the call into asyncrt::when_all_bounded(..., 64).
//
// The service runs in a child process, so its sockets do not share our descriptor limit,
// on an ephemeral port of 127.0.0.1. It handles 32 requests at a time, 2 ms each, queues
// the rest, and exits after N replies.
//
// Prints the number of replies and their checksum on stdout (deterministic), and one line
// of measurements on stderr:
//   fanout: n=10000 peak_connections=... peak_rss_kib=... wall_ms=...
#include <asyncrt/io.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/when_all.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// What the service answers for a record id; the client checks it.
long record_value(long id) { return id * 7919 % 10007; }

[[noreturn]] void fail(const char *what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// ---------------------------------------------------------------------------------------
// The service: plain epoll, one thread, in the child process.

namespace service {

constexpr std::size_t kCapacity = 32;  // requests handled at once
constexpr auto kServiceTime = 2ms;     // per request
constexpr auto kGiveUpAfter = 120s;    // never outlive a stuck client

struct Job {
  Clock::time_point done;
  int fd;
};

// Serves `n` requests from `listener`, then writes the peak number of open connections
// to `report`.
void serve(int listener, int n, int report) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{EPOLLIN, {.fd = listener}};
  ::epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);

  std::vector<std::string> input;  // request bytes so far, by fd
  std::deque<int> queued;          // complete requests waiting for capacity
  std::deque<Job> running;         // in start order, so also in finish order
  int open = 0, peak = 0, served = 0;
  auto give_up = Clock::now() + kGiveUpAfter;

  while (served < n && Clock::now() < give_up) {
    auto now = Clock::now();
    while (!running.empty() && running.front().done <= now) {
      int fd = running.front().fd;
      running.pop_front();
      long id = std::atol(input[fd].c_str() + 4);  // "GET <id>\n"
      std::string reply = std::to_string(id) + " " + std::to_string(record_value(id)) + "\n";
      [[maybe_unused]] auto written = ::write(fd, reply.data(), reply.size());  // fits the socket buffer
      ::close(fd);
      --open;
      ++served;
    }
    while (running.size() < kCapacity && !queued.empty()) {
      running.push_back({now + kServiceTime, queued.front()});
      queued.pop_front();
    }

    int timeout_ms = 100;
    if (!running.empty())
      timeout_ms = static_cast<int>(
          std::chrono::ceil<std::chrono::milliseconds>(running.front().done - now).count());
    epoll_event events[256];
    int ready = ::epoll_wait(ep, events, 256, timeout_ms);
    for (int i = 0; i < ready; ++i) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        int client;
        while ((client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          peak = std::max(peak, ++open);
          if (static_cast<std::size_t>(client) >= input.size()) input.resize(client + 1);
          input[client].clear();
          epoll_event cev{EPOLLIN, {.fd = client}};
          ::epoll_ctl(ep, EPOLL_CTL_ADD, client, &cev);
        }
        continue;
      }
      char buf[64];
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) input[fd].append(buf, got);
      if (got > 0 && input[fd].find('\n') != std::string::npos) {
        ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        queued.push_back(fd);
      } else if (got == 0 || (got < 0 && errno != EAGAIN)) {
        ::close(fd);  // the client went away before asking
        --open;
      }
    }
  }
  dprintf(report, "%d\n", peak);
}

}  // namespace service

// ---------------------------------------------------------------------------------------
// The client: asyncrt coroutines on one event loop.

// Closes the descriptor on every way out of a request, exceptions included.
class Socket {
public:
  explicit Socket(int fd) noexcept : fd_(fd) {}
  Socket(Socket &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket &operator=(Socket &&) = delete;
  ~Socket() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int fd() const noexcept { return fd_; }

private:
  int fd_;
};

// A burst of connects can run out of descriptors or overflow the service's accept queue;
// both clear up as other requests finish, so they are retried after a pause.
bool worth_retrying(int err) {
  return err == EMFILE || err == ENFILE || err == ECONNREFUSED || err == ETIMEDOUT ||
         err == EAGAIN || err == ECONNRESET;
}

asyncrt::task<Socket> connect_to(sockaddr_in service) {
  for (int attempt = 1;; ++attempt) {
    int err = 0;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      err = errno;
    } else {
      Socket socket(fd);
      if (::connect(fd, reinterpret_cast<sockaddr *>(&service), sizeof service) == 0)
        co_return socket;
      err = errno;
      if (err == EINPROGRESS) {
        co_await asyncrt::writable(fd);
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err == 0)
          co_return socket;
      }
    }
    if (!worth_retrying(err) || attempt == 50)
      throw std::system_error(err, std::generic_category(), "connect");
    co_await asyncrt::sleep_for(attempt * 10ms);
  }
}

asyncrt::task<void> send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::write(fd, data.data(), data.size());
    if (sent >= 0)
      data.remove_prefix(static_cast<std::size_t>(sent));
    else if (errno == EAGAIN)
      co_await asyncrt::writable(fd);
    else
      fail("send");
  }
}

// Reads until the service closes the connection; returns the number of bytes read.
asyncrt::task<std::size_t> receive_all(int fd, std::vector<char> &buffer) {
  std::size_t size = 0;
  for (;;) {
    ssize_t got = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (got == 0)  // closed by the service, or the buffer is full
      co_return size;
    if (got > 0)
      size += static_cast<std::size_t>(got);
    else if (errno == EAGAIN)
      co_await asyncrt::readable(fd);
    else
      fail("receive");
  }
}

// One request: "GET <id>\n" answered by "<id> <value>\n".
asyncrt::task<long> fetch(sockaddr_in service, int id) {
  Socket socket = co_await connect_to(service);
  co_await send_all(socket.fd(), "GET " + std::to_string(id) + "\n");
  std::vector<char> reply(16 * 1024);  // a per-request reply buffer, as HTTP clients keep
  std::size_t size = co_await receive_all(socket.fd(), reply);
  std::string text(reply.data(), size);
  std::size_t space = text.find(' ');
  if (space == std::string::npos || std::atol(text.c_str()) != id)
    throw std::runtime_error("bad reply for id " + std::to_string(id) + ": '" + text + "'");
  co_return std::atol(text.c_str() + space + 1);
}

struct Summary {
  std::size_t replies = 0;
  long checksum = 0;
};

asyncrt::task<Summary> fetch_all(sockaddr_in service, std::vector<int> ids) {
  std::vector<asyncrt::task<long>> tasks;
  for (int id : ids)
    tasks.push_back(fetch(service, id));
  std::vector<long> values = co_await asyncrt::when_all(std::move(tasks));

  Summary summary{values.size(), 0};
  for (long value : values)
    summary.checksum = (summary.checksum * 31 + value) % 1000000007;
  co_return summary;
}

// ---------------------------------------------------------------------------------------

// Thousands of sockets need more descriptors than the usual soft limit of 1024.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  raise_descriptor_limit();

  // Listen before forking, so the service is ready as soon as we connect.
  sockaddr_in service{};
  service.sin_family = AF_INET;
  service.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof service;
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int report[2];
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&service), len) != 0 ||
      ::listen(listener, SOMAXCONN) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr *>(&service), &len) != 0 ||
      ::pipe(report) != 0) {
    std::perror("fanout: service");
    return 1;
  }

  pid_t child = ::fork();
  if (child < 0) {
    std::perror("fanout: fork");
    return 1;
  }
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // do not outlive the client
    ::close(report[0]);
    service::serve(listener, n, report[1]);
    ::_exit(0);
  }
  ::close(listener);
  ::close(report[1]);

  std::vector<int> ids;
  for (int id = 1; id <= n; ++id)
    ids.push_back(id);

  auto start = Clock::now();
  Summary summary;
  try {
    summary = asyncrt::run(fetch_all(service, std::move(ids)));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "fanout: %s\n", e.what());
    ::kill(child, SIGTERM);
    ::waitpid(child, nullptr, 0);
    return 1;
  }
  auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();

  int peak_connections = -1;
  if (FILE *from_service = ::fdopen(report[0], "r")) {
    if (std::fscanf(from_service, "%d", &peak_connections) != 1)
      peak_connections = -1;
    std::fclose(from_service);
  }
  ::waitpid(child, nullptr, 0);
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);

  std::printf("replies: %zu\nchecksum: %ld\n", summary.replies, summary.checksum);
  std::fprintf(stderr, "fanout: n=%d peak_connections=%d peak_rss_kib=%ld wall_ms=%lld\n", n,
               peak_connections, usage.ru_maxrss, static_cast<long long>(wall_ms));
  return 0;
}
