// asyncrt/spawn.hpp - fire-and-forget tasks on the running event loop (asyncio.create_task).
//
//     asyncrt::spawn(log_event(e), [](std::exception_ptr ex) { report(ex); });
//
// The task starts soon on the calling thread's event loop and nothing awaits it. run()
// still waits for every spawned task before it returns. A failure goes to `on_error`;
// spawn(t) without a handler loses it, except that debug mode reports the exception as
// never retrieved. Prefer task_group when the caller should wait for the work.
//
// spawn needs a running event loop on the calling thread (inside asyncrt::run, not on a
// pool thread); otherwise it throws std::logic_error and the task never runs.
#pragma once

#include <asyncrt/debug.hpp>
#include <asyncrt/detail/event_loop.hpp>
#include <asyncrt/detail/frame_allocator.hpp>
#include <asyncrt/task.hpp>

#include <concepts>
#include <coroutine>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace asyncrt {

namespace detail {

class detached_child {
public:
    struct promise_type : cached_frame {
        event_loop* loop = nullptr;
        detached_child get_return_object() noexcept {
            return detached_child{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct awaiter {
                bool await_ready() noexcept { return false; }
                void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
                    event_loop* loop = h.promise().loop;
                    h.destroy();
                    loop->detached_finished();  // last: run() may return right after this
                }
                void await_resume() noexcept {}
            };
            return awaiter{};
        }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };
    explicit detached_child(std::coroutine_handle<promise_type> h) noexcept : h(h) {}
    std::coroutine_handle<promise_type> h;
};

struct no_error_handler {};

template <class T, class H>
detached_child run_detached(task<T> t, H on_error) {
    std::source_location where = task_access::handle(t).promise().where();  // not kept once it starts
    co_await completion_awaiter<T>{task_access::handle(t)};
    if (auto e = task_access::handle(t).promise().own_error()) {
        try {
            on_error(std::move(e));
        } catch (...) {
            debug_handler_threw(where, std::current_exception());
        }
    }
}

template <class T, class H>
void spawn_impl(task<T>&& t, H&& on_error) {
    auto* loop = event_loop::current();
    if (!loop) throw std::logic_error("asyncrt::spawn: no running event loop on this thread (call it inside asyncrt::run)");
    if (!t.valid()) throw std::invalid_argument("asyncrt::spawn: empty task");
    if constexpr (std::is_same_v<std::remove_cvref_t<H>, no_error_handler>) {
        // Nothing to call on the loop afterwards: the task reports straight to the loop.
        auto h = task_access::release(t);
        executor* begin_on = h.promise().set_sink(loop);
        loop->detached_started();
        (begin_on ? *begin_on : *loop).post(h);
    } else {
        // The handler runs on the loop: a small frame awaits the task and calls it there.
        auto child = run_detached(std::move(t), std::forward<H>(on_error));
        child.h.promise().loop = loop;
        loop->detached_started();
        loop->post(child.h);
    }
}

}  // namespace detail

// Runs `t` detached. Its exception is lost (debug mode reports it as never retrieved).
template <class T>
void spawn(task<T> t) {
    detail::spawn_impl(std::move(t), detail::no_error_handler{});
}

// Runs `t` detached; if it fails, on_error(std::exception_ptr) runs on the event loop that
// spawned it. An exception escaping on_error (say it rethrows) is always reported to the
// debug sink (stderr by default), debug mode or not, and then dropped, like an exception
// in an asyncio done-callback.
template <class T, class OnError>
    requires std::invocable<OnError&, std::exception_ptr>
void spawn(task<T> t, OnError&& on_error) {
    detail::spawn_impl(std::move(t), std::decay_t<OnError>(std::forward<OnError>(on_error)));
}

// The same for a task source, such as what when_all(t...) returns.
template <detail::task_source S>
void spawn(S s) {
    spawn(detail::as_task(std::move(s)));
}
template <detail::task_source S, class OnError>
    requires std::invocable<OnError&, std::exception_ptr>
void spawn(S s, OnError&& on_error) {
    spawn(detail::as_task(std::move(s)), std::forward<OnError>(on_error));
}

}  // namespace asyncrt
