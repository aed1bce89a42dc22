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
// instead, so when_all(start_on(pool, a()), b()) is a fork-join; and 64 children deep in
// a recursion through when_all, the children before the last are queued on the caller's
// executor, to bound the stack). Like every await, the awaiting coroutine resumes on the
// executor it suspended on, whichever thread finished the last task.
#pragma once

#include <asyncrt/detail/pool_worker.hpp>
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
        if (size_ > 0) {
            target_->post_many(std::span<const std::coroutine_handle<>>(slots_.handles, size_));
            size_ = 0;
        }
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

// Whether a when_all child begins on the thread that starts it (not posted, not done).
template <class T>
[[nodiscard]] bool starts_here(task<T>& t) noexcept {
    auto h = task_access::handle(t);
    return h && !h.done() && !h.promise().start_executor();
}

// Starts a when_all's children, in argument order, from the parent's await_suspend. Each
// child finishes into its slot in the parent, frees its own frame and counts the latch
// down (no coroutine frame per child); the last one resumes the parent. A child made to
// begin elsewhere (start_on, offload) is posted, unless it is a fork this pool worker
// may begin at once (detail::pool_worker: lazy binary splitting). A child that begins here
// runs, as a nested call, until its first suspension before the next starts; children
// that end inside their start are counted without atomics (completion_latch::
// finished_here), and when all of them did, the parent goes on without a locked
// instruction. Nested calls are bounded (max_nested_starts): deeper down, the last child
// is entered by symmetric transfer and the others are queued on the parent's executor, so
// a recursion through when_all of any depth keeps a bounded stack, as one through a plain
// await does.
class child_launcher {
public:
    template <class P>
    child_launcher(completion_latch& latch, std::coroutine_handle<P> parent, std::size_t children,
                   bool last_starts_here) noexcept
        : latch_(latch),
          children_(children),
          deep_(tl_nested_starts >= max_nested_starts),
          transfer_last_(deep_ && last_starts_here) {
        if constexpr (std::is_base_of_v<promise_base, P>) latch.parent_promise = &parent.promise();
        latch.parent = parent;
        latch.parent_executor = current_executor();
        // The launcher holds a count of its own until finish(), unless the last child is
        // transferred to: that one cannot end before the parent has suspended.
        latch.count.store(children + (transfer_last_ ? 0 : 1), std::memory_order_relaxed);
    }
    child_launcher(const child_launcher&) = delete;
    child_launcher& operator=(const child_launcher&) = delete;

    template <class T>
    [[gnu::always_inline]] void launch(task<T>& t, result_slot<T>& slot, bool last) noexcept {
        auto h = task_access::release(t);  // the child frees its own frame from now on
        if (!h || h.done()) {
            count_out(h, slot);
            return;
        }
        start(h, h.promise().finish_into(latch_, slot), last);
    }
    // A child whose value goes straight into the parent's result, at position `index`
    // (the latch has a first_failure for its exception).
    template <class T>
    [[gnu::always_inline]] void launch(task<T>& t, T& value, std::size_t index, bool last) noexcept {
        auto h = task_access::release(t);
        if (!h || h.done()) {
            count_out(h, value, index);
            return;
        }
        start(h, h.promise().finish_into(latch_, value, index), last);
    }

    // What the parent's await_suspend transfers to once every child is launched.
    [[nodiscard]] std::coroutine_handle<> finish() noexcept {
        batch_.flush();
        leave_nested();
        std::size_t done = latch_.finished_here;
        if (last_) {
            // The last child still holds its count, so this cannot end the wait. If every
            // other child finished here, no other thread has the latch yet: a plain store.
            if (done + 1 == children_)
                latch_.count.store(1, std::memory_order_relaxed);
            else if (done > 0)
                latch_.count.fetch_sub(done, std::memory_order_acq_rel);
            return last_;
        }
        // Every child finished here: nobody else has the latch, and the parent goes on.
        if (done == children_) return latch_.parent;
        // Drop the parent's own count too: if every child already finished, do not suspend.
        if (latch_.count.fetch_sub(done + 1, std::memory_order_acq_rel) != done + 1) return std::noop_coroutine();
        return latch_.parent;
    }

private:
    // Inline, the common cases: a child that begins here, or a fork this pool worker may
    // begin at once (fork-join), not too deep to nest. The rest (posted, queued past the
    // bound, transferred to) goes out of line.
    [[gnu::always_inline]] void start(std::coroutine_handle<> h, executor* begin_on, bool last) noexcept {
        if (!deep_ && (!begin_on || tl_pool_worker.fork_may_run_here(*begin_on))) [[likely]]
            resume_here(h);
        else
            start_elsewhere(h, begin_on, last);
    }
    [[gnu::noinline]] void start_elsewhere(std::coroutine_handle<> h, executor* ex, bool last) noexcept {
        if (ex) {
            batch_.add(*ex, h);  // begins elsewhere (start_on, offload): post it
        } else if (last && transfer_last_) {
            last_ = h;
        } else if (latch_.parent_executor) {
            batch_.add(*latch_.parent_executor, h);  // too deep to nest: it begins from the queue
        } else {
            resume_here(h);  // no executor to queue it on (a bare thread): nest anyway
        }
    }
    // Runs a child on this thread until its first suspension, or to its end.
    void resume_here(std::coroutine_handle<> h) noexcept {
        batch_.flush();  // nothing waits in a batch while a child runs here
        if (!resumed_here_) enter_nested();
        h.resume();
    }
    // Before the first child runs here. Until finish(), a child finishing on this thread
    // counts itself the cheap way; it may launch a when_all of its own, which restores
    // tl_launching_latch after it. The children run one after another, each one level
    // below this launcher: one nesting level for all of them.
    void enter_nested() noexcept {
        outer_launch_ = std::exchange(tl_launching_latch, &latch_);
        ++tl_nested_starts;
        resumed_here_ = true;
    }
    void leave_nested() noexcept {
        if (!resumed_here_) return;
        tl_launching_latch = outer_launch_;
        --tl_nested_starts;
    }

