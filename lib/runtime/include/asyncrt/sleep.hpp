// asyncrt/sleep.hpp - sleep_for / sleep_until / yield: suspend without blocking the loop.
#pragma once

#include <asyncrt/detail/event_loop.hpp>

#include <chrono>
#include <coroutine>
#include <stdexcept>

namespace asyncrt {

namespace detail {

// The timer node lives inside the awaiter, i.e. in the sleeping coroutine's frame.
class [[nodiscard]] sleep_awaiter {
public:
    static constexpr const char* debug_name = "sleep";
    explicit sleep_awaiter(std::chrono::steady_clock::time_point deadline) noexcept { node_.deadline = deadline; }
    bool await_ready() const noexcept { return false; }  // even a past deadline yields once
    void await_suspend(std::coroutine_handle<> h) {
        auto* loop = event_loop::current();
        if (!loop) throw std::logic_error("asyncrt::sleep_for/sleep_until: no event loop on this thread (call it inside asyncrt::run)");
        node_.handle = h;
        loop->add_timer(&node_);
    }
    void await_resume() const noexcept {}

private:
    timer_node node_;
};

class [[nodiscard]] yield_awaiter {
public:
    static constexpr const char* debug_name = "yield";
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const {
        auto* ex = current_executor();
        if (!ex) throw std::logic_error("asyncrt::yield: no executor on this thread");
        ex->post(h);
    }
    void await_resume() const noexcept {}
};

}  // namespace detail

// Resumes the caller on its event loop after at least `d` (rounded up to the clock's tick).
// Needs a running loop on the calling thread; throws std::logic_error otherwise.
template <class Rep, class Period>
[[nodiscard]] detail::sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d) {
    auto now = std::chrono::steady_clock::now();
    if (d <= d.zero()) return detail::sleep_awaiter{now};
    return detail::sleep_awaiter{now + std::chrono::ceil<std::chrono::steady_clock::duration>(d)};
}

// Resumes the caller once `tp` has passed. Other clocks are mapped onto steady_clock at the
// time of the call (a later system_clock jump is not followed).
template <class Clock, class Duration>
[[nodiscard]] detail::sleep_awaiter sleep_until(std::chrono::time_point<Clock, Duration> tp) {
    if constexpr (std::is_same_v<Clock, std::chrono::steady_clock>) {
        return detail::sleep_awaiter{std::chrono::ceil<std::chrono::steady_clock::duration>(tp)};
    } else {
        return sleep_for(tp - Clock::now());
    }
}

// Lets every other ready coroutine run once before the caller continues (asyncio.sleep(0)).
[[nodiscard]] inline detail::yield_awaiter yield() noexcept { return {}; }

}  // namespace asyncrt
