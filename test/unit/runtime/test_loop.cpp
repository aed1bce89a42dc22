// The event loop: timers (order, minimum delay), yield, fd readiness on pipes and sockets.
#include <asyncrt/io.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using asyncrt::task;
using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

namespace {

TEST(Sleep, WaitsAtLeastTheDuration) {
    auto body = []() -> task<clk::duration> {
        auto start = clk::now();
        co_await asyncrt::sleep_for(20ms);
        co_return clk::now() - start;
    };
    EXPECT_GE(asyncrt::run(body()), 20ms);
}

TEST(Sleep, AcceptsAnyChronoDuration) {
    auto body = []() -> task<clk::duration> {
        auto start = clk::now();
        co_await asyncrt::sleep_for(std::chrono::microseconds(1500));
        co_await asyncrt::sleep_for(std::chrono::duration<double, std::milli>(2.5));
        co_await asyncrt::sleep_for(std::chrono::seconds(0));
        co_await asyncrt::sleep_for(-5ms);  // negative: behaves like a yield
        co_return clk::now() - start;
    };
    EXPECT_GE(asyncrt::run(body()), 4000us);
}

TEST(Sleep, SleepUntilSteadyAndSystemClock) {
    auto body = []() -> task<void> {
        auto target = clk::now() + 15ms;
        co_await asyncrt::sleep_until(target);
        EXPECT_GE(clk::now(), target);
        auto sys_start = clk::now();
        co_await asyncrt::sleep_until(std::chrono::system_clock::now() + 10ms);
        EXPECT_GE(clk::now() - sys_start, 10ms);
        co_await asyncrt::sleep_until(clk::now() - 1s);  // in the past: completes at once
    };
    asyncrt::run(body());
}

TEST(Sleep, TimersFireInDeadlineOrder) {
    std::vector<int> fired;
    const auto base = clk::now();  // one base: a stalled machine cannot reorder deadlines
    auto sleeper = [&](int id, std::chrono::milliseconds d) -> task<void> {
        co_await asyncrt::sleep_until(base + d);
        fired.push_back(id);
    };
    auto body = [&]() -> task<void> {
        // Started in an order unrelated to the deadlines.
        co_await asyncrt::when_all(sleeper(3, 30ms), sleeper(1, 10ms), sleeper(4, 40ms), sleeper(2, 20ms),
                                   sleeper(0, 0ms));
    };
    asyncrt::run(body());
    EXPECT_EQ(fired, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Sleep, EqualDeadlinesFireInFifoOrder) {
    std::vector<int> fired;
    auto sleeper = [&](int id, clk::time_point tp) -> task<void> {
        co_await asyncrt::sleep_until(tp);
        fired.push_back(id);
    };
    auto body = [&]() -> task<void> {
        auto tp = clk::now() + 5ms;
        std::vector<task<void>> ts;
        for (int i = 0; i < 10; ++i) ts.push_back(sleeper(i, tp));
        co_await asyncrt::when_all(std::move(ts));
    };
    asyncrt::run(body());
    EXPECT_EQ(fired, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Sleep, ConcurrentSleepsOverlap) {
    // Ten 30 ms sleeps under when_all: the loop keeps all timers at once. Only a lower
    // bound is asserted; the point is that every sleeper completes.
    int done = 0;
    auto sleeper = [&]() -> task<void> {
        co_await asyncrt::sleep_for(30ms);
        ++done;
    };
    auto body = [&]() -> task<clk::duration> {
        auto start = clk::now();
        std::vector<task<void>> ts;
        for (int i = 0; i < 10; ++i) ts.push_back(sleeper());
        co_await asyncrt::when_all(std::move(ts));
        co_return clk::now() - start;
    };
    EXPECT_GE(asyncrt::run(body()), 30ms);
    EXPECT_EQ(done, 10);
}

TEST(Sleep, OutsideALoopThrows) {
    // A task resumed on a plain thread (no run()) cannot sleep: the error reaches the awaiter.
    auto body = []() -> task<bool> {
        try {
            co_await asyncrt::sleep_for(1ms);
        } catch (const std::logic_error&) {
            co_return true;
        }
        co_return false;
    };
    auto t = body();
    bool result = false;
    auto driver = [&]() -> task<void> { result = co_await std::move(t); };
    // Drive without run(): resume the lazy task by hand through a when_all-free path.
    auto d = driver();
    auto h = asyncrt::detail::task_access::handle(d);
    h.resume();
    ASSERT_TRUE(h.done());
    EXPECT_TRUE(result);
}

TEST(Yield, LetsOtherReadyTasksRunFirst) {
    std::vector<std::string> log;
    auto a = [&]() -> task<void> {
        log.push_back("a1");
        co_await asyncrt::yield();
        log.push_back("a2");
    };
    auto b = [&]() -> task<void> {
        log.push_back("b1");
        co_await asyncrt::yield();
        log.push_back("b2");
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(a(), b()); };
    asyncrt::run(body());
    EXPECT_EQ(log, (std::vector<std::string>{"a1", "b1", "a2", "b2"}));
}

struct fd_pair {
    int fds[2] = {-1, -1};
    ~fd_pair() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
};

task<std::string> read_some(int fd) {
    co_await asyncrt::readable(fd);
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) throw std::system_error(errno, std::generic_category(), "read");
    co_return std::string(buf, static_cast<std::size_t>(n));
}

TEST(Io, ReadableOnPipeWaitsForTheWriter) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    std::vector<std::string> log;
    auto reader = [&]() -> task<std::string> {
        log.push_back("reader waits");
        auto s = co_await read_some(p.fds[0]);
        log.push_back("reader got " + s);
        co_return s;
    };
    auto writer = [&]() -> task<void> {
        co_await asyncrt::sleep_for(10ms);
        log.push_back("writer writes");
        EXPECT_EQ(::write(p.fds[1], "ping", 4), 4);
    };
    auto body = [&]() -> task<std::string> {
        auto [s, unused] = co_await asyncrt::when_all(reader(), writer());
        (void)unused;
        co_return s;
    };
    EXPECT_EQ(asyncrt::run(body()), "ping");
    EXPECT_EQ(log, (std::vector<std::string>{"reader waits", "writer writes", "reader got ping"}));
}

TEST(Io, ReadableFromAnotherThreadsWrite) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    std::thread writer([&] {
        std::this_thread::sleep_for(5ms);
        EXPECT_EQ(::write(p.fds[1], "x", 1), 1);
    });
    EXPECT_EQ(asyncrt::run(read_some(p.fds[0])), "x");
    writer.join();
}

