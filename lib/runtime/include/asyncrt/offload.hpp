// asyncrt/offload.hpp - run a blocking or CPU-heavy call off the event loop and await it.
//
//     auto text = co_await asyncrt::to_thread([&] { return read_file(path); });   // blocking I/O
//     auto hash = co_await asyncrt::offload(pool, sha256, std::cref(buf));      // CPU work
//     auto [l, r] = co_await asyncrt::when_all(asyncrt::start_on(pool, sort(lo)), sort(hi));
//
// The function (or task) runs on a pool thread; its result or exception is carried back,
// and the awaiting coroutine resumes on the executor it was running on (its event loop).
#pragma once

#include <asyncrt/detail/executor.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/thread_pool.hpp>

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

namespace asyncrt {

namespace detail {

// The pool behind to_thread: threads are created on demand, up to a bound, and kept.
class blocking_pool final : public executor {
public:
    explicit blocking_pool(std::size_t max_threads);
    ~blocking_pool();
    void post(std::coroutine_handle<> h) noexcept override;
    void set_max_threads(std::size_t n) noexcept;
    [[nodiscard]] std::size_t max_threads() const noexcept;
    [[nodiscard]] std::size_t thread_count() const noexcept;

private:
    struct impl;
    impl* impl_;
};

[[nodiscard]] blocking_pool& default_blocking_pool();

template <class R, class F, class... Args>
task<R> call_in_task(F fn, Args... args) {
    if constexpr (std::is_void_v<R>)
        std::invoke(fn, args...);
    else
        co_return std::invoke(fn, args...);
}

// A task that begins on `target` (like start_on), runs the call there and finishes there:
// it never runs on the awaiting thread, and the awaiter still resumes on its own executor
// (every task's end posts it home), so in when_all(offload(...)...) the calls are posted
// together and only the last one's end crosses back to the loop.
template <class R, class F, class... Args>
task<R> offload_on(executor& target, F fn, Args... args) {
    auto t = call_in_task<R>(std::move(fn), std::move(args)...);
    task_access::handle(t).promise().set_start_executor(&target);
    return t;
}

}  // namespace detail

// Runs fn(args...) on `pool` and completes with its result (exceptions are rethrown here).
// fn and args are copied into the task, like std::thread; use std::ref to share.
template <class F, class... Args>
    requires std::invocable<std::decay_t<F>&, std::decay_t<Args>&...>
[[nodiscard]] task<std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>> offload(thread_pool& pool, F&& fn,
                                                                                         Args&&... args) {
    using R = std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>;
    return detail::offload_on<R>(pool, std::forward<F>(fn), std::forward<Args>(args)...);
}

// The same task, made to begin on one of `pool`'s workers instead of on the thread that
// starts it (awaits it, or passes it to when_all, spawn or task_group::spawn): the fork of
// a fork-join. From elsewhere it is posted to the pool. From a worker of that pool it is
// posted to the worker's own queue, where idle workers can steal it, unless that queue
// already holds work for them: then a when_all child begins at once on this worker, as an
// ordinary child does (lazy binary splitting: a fork costs a queue operation only where
// another worker may use it). No extra coroutine frame. Like every task, its awaiter
// resumes on the executor it suspended on.
template <class T>
[[nodiscard]] task<T> start_on(thread_pool& pool, task<T> t) noexcept {
    if (auto h = detail::task_access::handle(t)) h.promise().set_start_executor(&pool);
    return t;
}
// The same for a task source, such as what when_all(t...) returns.
template <detail::task_source S>
[[nodiscard]] auto start_on(thread_pool& pool, S s) {
    return start_on(pool, detail::as_task(std::move(s)));
}

// Runs fn(args...) on the default blocking-I/O pool (asyncio.to_thread). The pool grows on
// demand up to blocking_pool_limit() threads (default: 4 x hardware threads, at least 16).
template <class F, class... Args>
    requires std::invocable<std::decay_t<F>&, std::decay_t<Args>&...>
[[nodiscard]] task<std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>> to_thread(F&& fn, Args&&... args) {
    using R = std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>;
    return detail::offload_on<R>(detail::default_blocking_pool(), std::forward<F>(fn), std::forward<Args>(args)...);
}

// Bound of the to_thread pool; lowering it does not stop threads that already exist.
inline void set_blocking_pool_limit(std::size_t n) noexcept { detail::default_blocking_pool().set_max_threads(n); }
[[nodiscard]] inline std::size_t blocking_pool_limit() noexcept { return detail::default_blocking_pool().max_threads(); }
[[nodiscard]] inline std::size_t blocking_pool_threads() noexcept {
    return detail::default_blocking_pool().thread_count();
}

}  // namespace asyncrt
