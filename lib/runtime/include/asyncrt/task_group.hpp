// asyncrt/task_group.hpp - structured concurrency (asyncio.TaskGroup).
//
//     asyncrt::task_group g;
//     g.spawn(fetch(a));
//     g.spawn(fetch(b));
//     co_await g.join();   // waits for all; rethrows the first failure
//
// spawn() schedules the task on the calling thread's executor (it starts soon, not at
// join). The first task to fail requests cancellation through the group's token, which
// every spawned task (and what it awaits) inherits; tasks observe it cooperatively (see
// cancellation.hpp). join() waits for every task, then rethrows that first exception.
// No task outlives its group: destroying a group with unfinished tasks calls
// std::terminate, like destroying a joinable std::thread - always co_await join().
#pragma once

#include <asyncrt/cancellation.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/detail/executor.hpp>
#include <asyncrt/detail/task_sink.hpp>
#include <asyncrt/task.hpp>

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <utility>

namespace asyncrt {

class task_group final : private detail::task_sink {
public:
    task_group() noexcept : task_sink(&token_) {}
    task_group(const task_group&) = delete;
    task_group& operator=(const task_group&) = delete;
    ~task_group() {
        if (count_.load(std::memory_order_acquire) != 1 + reserved()) {
            std::fputs("asyncrt: task_group destroyed while tasks are still running; co_await join() first\n", stderr);
            std::terminate();
        }
        if (first_error_) detail::debug_exception_never_retrieved(std::source_location::current(), first_error_);
    }

    // Starts `t` soon on the calling thread's executor (requires one: call it inside
    // asyncrt::run or on a pool thread; otherwise throws std::logic_error).
    template <class T>
    void spawn(task<T> t) {
        auto* ex = detail::current_executor();
        if (!ex) throw std::logic_error("asyncrt::task_group::spawn: no executor on this thread (call it inside asyncrt::run)");
        if (!t.valid()) throw std::invalid_argument("asyncrt::task_group::spawn: empty task");
        auto h = detail::task_access::release(t);
        // The task reports to task_finished and frees itself; its token is ours.
        detail::executor* begin_on = h.promise().set_sink(this);
        count_spawn();
        (begin_on ? *begin_on : *ex).post(h);
    }
    // The same for a task source, such as what when_all(t...) returns.
    template <detail::task_source S>
    void spawn(S s) {
        spawn(detail::as_task(std::move(s)));
    }

    class [[nodiscard]] join_awaiter {
    public:
        static constexpr const char* debug_name = "task_group::join";
        explicit join_awaiter(task_group& g) noexcept : g_(&g) {}
        bool await_ready() const noexcept { return g_->count_.load(std::memory_order_acquire) == 1; }
        bool await_suspend(std::coroutine_handle<> h) noexcept {
            g_->joiner_ = h;
            g_->joiner_executor_ = detail::current_executor();
            // Drop the join reference and the unused reserve; if that was the last of the
            // count, everything already ended.
            std::size_t r = g_->reserve_.exchange(closed, std::memory_order_relaxed);
            std::size_t drop = 1 + (r == closed ? 0 : r);
            return g_->count_.fetch_sub(drop, std::memory_order_acq_rel) != drop;
        }
        void await_resume() { g_->finish_join(); }

    private:
        task_group* g_;
    };

    // Completes when every spawned task has finished; rethrows the first failure.
    [[nodiscard]] join_awaiter join() noexcept { return join_awaiter{*this}; }

    // Requests cancellation of every task in the group (cooperative).
    void cancel() noexcept { stop_.request_stop(); }
    [[nodiscard]] bool cancellation_requested() const noexcept { return stop_.stop_requested(); }
    [[nodiscard]] std::stop_token token() const noexcept { return stop_.get_token(); }
    // Tasks spawned and not yet finished.
    [[nodiscard]] std::size_t running() const noexcept {
        auto c = count_.load(std::memory_order_acquire);
        auto not_running = 1 + reserved();
        return c > not_running ? c - not_running : 0;
    }

private:
    // count_ is shared with every finishing task, which may be on other threads: a burst
    // of spawns from one loop, each adding to it, made it a cache line that loop and the
    // pool's workers fought over for every task (half the time of a million spawned
    // no-ops). So a spawner takes counts in blocks into reserve_, a line of its own that
    // only spawners touch, and join gives back what is left (closed: joining, no reserve).
    static constexpr std::size_t spawn_block = 64;
    static constexpr std::size_t closed = static_cast<std::size_t>(-1);

    void count_spawn() noexcept {
        std::size_t r = reserve_.load(std::memory_order_relaxed);
        for (;;) {
            if (r == closed) {
                count_.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            if (r == 0) return refill();
            if (reserve_.compare_exchange_weak(r, r - 1, std::memory_order_relaxed)) return;
        }
    }
    // One count for this spawn, the rest of a block into the reserve; given back if join
    // closed the reserve (or another spawner refilled it) meanwhile. The count never
    // reaches zero on the way back: it still holds this spawn's.
    void refill() noexcept {
        count_.fetch_add(spawn_block, std::memory_order_relaxed);
        std::size_t empty = 0;
        if (!reserve_.compare_exchange_strong(empty, spawn_block - 1, std::memory_order_relaxed))
            count_.fetch_sub(spawn_block - 1, std::memory_order_relaxed);
    }
    // Counts taken and not yet given to a task.
    [[nodiscard]] std::size_t reserved() const noexcept {
        std::size_t r = reserve_.load(std::memory_order_relaxed);
        return r == closed ? 0 : r;
    }

    // A spawned task ended (any thread; its frame is already freed).
    std::coroutine_handle<> task_finished(std::exception_ptr error, std::source_location) noexcept override {
        if (error) child_failed(std::move(error));
        return child_done();
    }

    void child_failed(std::exception_ptr e) noexcept {
        {
            std::lock_guard lock(error_mutex_);
            if (!first_error_) first_error_ = std::move(e);
        }
        stop_.request_stop();
    }

    // Called by a finishing child (any thread); returns what to run next.
    // The joiner resumes on the executor it suspended on, like every awaiter: the last
    // task may have finished on a pool worker.
    std::coroutine_handle<> child_done() noexcept {
        if (count_.fetch_sub(1, std::memory_order_acq_rel) != 1) return std::noop_coroutine();
        return detail::resume_on(joiner_executor_, joiner_);
    }

    void finish_join() {
        count_.store(1, std::memory_order_relaxed);  // ready for reuse
        reserve_.store(0, std::memory_order_relaxed);
        std::exception_ptr e;
        {
            std::lock_guard lock(error_mutex_);
            e = std::exchange(first_error_, nullptr);
        }
        if (stop_.stop_requested()) {
            stop_ = std::stop_source{};
            token_ = stop_.get_token();  // no task reads the old one: all have finished
        }
        if (e) std::rethrow_exception(e);
    }

    std::stop_source stop_;
    std::stop_token token_ = stop_.get_token();  // what every spawned task sees (task_sink::token)
    std::atomic<std::size_t> count_{1};  // running tasks + reserve + 1 for the (future) joiner
    // Keeps reserve_ off count_'s cache line. Padding rather than alignas(64): a group
    // lives in coroutine frames, which GCC 12 does not over-align.
    [[maybe_unused]] char apart_from_count_[64];
    std::atomic<std::size_t> reserve_{0};  // see count_spawn
    std::coroutine_handle<> joiner_{};
    detail::executor* joiner_executor_ = nullptr;
    std::mutex error_mutex_;
    std::exception_ptr first_error_;
};

}  // namespace asyncrt
