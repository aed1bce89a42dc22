// asyncrt/when_all.hpp - run tasks concurrently and wait for all of them (asyncio.gather).
//
//     auto [a, b] = co_await asyncrt::when_all(fetch(x), fetch(y));      // tuple, no frame
//     std::vector<int> v = co_await asyncrt::when_all(std::move(tasks)); // vector
//     auto rs = co_await asyncrt::when_all_settled(f(), g());  // tuple of asyncrt::result
//     auto v2 = co_await asyncrt::when_all_bounded(std::move(tasks), 64); // <= 64 at once
//
// Every task runs to completion even when some fail; then when_all rethrows the exception
// of the first failed task in argument order (sequential awaits would stop at the first
// failure instead). when_all_settled never throws for a task's failure: each slot holds
// the value or the exception. Results keep argument order, not completion order. Tasks
// are started one after another on the calling thread; each runs until its first
// suspension before the next starts (a task made with start_on is posted to its pool
// instead, so when_all(start_on(pool, a()), b()) is a fork-join). Like every await, the awaiting coroutine resumes on
// the executor it suspended on, whichever thread finished the last task.
#pragma once

#include <asyncrt/detail/promise_base.hpp>
#include <asyncrt/detail/result_slot.hpp>
#include <asyncrt/task.hpp>

