// asyncrt/detail/executor.hpp - the one interface every scheduler implements.
#pragma once

#include <coroutine>
#include <span>
#include <utility>

namespace asyncrt::detail {

// Something that can resume a coroutine later, on its own thread(s). The event loop, the
// CPU thread_pool and the blocking pool implement it. post() is thread-safe and must not
// resume the handle inline (callers rely on that to avoid re-entrancy).
class executor {
public:
    virtual void post(std::coroutine_handle<> h) noexcept = 0;
    // Posts several at once; an executor can make that one queue operation.
    virtual void post_many(std::span<const std::coroutine_handle<>> hs) noexcept {
        for (auto h : hs) post(h);
    }
    // Posts a coroutine the running one has just made ready by handing it something (a
    // semaphore permit, a mutex): it is likely to run next on this thread. A pool keeps it
    // in the worker's wake slot instead of its queue; by default it is a post.
    virtual void wake(std::coroutine_handle<> h) noexcept { post(h); }
    // True when the executor runs cooperative tasks that must not block (an event loop);
    // debug mode only warns about slow resumes on such threads.
    [[nodiscard]] virtual bool is_event_loop() const noexcept { return false; }

protected:
    executor() = default;
    executor(const executor&) = delete;
    executor& operator=(const executor&) = delete;
    ~executor() = default;
};

// The executor driving the calling thread. Every await reads it (to know where the awaiter
// resumes), so it is an inline variable rather than a call into the library.
inline constinit thread_local executor* tl_current_executor = nullptr;

// The executor driving the calling thread (event loop inside run(), a pool worker), or null.
[[nodiscard]] inline executor* current_executor() noexcept { return tl_current_executor; }
// Installs `ex` for the calling thread; returns the previous one.
inline executor* exchange_current_executor(executor* ex) noexcept {
    return std::exchange(tl_current_executor, ex);
}

// What to transfer to so that `h` resumes on `home`: `h` itself when this thread already
// runs `home` (or there is no home to go back to); otherwise `h` is posted there and
// nothing runs here.
[[nodiscard]] inline std::coroutine_handle<> resume_on(executor* home, std::coroutine_handle<> h) noexcept {
    if (home && home != current_executor()) {
        home->post(h);
        return std::noop_coroutine();
    }
    return h;
}

// Hops the awaiting coroutine onto `ex` (always suspends: post never resumes inline).
struct [[nodiscard]] schedule_on_awaiter {
    executor* ex;
    static constexpr const char* debug_name = "schedule";
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const noexcept { ex->post(h); }
    void await_resume() const noexcept {}
};

}  // namespace asyncrt::detail