TEST(Io, ReadableReportsHangUp) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    ::close(p.fds[1]);
    p.fds[1] = -1;
    auto body = [&]() -> task<std::uint32_t> { co_return co_await asyncrt::readable(p.fds[0]); };
    auto events = asyncrt::run(body());
    EXPECT_TRUE(events & EPOLLHUP);
}

TEST(Io, WritableOnFullPipeWaitsForTheReader) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    // Fill the pipe until write would block.
    std::string chunk(4096, 'z');
    std::size_t filled = 0;
    for (;;) {
        ssize_t n = ::write(p.fds[1], chunk.data(), chunk.size());
        if (n < 0) {
            ASSERT_EQ(errno, EAGAIN);
            break;
        }
        filled += static_cast<std::size_t>(n);
    }
    ASSERT_GT(filled, 0u);
    std::vector<std::string> log;
    auto writer = [&]() -> task<void> {
        log.push_back("writer waits");
        co_await asyncrt::writable(p.fds[1]);
        log.push_back("writer writable");
        EXPECT_GT(::write(p.fds[1], "y", 1), 0);
    };
    auto drainer = [&]() -> task<void> {
        co_await asyncrt::sleep_for(10ms);
        log.push_back("drain");
        std::string buf(65536, '\0');
        while (::read(p.fds[0], buf.data(), buf.size()) > 0) {
        }
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(writer(), drainer()); };
    asyncrt::run(body());
    EXPECT_EQ(log, (std::vector<std::string>{"writer waits", "drain", "writer writable"}));
}

