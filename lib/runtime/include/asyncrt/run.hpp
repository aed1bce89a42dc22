// asyncrt/run.hpp - run(task): the program's entry into asynchronous code (asyncio.run).
#pragma once

#include <asyncrt/detail/event_loop.hpp>
#include <asyncrt/task.hpp>

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace asyncrt {

namespace detail {

// The outermost coroutine under run(): awaits the user's task and flags completion. Its
// promise is not a task promise, so it is never reported by debug mode.
template <class T>
class run_driver {
public:
    struct promise_type {
        bool* done = nullptr;
        run_driver get_return_object() noexcept {
            return run_driver{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct awaiter {
                bool await_ready() noexcept { return false; }
                void await_suspend(std::coroutine_handle<promise_type> h) noexcept { *h.promise().done = true; }
                void await_resume() noexcept {}
            };
            return awaiter{};
        }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }  // the body cannot throw
    };
    explicit run_driver(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
    run_driver(run_driver&& o) noexcept : h_(std::exchange(o.h_, {})) {}
    ~run_driver() {
        if (h_) h_.destroy();
    }
    std::coroutine_handle<promise_type> handle() const noexcept { return h_; }

private:
    std::coroutine_handle<promise_type> h_;
};

template <class T>
run_driver<T> drive(task<T>& t) {
    co_await completion_awaiter<T>{task_access::handle(t)};
}

}  // namespace detail

// Runs `t` to completion on an event loop owned by the calling thread and returns its
// result (or rethrows its exception). Returns only after every task spawned with
// asyncrt::spawn on this loop has finished too. Calling run() on a thread that is already
// inside run() throws std::logic_error.
template <class T>
T run(task<T> t);

// The same for a task source, such as what when_all(t...) returns.
template <detail::task_source S>
auto run(S s) {
    return run(detail::as_task(std::move(s)));
}

template <class T>
T run(task<T> t) {
    if (!t.valid()) throw std::invalid_argument("asyncrt::run: empty task");
    detail::event_loop loop;
    bool done = false;
    auto driver = detail::drive(t);
    driver.handle().promise().done = &done;
    loop.post(driver.handle());
    loop.run_until(&done);
    return detail::task_access::handle(t).promise().take_own_value();
}

}  // namespace asyncrt