    // How many children may run as nested calls one inside another (a when_all child
    // whose body launches a when_all...): each costs a few hundred bytes of stack.
    static constexpr unsigned max_nested_starts = 64;
    // Children this thread is running as nested calls, one inside another.
    static inline constinit thread_local unsigned tl_nested_starts = 0;

    // An empty child (read as a broken promise) or one that finished before (awaited
    // elsewhere): nothing to run. Out of line: the rare path stays out of launch().
    template <class T>
    [[gnu::noinline]] void count_out(std::coroutine_handle<task_promise<T>> h, result_slot<T>& slot) noexcept {
        if (h) {
            h.promise().move_own_into(slot);
            h.destroy();
        }
        ++latch_.finished_here;
    }
    template <class T>
    [[gnu::noinline]] void count_out(std::coroutine_handle<task_promise<T>> h, T& value, std::size_t index) noexcept {
        result_slot<T> slot;
        count_out(h, slot);
        if (slot.has_value())
            value = slot.get_move();
        else
            latch_.failures->record(index, slot.has_exception() ? slot.exception() : broken_promise());
    }

    completion_latch& latch_;
    std::size_t children_;
    completion_latch* outer_launch_ = nullptr;
    bool deep_;           // max_nested_starts reached: no child runs as a nested call
    bool transfer_last_;  // deep_, and the last child begins here: entered by transfer
    bool resumed_here_ = false;  // a child was resumed inline: tl_launching_latch is ours
    std::coroutine_handle<> last_{};
    post_batch batch_;
};

// Takes a finished child's result out of its slot: rethrows its exception (when_all) ...
template <class T>
stored_t<T> take_result(result_slot<T>& slot) {
    if constexpr (std::is_void_v<T>) {
        slot.get();
        return void_value{};
    } else {
        return slot.get_move();
    }
}
// ... or keeps it (when_all_settled).
template <class T>
result<T> take_settled(result_slot<T>& slot) noexcept {
    if (!slot.has_value() && !slot.has_exception()) slot.set_exception(broken_promise());
    return detail_make_result(std::move(slot));
}

// Whether when_all over a vector writes each value straight into the vector it returns
// (std::vector<bool> has no element to point at).
template <class T>
concept direct_vector_result = direct_result<T> && !std::is_same_v<T, bool>;

// Awaits every task of a vector. Their results land in `results` (same size, same
// order): slots, or, with `failures` given, the values themselves.
template <class T, class Result>
class [[nodiscard]] vector_children {
public:
    static constexpr const char* debug_name = "when_all";

    vector_children(std::vector<task<T>>& tasks, std::vector<Result>& results,
                    first_failure* failures = nullptr) noexcept
        : tasks_(tasks), results_(results) {
        latch_.failures = failures;
    }

    bool await_ready() const noexcept { return tasks_.empty(); }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
        std::size_t n = tasks_.size();
        child_launcher launcher{latch_, parent, n, starts_here(tasks_.back())};
        for (std::size_t i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<Result, result_slot<T>>)
                launcher.launch(tasks_[i], results_[i], i + 1 == n);
            else
                launcher.launch(tasks_[i], results_[i], i, i + 1 == n);
        }
        return launcher.finish();
    }
    void await_resume() const noexcept {}

private:
    completion_latch latch_;
    std::vector<task<T>>& tasks_;
    std::vector<Result>& results_;
};

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

// The first failure in order is rethrown; otherwise every result, in order. One pass:
// a failure met partway drops what was collected before it.
template <class T>
vector_result_t<T> collect(std::vector<result_slot<T>>& slots) {
    if constexpr (std::is_void_v<T>) {
        for (auto& s : slots) s.check();
    } else {
        vector_result_t<T> out;
        out.reserve(slots.size());
        for (auto& s : slots) out.push_back(take_result(s));
        return out;
    }
}

