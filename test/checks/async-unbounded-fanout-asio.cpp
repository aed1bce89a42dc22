// RUN: %check_corotidy %s async-unbounded-fanout %t -- -- %asio_flags

#include <asio.hpp>
#include <vector>

asio::awaitable<void> session(int);
asio::awaitable<int> query(int);

void connect_all(asio::io_context &io, const std::vector<int> &peers) {
  for (int p : peers)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'peers', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    asio::co_spawn(io, session(p), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'co_spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
}

asio::awaitable<void> from_coroutine(std::size_t n) {
  auto ex = co_await asio::this_coro::executor;
  for (std::size_t i = 0; i < n; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'n', all at once
    asio::co_spawn(ex, query(static_cast<int>(i)), [](std::exception_ptr, int) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'co_spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
}

template <typename Executor>
void templated(Executor ex, std::vector<int> ids) {
  for (auto id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    asio::co_spawn(ex, [id]() -> asio::awaitable<void> { co_await session(id); }, asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency
}
template void templated(asio::any_io_executor, std::vector<int>);

struct Pool {
  asio::io_context &io;
  std::vector<int> members;
  void wake() {
    for (int m : members)
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: one task per element of 'members', all at once
      asio::co_spawn(io, session(m), asio::detached);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: task launched here
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: cap the concurrency
  }
};

// ===========================================================================
// Negatives.
// ===========================================================================

asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor &acceptor) {
  auto ex = co_await asio::this_coro::executor;
  for (;;) { // the classic server: one session per accepted connection
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    asio::co_spawn(ex, session(socket.native_handle()), asio::detached);
  }
}

asio::awaitable<void> one_at_a_time(std::vector<int> ids) {
  auto ex = co_await asio::this_coro::executor;
  for (int id : ids)
    co_await asio::co_spawn(ex, session(id), asio::use_awaitable);
  for (int i = 0; i < 4; ++i)
    asio::co_spawn(ex, session(i), asio::detached);
}

// One listener per command-line argument (asio's chat server): argc is a
// handful chosen by whoever runs the program, not a fan-out.
asio::awaitable<void> listener(unsigned short port);
int main(int argc, char *argv[]) {
  asio::io_context io;
  for (int i = 1; i < argc; ++i)
    asio::co_spawn(io, listener(static_cast<unsigned short>(i)),
                   [](std::exception_ptr) {});
  // ...but another count read at run time is still one.
  int n = argv[1][0];
  for (int i = 0; i < n; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'n', all at once: N iterations start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    asio::co_spawn(io, session(i), [](std::exception_ptr) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'co_spawn'
  io.run();
}