#include <array>
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace asyncrt {

// The outcome of one task in when_all_settled: a value or an exception.
template <class T>
class result {
public:
    using value_type = T;

    [[nodiscard]] bool has_value() const noexcept { return slot_.has_value(); }
    [[nodiscard]] bool has_error() const noexcept { return slot_.has_exception(); }
    explicit operator bool() const noexcept { return has_value(); }
    // The value, or rethrows the task's exception.
    decltype(auto) value() & { return slot_.get(); }
    decltype(auto) value() && { return slot_.get_move(); }
    // The task's exception, or null.
    [[nodiscard]] std::exception_ptr error() const noexcept { return slot_.exception(); }

private:
    template <class U>
    friend result<U> detail_make_result(detail::result_slot<U>&&);
    detail::result_slot<T> slot_;
};

template <class U>
result<U> detail_make_result(detail::result_slot<U>&& s) {
    result<U> r;
    r.slot_ = std::move(s);
    return r;
}

namespace detail {

// Consecutive children that begin on the same executor are posted to it together: one
// queue operation instead of one each (when_all of offloads). Flushed before any child
// runs inline, so a posted child never waits for one.
class post_batch {
public:
    post_batch() = default;
    post_batch(const post_batch&) = delete;
    post_batch& operator=(const post_batch&) = delete;
    ~post_batch() { flush(); }

    void add(executor& ex, std::coroutine_handle<> h) noexcept {
        if (target_ != &ex || size_ == capacity) flush();
        target_ = &ex;
        slots_.handles[size_++] = h;
    }
    void flush() noexcept {
        if (size_ > 0) target_->post_many(std::span<const std::coroutine_handle<>>(slots_.handles, size_));
        size_ = 0;
    }

private:
    static constexpr std::size_t capacity = 32;
    // Left uninitialised: a when_all with one fork (fork-join) should not clear 32 slots.
    union storage {
        storage() noexcept {}
        std::coroutine_handle<> handles[capacity];
    };
    executor* target_ = nullptr;
    std::size_t size_ = 0;
    storage slots_;
};

struct when_all_entry {
    promise_base* promise = nullptr;
    std::coroutine_handle<> child{};
};

// Starts every child and completes when all have finished. Reads no results. The children
// count down a latch in this awaiter as they finish (no coroutine frame per child).
// N > 0: at most N children, stored inline (the variadic forms: no allocation at all);
// N == 0: a vector, reserved up front by the vector forms.
template <std::size_t N = 0>
class [[nodiscard]] when_all_ready_awaiter {
public:
    static constexpr const char* debug_name = "when_all";

    when_all_ready_awaiter() = default;
    // Every task of a vector (the vector forms).
    template <class T>
        requires(N == 0)
    explicit when_all_ready_awaiter(std::vector<task<T>>& tasks) {
        entries_.reserve(tasks.size());
        for (auto& t : tasks) add(t);
    }

    template <class T>
    void add(task<T>& t) {
        auto h = task_access::handle(t);
        if (!h) return;  // reported as a broken promise when the result is read
        if constexpr (N == 0)
            entries_.push_back({&h.promise(), h});
        else
            entries_[size_] = {&h.promise(), h};
        ++size_;
    }

    bool await_ready() const noexcept { return size_ == 0; }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> parent) noexcept {
        latch_.parent = parent;
        latch_.parent_executor = current_executor();
        latch_.count.store(size_ + 1, std::memory_order_relaxed);
        post_batch batch;
        for (std::size_t i = 0; i < size_; ++i) {
            auto& [promise, child] = entries_[i];
            if (child.done()) {  // finished before (awaited elsewhere): already counted out
                latch_.count.fetch_sub(1, std::memory_order_relaxed);
                continue;
            }
            if constexpr (std::is_base_of_v<promise_base, P>) {
                if (!promise->token().stop_possible()) promise->set_token(parent.promise().token());
            }
            promise->set_latch(&latch_);
            if (executor* ex = promise->start_executor()) {
                batch.add(*ex, child);  // begins elsewhere (start_on, offload): post it
            } else {
                batch.flush();  // nothing waits in a batch while a child runs here
                child.resume();  // runs until its first suspension, or to the end
            }
        }
        batch.flush();
        // Our own reference: if every child already finished, do not suspend at all.
        return latch_.count.fetch_sub(1, std::memory_order_acq_rel) != 1;
    }
    void await_resume() const noexcept {}

private:
    completion_latch latch_;
    std::conditional_t<N == 0, std::vector<when_all_entry>, std::array<when_all_entry, N>> entries_{};
    std::size_t size_ = 0;
};

template <class T>
stored_t<T> take_result(task<T>& t) {
    auto h = task_access::handle(t);
    if (!h) throw_broken_promise();
    if constexpr (std::is_void_v<T>) {
        h.promise().slot().get();
        return void_value{};
    } else {
        return h.promise().slot().get_move();
    }
}

template <class T>
result<T> take_settled(task<T>& t) {
    auto h = task_access::handle(t);
    result_slot<T> s;
    if (!h) {
        s.set_exception(std::make_exception_ptr(std::logic_error("asyncrt: awaited a task that produced no result")));
        return detail_make_result(std::move(s));
    }
    auto& src = h.promise().slot();
    if (src.has_exception()) {
        s.set_exception(src.exception());
    } else if constexpr (std::is_void_v<T>) {
        s.set_value();
    } else {
        s.set_value(src.get_move());
    }
    return detail_make_result(std::move(s));
}

template <class T>
void rethrow_if_failed(task<T>& t) {
    auto h = task_access::handle(t);
    if (!h) throw_broken_promise();
    if (auto e = h.promise().slot().exception()) {
        std::rethrow_exception(e);
    }
}

template <class T>
struct vector_result {
    using type = std::vector<T>;
};
template <class T>
struct vector_result<T&> {
    using type = std::vector<std::reference_wrapper<T>>;
};
template <>
struct vector_result<void> {
    using type = void;
};
template <class T>
using vector_result_t = typename vector_result<T>::type;

// Rethrows the first failure, or takes every result; then frees the tasks' frames before
// the caller resumes.
template <class T>
vector_result_t<T> collect(std::vector<task<T>>& tasks) {
    for (auto& t : tasks) rethrow_if_failed(t);
    if constexpr (std::is_void_v<T>) {
        tasks.clear();
    } else {
        vector_result_t<T> out;
        out.reserve(tasks.size());
        for (auto& t : tasks) out.push_back(take_result(t));
        tasks.clear();
        return out;
    }
}

template <class T>
task<void> bounded_worker(std::vector<task<T>>& tasks, std::atomic<std::size_t>& next) {
    for (;;) {
        std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
        if (i >= tasks.size()) co_return;
        if (tasks[i].valid()) co_await completion_awaiter<T>{task_access::handle(tasks[i])};
    }
}

}  // namespace detail

// What when_all(t...) and when_all_settled(t...) return. Lazy: the tasks start when it is
// awaited. Awaitable once, move-only. Awaited directly it needs no coroutine frame of its
// own (the latch and the results live in the awaiting coroutine's frame); where a task is
// needed, as_task() or a conversion to task<value_type> wraps it in one, and run, spawn,
// task_group::spawn, start_on and when_all accept it as it is.
template <bool Settled, class... T>
class [[nodiscard]] when_all_awaitable {
public:
    using value_type = std::conditional_t<Settled, std::tuple<result<T>...>, std::tuple<detail::stored_t<T>...>>;

    explicit when_all_awaitable(task<T>... tasks) noexcept : tasks_(std::move(tasks)...) {}
    when_all_awaitable(when_all_awaitable&&) noexcept = default;
    when_all_awaitable& operator=(when_all_awaitable&&) noexcept = default;

