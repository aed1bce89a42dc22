// asyncrt/detail/event_loop.hpp - the single-threaded loop behind asyncrt::run: a ready
// queue, a timer heap and epoll readiness. Implemented in src/event_loop.cpp.
#pragma once

#include <asyncrt/detail/executor.hpp>
#include <asyncrt/detail/task_sink.hpp>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace asyncrt::detail {

// Lives in the awaiting coroutine's frame while it sleeps: the heap stores pointers only.
struct timer_node {
    std::chrono::steady_clock::time_point deadline{};
    std::uint64_t seq = 0;  // FIFO among equal deadlines
    std::coroutine_handle<> handle{};
};

// Lives in the awaiting coroutine's frame while it waits for an fd.
struct io_node {
    int fd = -1;
    bool write = false;
    std::uint32_t events = 0;  // what epoll reported (EPOLLIN/OUT/HUP/ERR bits)
    std::coroutine_handle<> handle{};
};

class event_loop final : public executor, public task_sink {
public:
    event_loop();
    ~event_loop();

    // The loop running on the calling thread (inside run()), or null.
    [[nodiscard]] static event_loop* current() noexcept;

    void post(std::coroutine_handle<> h) noexcept override;  // any thread
    [[nodiscard]] bool is_event_loop() const noexcept override { return true; }

    void add_timer(timer_node* t);  // loop thread only
    // Removes a pending timer; false if it already fired. Loop thread only.
    bool cancel_timer(timer_node* t) noexcept;
    void add_io(io_node* n);        // loop thread only; throws std::system_error

    // Detached (spawned) tasks keep run() going until they finish. Any thread.
    void detached_started() noexcept { detached_.fetch_add(1, std::memory_order_relaxed); }
    void detached_finished() noexcept;
    // The sink of tasks spawned without an error handler: counts them out, and in debug
    // mode reports an exception nobody will retrieve. Any thread.
    std::coroutine_handle<> task_finished(std::exception_ptr error, std::source_location where) noexcept override;

    // Drives the loop until `*done` is set (by a coroutine running on this loop) and no
    // detached task is left.
    void run_until(const bool* done);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    std::atomic<std::size_t> detached_{0};
    executor* previous_ = nullptr;
};

}  // namespace asyncrt::detail
