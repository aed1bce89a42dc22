// asyncrt/thread_pool.hpp - a fixed-size, work-stealing pool for CPU-bound work.
//
//     asyncrt::thread_pool pool{4};
//     co_await pool.schedule();          // the rest of this coroutine runs on a worker
//
// Each worker owns a queue; work posted from a worker goes to its own queue, work from
// outside goes to a shared injection queue that workers drain a batch at a time, and idle
// workers steal from the others (a lone item only once its owner has stopped taking work:
// it is usually a handoff the owner runs next). The injection queue is a lock-free ring
// (with a locked overflow behind it), so a loop posting work never waits for a worker
// taking some; a worker's own queue is a lock-free deque. Idle workers spin briefly
// before parking, because a futex wake-up costs far more than the typical gap between
// two posts; one that sees only handoffs other workers run themselves dozes instead of
// spinning on, which would slow those workers down (up to a millisecond at a time).
#pragma once

#include <asyncrt/detail/executor.hpp>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>

namespace asyncrt {

class thread_pool final : public detail::executor {
public:
    // 0 means std::thread::hardware_concurrency() (at least 1).
    explicit thread_pool(std::size_t threads = 0);
    // Runs what is still queued, then joins the workers. Posting after destruction starts
    // is undefined; so is destroying the pool from one of its own workers.
    ~thread_pool();

    class [[nodiscard]] schedule_awaiter {
    public:
        static constexpr const char* debug_name = "thread_pool::schedule";
        explicit schedule_awaiter(thread_pool& p) noexcept : pool_(&p) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const noexcept { pool_->post(h); }
        void await_resume() const noexcept {}

    private:
        thread_pool* pool_;
    };

    // Moves the awaiting coroutine onto one of the workers.
    [[nodiscard]] schedule_awaiter schedule() noexcept { return schedule_awaiter{*this}; }

    void post(std::coroutine_handle<> h) noexcept override;  // thread-safe
    // One lock and one wake-up check for all of them.
    void post_many(std::span<const std::coroutine_handle<>> hs) noexcept override;
    // From a worker: into its wake slot, taken before its queue (a handed-over permit
    // runs next without a trip through the queue); from elsewhere, a post.
    void wake(std::coroutine_handle<> h) noexcept override;

    [[nodiscard]] std::size_t size() const noexcept;
    // True on one of this pool's worker threads.
    [[nodiscard]] bool on_worker_thread() const noexcept;
    // Items a worker took from another worker's queue (for tests and tuning).
    [[nodiscard]] std::uint64_t steal_count() const noexcept;
    // Times an idle worker dozed while others handed work along (for tests and tuning).
    [[nodiscard]] std::uint64_t doze_count() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace asyncrt