// Runs tasks[next++] until none is left; each result goes to its slot and the task's frame
// is freed as soon as it is read.
template <class T>
task<void> bounded_worker(std::vector<task<T>>& tasks, std::vector<result_slot<T>>& slots,
                          std::atomic<std::size_t>& next) {
    for (;;) {
        std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
        if (i >= tasks.size()) co_return;
        if (auto h = task_access::handle(tasks[i])) {
            co_await completion_awaiter<T>{h};
            h.promise().move_own_into(slots[i]);
            tasks[i] = task<T>{};
        }
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
        explicit awaiter(when_all_awaitable& self) noexcept : tasks_(self.tasks_) {}
        awaiter(const awaiter&) = delete;
        awaiter& operator=(const awaiter&) = delete;

        bool await_ready() const noexcept { return sizeof...(T) == 0; }
        template <class P>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
            constexpr std::size_t n = sizeof...(T);
            if constexpr (n == 0) {
                return parent;  // not reached: ready at once
            } else {
                if constexpr (direct) latch_.failures = &failures_;
                detail::child_launcher launcher{latch_, parent, n, detail::starts_here(std::get<n - 1>(tasks_))};
                // Inlined: as a call, it cost a fork-join a tenth of its instructions.
                [&]<std::size_t... I>(std::index_sequence<I...>) __attribute__((always_inline)) {
                    if constexpr (direct)
                        (launcher.launch(std::get<I>(tasks_), std::get<I>(results_), I, I + 1 == n), ...);
                    else
                        (launcher.launch(std::get<I>(tasks_), std::get<I>(results_), I + 1 == n), ...);
                }(std::index_sequence_for<T...>{});
                return launcher.finish();
            }
        }
        // Every child has finished. The braced list takes the results in argument order,
        // so the first failure in that order is the one rethrown (when_all).
        value_type await_resume() {
            if constexpr (direct) {
                failures_.rethrow_if_any();
                return std::move(results_);
            } else {
                return std::apply([](auto&... s) { return value_type{take(s)...}; }, results_);
            }
        }

    private:
        template <class U>
        static decltype(auto) take(detail::result_slot<U>& s) {
            if constexpr (Settled)
                return detail::take_settled(s);
            else
                return detail::take_result(s);
        }

        // when_all of values that can be written in place: straight into the result.
        static constexpr bool direct = !Settled && (detail::direct_result<T> && ...);
        struct no_failures {};

        detail::completion_latch latch_;
        std::tuple<task<T>...>& tasks_;
        std::conditional_t<direct, value_type, std::tuple<detail::result_slot<T>...>> results_;
        [[no_unique_address]] std::conditional_t<direct, detail::first_failure, no_failures> failures_;
    };

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
    if constexpr (detail::direct_vector_result<T>) {
        std::vector<T> values(tasks.size());
        detail::first_failure failures;
        co_await detail::vector_children<T, T>{tasks, values, &failures};
        failures.rethrow_if_any();
        co_return std::move(values);
    } else {
        std::vector<detail::result_slot<T>> slots(tasks.size());
        co_await detail::vector_children<T, detail::result_slot<T>>{tasks, slots};
        co_return detail::collect(slots);  // return_void() for a void collect
    }
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
    std::vector<detail::result_slot<T>> slots(tasks.size());
    co_await detail::vector_children<T, detail::result_slot<T>>{tasks, slots};
    std::vector<result<T>> out;
    out.reserve(slots.size());
    for (auto& s : slots) out.push_back(detail::take_settled(s));
    co_return out;
}

// Like when_all over a vector, but at most `limit` of the (lazy) tasks run at any time:
// the next one starts when a running one finishes. limit == 0 throws std::invalid_argument.
template <class T>
[[nodiscard]] task<detail::vector_result_t<T>> when_all_bounded(std::vector<task<T>> tasks, std::size_t limit) {
    if (limit == 0) throw std::invalid_argument("asyncrt::when_all_bounded: limit must be at least 1");
    std::vector<detail::result_slot<T>> slots(tasks.size());
    {
        std::atomic<std::size_t> next{0};  // workers may finish on different threads
        std::vector<task<void>> workers;
        std::size_t n = limit < tasks.size() ? limit : tasks.size();
        workers.reserve(n);
        for (std::size_t i = 0; i < n; ++i) workers.push_back(detail::bounded_worker(tasks, slots, next));
        std::vector<detail::result_slot<void>> worker_slots(n);  // they never fail
        co_await detail::vector_children<void, detail::result_slot<void>>{workers, worker_slots};
    }
    co_return detail::collect(slots);
}

}  // namespace asyncrt