    auto operator co_await() && noexcept { return awaiter{*this}; }

    [[nodiscard]] task<value_type> as_task() && { return wrap(std::move(*this)); }
    operator task<value_type>() && { return std::move(*this).as_task(); }

private:
    class awaiter {
    public:
        static constexpr const char* debug_name = "when_all";
        explicit awaiter(when_all_awaitable& self) noexcept : self_(&self) {
            std::apply([this](auto&... t) { (all_.add(t), ...); }, self.tasks_);
        }
        awaiter(const awaiter&) = delete;
        awaiter& operator=(const awaiter&) = delete;

        bool await_ready() const noexcept { return all_.await_ready(); }
        template <class P>
        bool await_suspend(std::coroutine_handle<P> parent) noexcept {
            return all_.await_suspend(parent);
        }
        value_type await_resume() { return self_->collect(); }

    private:
        when_all_awaitable* self_;
        detail::when_all_ready_awaiter<sizeof...(T)> all_;
    };

    // Every task has finished: rethrow the first failure in argument order (when_all) or
    // keep each outcome (settled), and free the children's frames before the caller resumes.
    value_type collect() {
        return std::apply(
            [](auto&... t) -> value_type {
                if constexpr (!Settled) (detail::rethrow_if_failed(t), ...);
                value_type out{take(t)...};
                ((t = std::remove_reference_t<decltype(t)>{}), ...);
                return out;
            },
            tasks_);
    }
    template <class U>
    static decltype(auto) take(task<U>& t) {
        if constexpr (Settled)
            return detail::take_settled(t);
        else
            return detail::take_result(t);
    }

    static task<value_type> wrap(when_all_awaitable self) { co_return co_await std::move(self); }

    std::tuple<task<T>...> tasks_;
};

// Runs all tasks concurrently; yields a tuple of their results (void_value for task<void>).
template <class... T>
[[nodiscard]] when_all_awaitable<false, T...> when_all(task<T>... tasks) noexcept {
    return when_all_awaitable<false, T...>{std::move(tasks)...};
}

// Runs all tasks concurrently; yields their results in order (void for task<void>).
template <class T>
[[nodiscard]] task<detail::vector_result_t<T>> when_all(std::vector<task<T>> tasks) {
    co_await detail::when_all_ready_awaiter<>{tasks};
    co_return detail::collect(tasks);  // return_void() for a void collect
}

// Like when_all, but never throws for a task's failure: each slot keeps value or exception.
template <class... T>
[[nodiscard]] when_all_awaitable<true, T...> when_all_settled(task<T>... tasks) noexcept {
    return when_all_awaitable<true, T...>{std::move(tasks)...};
}

// The same, with a nested when_all (or another task source) among the arguments.
template <class... A>
    requires((detail::task_source<A> || ...) && ((detail::is_task_v<A> || detail::task_source<A>) && ...))
[[nodiscard]] auto when_all(A... args) {
    return when_all(detail::as_task(std::move(args))...);
}
template <class... A>
    requires((detail::task_source<A> || ...) && ((detail::is_task_v<A> || detail::task_source<A>) && ...))
[[nodiscard]] auto when_all_settled(A... args) {
    return when_all_settled(detail::as_task(std::move(args))...);
}

template <class T>
[[nodiscard]] task<std::vector<result<T>>> when_all_settled(std::vector<task<T>> tasks) {
    co_await detail::when_all_ready_awaiter<>{tasks};
    std::vector<result<T>> out;
    out.reserve(tasks.size());
    for (auto& t : tasks) out.push_back(detail::take_settled(t));
    tasks.clear();
    co_return out;
}

// Like when_all over a vector, but at most `limit` of the (lazy) tasks run at any time:
// the next one starts when a running one finishes. limit == 0 throws std::invalid_argument.
template <class T>
[[nodiscard]] task<detail::vector_result_t<T>> when_all_bounded(std::vector<task<T>> tasks, std::size_t limit) {
    if (limit == 0) throw std::invalid_argument("asyncrt::when_all_bounded: limit must be at least 1");
    {
        std::atomic<std::size_t> next{0};  // workers may finish on different threads
        std::vector<task<void>> workers;
        std::size_t n = limit < tasks.size() ? limit : tasks.size();
        workers.reserve(n);
        for (std::size_t i = 0; i < n; ++i) workers.push_back(detail::bounded_worker(tasks, next));
        co_await detail::when_all_ready_awaiter<>{workers};
    }
    co_return detail::collect(tasks);
}

}  // namespace asyncrt
