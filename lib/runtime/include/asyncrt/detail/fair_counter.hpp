// asyncrt/detail/fair_counter.hpp - the FIFO counting core shared by semaphore and mutex.
//
// `count_` is permits minus waiters. The uncontended paths are one atomic operation each:
// acquire is a fetch_sub that saw a positive count, release a fetch_add that saw no
// waiter. Only when a waiter exists does anyone take the (short) list lock. A release that
// finds count < 0 hands its permit straight to the oldest waiter, so a newcomer can never
// overtake the queue. A waiter that has decremented but not yet enqueued is covered by
// `handoffs_`: the releaser leaves the permit there and the waiter picks it up instead of
// suspending.
#pragma once

#include <asyncrt/detail/executor.hpp>
#include <asyncrt/detail/spin_lock.hpp>

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <mutex>

namespace asyncrt::detail {

// Intrusive: lives in the waiting coroutine's frame (inside its awaiter). Filled in only
// when the awaiter queues (fair_acquire_awaiter_base::prepare): an acquire that finds a
// permit never writes it.
struct fair_waiter {
    fair_waiter* next;
    std::coroutine_handle<> handle;
    executor* home;  // where to resume; null: resume inline on the releasing thread
};

class fair_counter {
public:
    explicit fair_counter(std::ptrdiff_t initial) noexcept : count_(initial) {}
    fair_counter(const fair_counter&) = delete;
    fair_counter& operator=(const fair_counter&) = delete;

    // One CAS (retried only under contention); never takes a queued waiter's permit.
    [[nodiscard]] bool try_acquire() noexcept {
        std::ptrdiff_t c = count_.load(std::memory_order_relaxed);
        while (c > 0) {
            if (count_.compare_exchange_weak(c, c - 1, std::memory_order_acquire, std::memory_order_relaxed))
                return true;
        }
        return false;
    }

    // Fast path of an await: true means the permit is ours. False means we are counted as
    // a waiter and must call enqueue(). seq_cst: the semaphore's permit cache orders a
    // registration against a release that caches (see permit_cache.hpp).
    [[nodiscard]] bool acquire_or_register() noexcept {
        return count_.fetch_sub(1, std::memory_order_seq_cst) > 0;
    }

    // Returns false when a permit was already handed over (do not suspend).
    bool enqueue(fair_waiter* w) noexcept {
        std::lock_guard lock(list_lock_);
        if (handoffs_ > 0) {
            --handoffs_;
            return false;
        }
        if (tail_)
            tail_->next = w;
        else
            head_ = w;
        tail_ = w;
        return true;
    }

    // Inline: with no waiter, a release is one atomic add.
    void release() noexcept {
        if (count_.fetch_add(1, std::memory_order_release) < 0) [[unlikely]]
            wake_oldest();
    }

    // Permits in the counter minus registered waiters.
    [[nodiscard]] std::ptrdiff_t count(std::memory_order order = std::memory_order_relaxed) const noexcept {
        return count_.load(order);
    }
    [[nodiscard]] std::ptrdiff_t available() const noexcept {
        auto c = count_.load(std::memory_order_relaxed);
        return c > 0 ? c : 0;
    }
    [[nodiscard]] std::size_t waiters() const noexcept {
        auto c = count_.load(std::memory_order_relaxed);
        return c < 0 ? static_cast<std::size_t>(-c) : 0;
    }

private:
    // A release that found a waiter counted: hands the permit to the oldest one, or, when
    // it has not enqueued yet, leaves it in handoffs_ for it.
    [[gnu::noinline]] void wake_oldest() noexcept {
        fair_waiter* w = nullptr;
        {
            std::lock_guard lock(list_lock_);
            if (head_) {
                w = head_;
                head_ = w->next;
                if (!head_) tail_ = nullptr;
            } else {
                ++handoffs_;
            }
        }
        if (w) {
            auto h = w->handle;  // w dies with the frame once resumed
            if (auto* ex = w->home)
                ex->wake(h);
            else
                h.resume();
        }
    }

    std::atomic<std::ptrdiff_t> count_;
    spin_lock list_lock_;
    fair_waiter* head_ = nullptr;
    fair_waiter* tail_ = nullptr;
    std::ptrdiff_t handoffs_ = 0;
};

// Awaiter skeleton: fast path in await_ready, queueing in await_suspend.
struct fair_acquire_awaiter_base {
    explicit fair_acquire_awaiter_base(fair_counter* c) noexcept : counter(c) {}

    fair_counter* counter;
    fair_waiter waiter;  // see fair_waiter: written by prepare() only

    bool await_ready() noexcept { return counter->acquire_or_register(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        prepare(h);
        return counter->enqueue(&waiter);
    }

protected:
    void prepare(std::coroutine_handle<> h) noexcept {
        waiter = {nullptr, h, current_executor()};
    }
};

}  // namespace asyncrt::detail