TEST(Io, SocketpairPingPongWithReaderAndWriterOnOneFd) {
    fd_pair s;
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s.fds), 0);
    constexpr int rounds = 50;
    auto ping = [&]() -> task<int> {
        int ok = 0;
        for (int i = 0; i < rounds; ++i) {
            co_await asyncrt::writable(s.fds[0]);
            std::string msg = std::to_string(i);
            EXPECT_EQ(::write(s.fds[0], msg.data(), msg.size()), static_cast<ssize_t>(msg.size()));
            auto reply = co_await read_some(s.fds[0]);
            if (reply == "ack" + msg) ++ok;
        }
        co_return ok;
    };
    auto pong = [&]() -> task<void> {
        for (int i = 0; i < rounds; ++i) {
            auto msg = co_await read_some(s.fds[1]);
            co_await asyncrt::writable(s.fds[1]);
            std::string reply = "ack" + msg;
            EXPECT_EQ(::write(s.fds[1], reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
        }
    };
    auto body = [&]() -> task<int> {
        auto [ok, unused] = co_await asyncrt::when_all(ping(), pong());
        (void)unused;
        co_return ok;
    };
    EXPECT_EQ(asyncrt::run(body()), rounds);
}

TEST(Io, ReaderAndWriterWaitOnTheSameSocketAtOnce) {
    fd_pair s;
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s.fds), 0);
    auto body = [&]() -> task<std::string> {
        auto reader = read_some(s.fds[0]);  // waits: nothing to read yet
        auto writer = [&]() -> task<void> {
            co_await asyncrt::writable(s.fds[0]);  // immediately writable, same fd
            co_await asyncrt::writable(s.fds[1]);
            EXPECT_EQ(::write(s.fds[1], "hi", 2), 2);
        };
        auto [got, unused] = co_await asyncrt::when_all(std::move(reader), writer());
        (void)unused;
        co_return got;
    };
    EXPECT_EQ(asyncrt::run(body()), "hi");
}

TEST(Io, TwoReadersOnOneFdIsAnError) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    auto second = [&]() -> task<bool> {
        try {
            co_await asyncrt::readable(p.fds[0]);
        } catch (const std::logic_error&) {
            EXPECT_EQ(::write(p.fds[1], "!", 1), 1);  // release the first reader
            co_return true;
        }
        co_return false;
    };
    auto body = [&]() -> task<bool> {
        auto [first, rejected] = co_await asyncrt::when_all(read_some(p.fds[0]), second());
        EXPECT_EQ(first, "!");
        co_return rejected;
    };
    EXPECT_TRUE(asyncrt::run(body()));
}

// A loop whose idle spins are answered by a pool skips epoll only while no fd is
// registered: with one registered, the ready fd is seen after the first round trip.
TEST(Io, ReadyFdIsSeenWhileRoundTripsToAPoolKeepTheLoopBusy) {
    fd_pair p;
    ASSERT_EQ(::pipe2(p.fds, O_NONBLOCK | O_CLOEXEC), 0);
    ASSERT_EQ(::write(p.fds[1], "x", 1), 1);
    asyncrt::thread_pool pool{1};
    bool seen = false;
    int trips = 0;
    auto reader = [&]() -> task<void> {
        co_await asyncrt::readable(p.fds[0]);
        seen = true;
    };
    auto busy = [&]() -> task<void> {
        while (!seen && trips < 10'000) {
            co_await asyncrt::offload(pool, [] {});
            ++trips;
        }
    };
    auto body = [&]() -> task<void> { co_await asyncrt::when_all(reader(), busy()); };
    asyncrt::run(body());
    EXPECT_TRUE(seen);
    EXPECT_LE(trips, 3);
}

TEST(Io, RegularFileIsAlwaysReady) {
    char path[] = "/tmp/asyncrt_io_XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::unlink(path);
    auto body = [&]() -> task<void> {
        co_await asyncrt::readable(fd);
        co_await asyncrt::writable(fd);
    };
    asyncrt::run(body());
    ::close(fd);
}

}  // namespace
