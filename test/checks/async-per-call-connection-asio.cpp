// RUN: %check_corotidy %s async-per-call-connection %t -- -- %asio_flags

#include <asio.hpp>

#include <string>
#include <vector>

using asio::ip::tcp;

// A resolve plus a connect per request: the resolver counts only together
// with a connect (WithCalls in rules/connections.yaml).

struct Request {
  std::string host;
};

asio::awaitable<std::size_t> forward(const Request &req, std::string body) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'asio::ip::basic_resolver' (a DNS lookup and a new TCP connection) is created and dropped on every call of coroutine 'forward', which runs once per request; {{.*}}
  auto endpoints = co_await resolver.async_resolve(req.host, "80", asio::use_awaitable);
  tcp::socket sock(ex);
  co_await asio::async_connect(sock, endpoints, asio::use_awaitable);
  co_return co_await asio::async_write(sock, asio::buffer(body), asio::use_awaitable);
}

// Per element of a loop (the accept loop spawns one per connection).
asio::awaitable<void> upstream(tcp::socket client) {
  auto ex = client.get_executor();
  tcp::resolver resolver(ex);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'asio::ip::basic_resolver' (a DNS lookup and a new TCP connection) is created and dropped on every call of coroutine 'upstream', which runs once per loop iteration; {{.*}}
  tcp::socket server(ex);
  co_await asio::async_connect(server, co_await resolver.async_resolve("backend", "80", asio::use_awaitable),
                               asio::use_awaitable);
}
asio::awaitable<void> listen(tcp::acceptor &acceptor) {
  for (;;) {
    tcp::socket sock = co_await acceptor.async_accept(asio::use_awaitable);
    asio::co_spawn(acceptor.get_executor(), upstream(std::move(sock)), asio::detached);
    // CHECK-MESSAGES: :[[@LINE-1]]:45: note: called in a loop here
  }
}

// Negatives: a resolver that only resolves (no connect), and a client
// session made once in main (Beast's http_client_awaitable shape).
asio::awaitable<std::string> lookup(const Request &req) {
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto results = co_await resolver.async_resolve(req.host, "80", asio::use_awaitable);
  co_return results.begin()->host_name();
}

asio::awaitable<void> do_session(std::string host) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  tcp::socket sock(ex);
  co_await asio::async_connect(sock, co_await resolver.async_resolve(host, "80", asio::use_awaitable),
                               asio::use_awaitable);
}

int main() {
  asio::io_context io;
  asio::co_spawn(io, do_session("example.com"), asio::detached);
  io.run();
}
