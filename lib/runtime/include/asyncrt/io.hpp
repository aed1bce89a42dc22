// asyncrt/io.hpp - wait for a file descriptor to become readable or writable (epoll).
//
//     co_await asyncrt::readable(fd);   // then read(fd, ...) will not block
//
// Use non-blocking fds. At most one reader and one writer may wait on an fd at a time; do
// not close an fd while a coroutine waits on it. Regular files are always "ready".
#pragma once

#include <asyncrt/detail/event_loop.hpp>

#include <coroutine>
#include <cstdint>
#include <stdexcept>

namespace asyncrt {

namespace detail {

class [[nodiscard]] fd_awaiter {
public:
    fd_awaiter(int fd, bool write) noexcept {
        node_.fd = fd;
        node_.write = write;
    }
    static constexpr const char* debug_name = "fd readiness";
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
        auto* loop = event_loop::current();
        if (!loop) throw std::logic_error("asyncrt::readable/writable: no event loop on this thread (call it inside asyncrt::run)");
        node_.handle = h;
        loop->add_io(&node_);
    }
    // The epoll event bits that woke us (EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR, ...).
    std::uint32_t await_resume() const noexcept { return node_.events; }

private:
    io_node node_;
};

}  // namespace detail

// Completes when `fd` is readable (or at EOF / hang-up / error). Loop thread only.
[[nodiscard]] inline detail::fd_awaiter readable(int fd) noexcept { return {fd, false}; }
// Completes when `fd` is writable (or on error / hang-up). Loop thread only.
[[nodiscard]] inline detail::fd_awaiter writable(int fd) noexcept { return {fd, true}; }

}  // namespace asyncrt
