// A chat server on standalone asio: accepts connections, relays messages
// between rooms, keeps per-room history.
#include <asio.hpp>
#include <asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using asio::awaitable;
using asio::detached;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace chat {

struct Profile {
  std::string nick;
};
struct History {
  std::vector<std::string> lines;
};

awaitable<Profile> lookup_profile(std::string token);
awaitable<History> load_history(std::string room);
awaitable<std::set<std::string>> room_members(std::string room);
awaitable<void> persist(std::string room, std::string line);
awaitable<bool> moderation_ok(std::string line);
awaitable<void> deliver(std::string member, std::string line);

class Room {
public:
  awaitable<void> post(std::string line) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      recent_.push_back(line);
      if (recent_.size() > 100)
        recent_.pop_front();
    }
    co_await persist(name_, line);
  }

  awaitable<void> post_slow(std::string line) {
    std::lock_guard<std::mutex> lock(mutex_);                     // expect: async-lock-across-await, async-blocking-call
    recent_.push_back(line);
    co_await persist(name_, line);
  }

  awaitable<void> broadcast(std::string line) {
    auto members = co_await room_members(name_);
    auto ex = co_await asio::this_coro::executor;
    for (const auto &m : members)                                 // expect: async-unbounded-fanout
      asio::co_spawn(ex, deliver(m, line), [](std::exception_ptr e) {
        if (e)
          std::cerr << "delivery failed\n";
      });
  }

  std::string name_;

private:
  std::mutex mutex_;
  std::deque<std::string> recent_;
};

awaitable<void> session(tcp::socket socket, std::shared_ptr<Room> room) {
  char data[1024];
  for (;;) {
    std::size_t n = co_await socket.async_read_some(asio::buffer(data), use_awaitable);
    std::string line(data, n);
    if (!co_await moderation_ok(line))
      continue;
    co_await room->post(line);
  }
}

awaitable<void> join(std::string token, std::string room_name) {
  auto profile = co_await lookup_profile(token);
  auto history = co_await load_history(room_name);                 // expect: async-sequential-await
  std::cout << profile.nick << " joined with " << history.lines.size() << " lines\n";
}

awaitable<void> join_concurrently(std::string token, std::string room_name) {
  using namespace asio::experimental::awaitable_operators;
  auto [profile, history] = co_await (lookup_profile(token) && load_history(room_name));
  std::cout << profile.nick << " joined with " << history.lines.size() << " lines\n";
}

awaitable<void> listener(tcp::acceptor acceptor, std::shared_ptr<Room> room) {
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), room), detached); // expect: async-dropped-exception
  }
}

awaitable<void> listener_blocking(tcp::acceptor &acceptor, std::shared_ptr<Room> room) {
  for (;;) {
    tcp::socket socket = acceptor.accept();                       // expect: async-blocking-call
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), room),
                   [](std::exception_ptr e) {
                     if (e)
                       std::rethrow_exception(e);
                   });
  }
  co_return;
}

awaitable<std::string> motd(tcp::socket &upstream) {
  asio::streambuf buf;
  asio::read_until(upstream, buf, '\n');                          // expect: async-blocking-call
  co_return std::string(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
}

awaitable<void> idle_kick(tcp::socket &socket) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(5min);
  co_await timer.async_wait(use_awaitable);
  socket.close();
}

awaitable<void> replay(std::vector<std::string> lines, std::string member) {
  for (const auto &l : lines)
    co_await deliver(member, l);
}

awaitable<void> announce(std::string room_name) {
  persist(room_name, "server restarting");                        // expect: async-unawaited-task
  std::this_thread::sleep_for(1s);                                // expect: async-blocking-call
  co_return;
}

} // namespace chat

int main() {
  asio::io_context io(1);
  auto room = std::make_shared<chat::Room>();
  room->name_ = "lobby";
  asio::co_spawn(io, chat::listener(tcp::acceptor(io, {tcp::v4(), 5555}), room),
                 [](std::exception_ptr e) {
                   if (e)
                     std::rethrow_exception(e);
                 });
  io.run();
}
