// asyncrt/mutex.hpp - a FIFO-fair mutex for coroutines: waiting suspends, never blocks.
//
//     asyncrt::mutex m;
//     auto lock = co_await m.lock();   // unlocked when `lock` goes out of scope
//
// Unlike std::mutex it may be held across co_await and released from another thread.
// A mutex used from one thread is biased to it, as a semaphore is
// (detail/biased_permits.hpp): lock and unlock then take no atomic instruction.
#pragma once

#include <asyncrt/detail/biased_permits.hpp>
#include <asyncrt/detail/fair_counter.hpp>

#include <coroutine>
#include <utility>

namespace asyncrt {

class mutex {
public:
    // RAII ownership of the lock; move-only.
    class [[nodiscard]] guard {
    public:
        guard() noexcept = default;
        explicit guard(mutex& m) noexcept : m_(&m) {}
        guard(guard&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
        guard& operator=(guard&& o) noexcept {
            if (this != &o) {
                unlock();
                m_ = std::exchange(o.m_, nullptr);
            }
            return *this;
        }
        ~guard() { unlock(); }
        void unlock() noexcept {
            if (auto* m = std::exchange(m_, nullptr)) m->unlock();
        }
        [[nodiscard]] bool owns_lock() const noexcept { return m_ != nullptr; }
        explicit operator bool() const noexcept { return owns_lock(); }

    private:
        mutex* m_ = nullptr;
    };

    mutex() noexcept : core_(1) {}

    class [[nodiscard]] lock_awaiter : public detail::fair_acquire_awaiter_base {
    public:
        static constexpr const char* debug_name = "mutex::lock";
        explicit lock_awaiter(mutex& m) noexcept : fair_acquire_awaiter_base{&m.core_}, m_(&m) {}
        bool await_ready() noexcept { return m_->bias_.take(m_->core_) || counter->acquire_or_register(); }
        bool await_suspend(std::coroutine_handle<> h) noexcept {
            prepare(h);
            m_->bias_.revoke_for_waiter(m_->core_);  // registered: the kept lock goes to the oldest waiter
            return counter->enqueue(&waiter);
        }
        [[nodiscard]] guard await_resume() const noexcept { return guard{*m_}; }

    private:
        mutex* m_;
    };

    // Completes (FIFO) once the lock is ours; yields the RAII guard.
    [[nodiscard]] lock_awaiter lock() noexcept { return lock_awaiter{*this}; }
    // Takes the lock if it is free and nobody waits; pair with unlock().
    [[nodiscard]] bool try_lock() noexcept {
        return bias_.take(core_) || core_.try_acquire() || bias_.take_from_owner(core_);
    }
    void unlock() noexcept {
        if (!bias_.keep()) core_.release();
    }
    // Racy snapshot, for diagnostics.
    [[nodiscard]] bool is_locked() const noexcept { return core_.available() + bias_.kept() == 0; }
    // True while this thread holds the mutex's bias (for tests and tuning; see semaphore).
    [[nodiscard]] bool kept_for_this_thread() const noexcept { return bias_.biased_to_this_thread(); }

private:
    detail::fair_counter core_;
    detail::biased_permits bias_;
};

}  // namespace asyncrt
