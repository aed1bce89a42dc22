// asyncrt/cancellation.hpp - cooperative cancellation.
//
// Cancellation is a request, never a forced stop: a task observes its token and decides
// where to stop (usually by throwing asyncrt::operation_cancelled). A task inherits the
// token of the task that awaits it, and task_group gives every task it spawns the group's
// token, so a whole call tree sees one request. sleep_for/sleep_until are the exception:
// a request made on the loop thread wakes a sleeping task, whose sleep then throws
// operation_cancelled (see sleep.hpp).
//
//     auto token = co_await asyncrt::get_cancellation_token();
//     while (!token.stop_requested()) { ... co_await step(); }
//     co_await asyncrt::throw_if_cancelled();   // or: check and throw in one go
#pragma once

#include <asyncrt/detail/promise_base.hpp>

#include <coroutine>
#include <exception>
#include <stop_token>
#include <type_traits>

namespace asyncrt {

using cancellation_token = std::stop_token;
using cancellation_source = std::stop_source;

// Thrown by throw_if_cancelled; task_group does not report it as the group's failure when
// it follows another task's failure.
class operation_cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "asyncrt: operation cancelled"; }
};

namespace detail {

// Reads the awaiting task's token without suspending.
class [[nodiscard]] token_awaiter {
public:
    static constexpr const char* debug_name = "cancellation token";
    bool await_ready() const noexcept { return false; }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
        if constexpr (std::is_base_of_v<promise_base, P>) token_ = h.promise().token();
        return false;  // never actually suspends
    }
    std::stop_token await_resume() const noexcept { return token_; }

private:
    std::stop_token token_;
};

class [[nodiscard]] throw_if_cancelled_awaiter {
public:
    static constexpr const char* debug_name = "cancellation check";
    bool await_ready() const noexcept { return false; }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
        if constexpr (std::is_base_of_v<promise_base, P>) cancelled_ = h.promise().token().stop_requested();
        return false;
    }
    void await_resume() const {
        if (cancelled_) throw operation_cancelled{};
    }

private:
    bool cancelled_ = false;
};

}  // namespace detail

// `co_await get_cancellation_token()`: the current task's token (empty if it has none).
[[nodiscard]] inline detail::token_awaiter get_cancellation_token() noexcept { return {}; }
// `co_await throw_if_cancelled()`: throws operation_cancelled if cancellation was requested.
[[nodiscard]] inline detail::throw_if_cancelled_awaiter throw_if_cancelled() noexcept { return {}; }
inline void throw_if_cancelled(const std::stop_token& token) {
    if (token.stop_requested()) throw operation_cancelled{};
}

}  // namespace asyncrt
