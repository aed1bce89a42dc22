// asyncrt/sleep.hpp - sleep_for / sleep_until / yield: suspend without blocking the loop.
#pragma once

#include <asyncrt/cancellation.hpp>
#include <asyncrt/detail/event_loop.hpp>
#include <asyncrt/detail/promise_base.hpp>

#include <chrono>
#include <coroutine>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <type_traits>

namespace asyncrt {

namespace detail {

// The timer node lives inside the awaiter, i.e. in the sleeping coroutine's frame.
// A task with a cancellation token (task_group children and what they await) is woken
// early when cancellation is requested on its loop thread, and the sleep throws
// operation_cancelled. A request from another thread does not interrupt the sleep.
class [[nodiscard]] sleep_awaiter {
public:
    static constexpr const char* debug_name = "sleep";
    explicit sleep_awaiter(std::chrono::steady_clock::time_point deadline) noexcept { node_.deadline = deadline; }
    sleep_awaiter(const sleep_awaiter&) = delete;
    sleep_awaiter& operator=(const sleep_awaiter&) = delete;

    bool await_ready() const noexcept { return false; }  // even a past deadline yields once
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) {
        loop_ = event_loop::current();
        if (!loop_) throw std::logic_error("asyncrt::sleep_for/sleep_until: no event loop on this thread (call it inside asyncrt::run)");
        node_.handle = h;
        if constexpr (std::is_base_of_v<promise_base, P>) {
            const std::stop_token& token = h.promise().token();
            if (token.stop_requested()) {
                cancelled_ = true;
                return false;
            }
            loop_->add_timer(&node_);
            if (token.stop_possible()) stop_callback_.emplace(token, on_stop{this});
        } else {
            loop_->add_timer(&node_);
        }
        return true;
    }
    void await_resume() {
        stop_callback_.reset();
        if (cancelled_) throw operation_cancelled{};
    }

private:
    struct on_stop {
        sleep_awaiter* self;
        void operator()() const noexcept { self->cancel(); }
    };
    void cancel() noexcept {
        if (event_loop::current() != loop_) return;  // another thread: let the timer fire
        if (loop_->cancel_timer(&node_)) {
            cancelled_ = true;
            loop_->post(node_.handle);
        }
    }

    timer_node node_;
    event_loop* loop_ = nullptr;
    bool cancelled_ = false;
    std::optional<std::stop_callback<on_stop>> stop_callback_;
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
// Needs a running loop on the calling thread; throws std::logic_error otherwise. Throws
// operation_cancelled if the task's cancellation token fires first (see above).
template <class Rep, class Period>
[[nodiscard]] detail::sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d) {
    using clock = std::chrono::steady_clock;
    auto now = clock::now();
    if (d <= d.zero()) return detail::sleep_awaiter{now};
    // Saturate instead of overflowing for "forever"-style durations.
    using fsec = std::chrono::duration<double>;
    if (std::chrono::duration_cast<fsec>(d) >= std::chrono::duration_cast<fsec>(clock::time_point::max() - now))
        return detail::sleep_awaiter{clock::time_point::max()};
    return detail::sleep_awaiter{now + std::chrono::ceil<clock::duration>(d)};
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
