// RUN: %check_corotidy %s async-dropped-exception %t -- -- %asio_flags

#include <asio.hpp>
#include <cstdio>

asio::awaitable<void> session(int);
asio::awaitable<int> compute(int);

void plain(asio::io_context &io) {
  asio::co_spawn(io, session(1), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached: 'asio::detached' discards its exception, so a failure vanishes silently [async-dropped-exception]
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, session(1), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  asio::co_spawn(io.get_executor(), session(2), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}  asio::co_spawn(io.get_executor(), session(2), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

void with_value(asio::io_context &io) {
  // The handler of an awaitable<int> also takes the int: no fix-it, a note.
  asio::co_spawn(io, compute(1), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: pass a completion handler that takes the std::exception_ptr (and the result, if there is one) and rethrows or reports it
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, compute(1), asio::detached);{{$}}
}

void lambda_coroutine(asio::io_context &io) {
  asio::co_spawn(io, []() -> asio::awaitable<void> { co_return; }, asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, []() -> asio::awaitable<void> { co_return; }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

asio::awaitable<void> listener() {
  auto ex = co_await asio::this_coro::executor;
  for (int i = 0; i < 3; ++i)
    asio::co_spawn(ex, session(i), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}    asio::co_spawn(ex, session(i), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}

template <typename Executor> void in_template(Executor ex) {
  asio::co_spawn(ex, session(7), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}  asio::co_spawn(ex, session(7), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}
template void in_template(asio::io_context::executor_type);
template void in_template(asio::any_io_executor);

struct Server {
  asio::io_context &io;
  void accept(int fd) {
    asio::co_spawn(io, session(fd), asio::detached_t{});
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_spawn' launches the coroutine detached: 'asio::detached_t{}' discards
    // CHECK-FIXES: {{^}}    asio::co_spawn(io, session(fd), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  }
};

#define DETACH(io, aw) asio::co_spawn(io, aw, asio::detached)
void in_macro(asio::io_context &io) {
  DETACH(io, session(9));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached: 'asio::detached' discards
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: pass a completion handler
  // CHECK-FIXES: {{^}}  DETACH(io, session(9));{{$}}
}

// A handler that never reads its std::exception_ptr loses the error like
// asio::detached does.
void ignore_it(std::exception_ptr) {}
asio::awaitable<void> ignoring(asio::io_context &io) {
  asio::co_spawn(io, session(1), [](std::exception_ptr) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'co_spawn' never reads its std::exception_ptr: a failure vanishes silently, as with a detached launch [async-dropped-exception]
  // CHECK-MESSAGES: :[[@LINE-2]]:34: note: rethrow or report the exception here (or catch inside the task)
  asio::co_spawn(io, compute(2), [](std::exception_ptr, int) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'co_spawn' never reads its std::exception_ptr
  asio::co_spawn(io, session(3), [](std::exception_ptr e) { std::puts("done"); });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'co_spawn' never reads its std::exception_ptr
  asio::co_spawn(io, session(4), [](auto) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'co_spawn' never reads its std::exception_ptr
  asio::co_spawn(io, session(5), ignore_it);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the error handler passed to 'co_spawn' never reads its std::exception_ptr
  co_return;
}

// ===========================================================================
// Negatives.
// ===========================================================================

void on_done(std::exception_ptr);

asio::awaitable<void> handled(asio::io_context &io) {
  asio::co_spawn(io, session(1), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  asio::co_spawn(io, session(2), on_done);
  asio::co_spawn(io, compute(3), [](std::exception_ptr e, int) { if (e) on_done(e); });
  asio::co_spawn(io, session(4), [&](std::exception_ptr e) { on_done(e); });
  asio::co_spawn(io, session(5), [](auto e) { if (e) std::rethrow_exception(e); });
  auto f = asio::co_spawn(io, compute(5), asio::use_future);
  co_await asio::co_spawn(io, session(6), asio::use_awaitable);
  int v = co_await asio::co_spawn(io, compute(7), asio::use_awaitable);
  (void)v;
  f.get();
}

// A launched coroutine whose whole body is a try with a catch-everything
// handler loses nothing: its exceptions never reach the detached token.
asio::awaitable<void> guarded(int n) {
  try {
    co_await session(n);
  } catch (const std::exception &e) {
    (void)e;
  }
}
asio::awaitable<void> guarded_all(int n) {
  try {
    co_await session(n);
  } catch (...) {
  }
}
struct chat_session {
  asio::awaitable<void> reader() {
    try {
      co_await session(0);
    } catch (std::exception &) {
    }
  }
  void start(asio::io_context &io) {
    // Forwarding lambdas, as asio's chat server spawns its readers.
    asio::co_spawn(io, [this] { return reader(); }, asio::detached);
  }
};
void launches_guarded(asio::io_context &io) {
  asio::co_spawn(io, guarded(1), asio::detached);
  asio::co_spawn(io, guarded_all(2), asio::detached);
}

// ...but not when a handler rethrows, catches a narrower type, or the try
// leaves statements outside it.
asio::awaitable<void> rethrows(int n) {
  try {
    co_await session(n);
  } catch (const std::exception &) {
    throw;
  }
}
asio::awaitable<void> narrow(int n) {
  try {
    co_await session(n);
  } catch (const std::runtime_error &) {
  }
}
asio::awaitable<void> partly(int n) {
  co_await session(n);
  try {
    co_await session(n + 1);
  } catch (...) {
  }
}
void launches_unguarded(asio::io_context &io) {
  asio::co_spawn(io, rethrows(1), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached: 'asio::detached' discards its exception, so a failure vanishes silently [async-dropped-exception]
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, rethrows(1), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  asio::co_spawn(io, narrow(2), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, narrow(2), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
  asio::co_spawn(io, partly(3), asio::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_spawn' launches the coroutine detached
  // CHECK-FIXES: {{^}}  asio::co_spawn(io, partly(3), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });{{$}}
}
