// asyncrt/semaphore.hpp - a FIFO-fair counting semaphore for coroutines.
//
//     asyncrt::semaphore sem{4};
//     auto permit = co_await sem.acquire();   // released when `permit` goes out of scope
//
// Waiters are served strictly in arrival order and a release with waiters hands the permit
// to the oldest one (no barging). A woken waiter resumes on the executor it suspended on.
// A semaphore used from one thread keeps its permits for that thread without atomic
// instructions (detail/biased_permits.hpp); with permits to spare, a released permit stays
// near the releasing thread for its next acquire (detail/permit_cache.hpp), so threads
// sharing a semaphore do not contend on it.
#pragma once

#include <asyncrt/detail/biased_permits.hpp>
#include <asyncrt/detail/fair_counter.hpp>
#include <asyncrt/detail/permit_cache.hpp>

#include <cstddef>
#include <utility>

namespace asyncrt {

class semaphore {
public:
    // RAII ownership of one permit; move-only.
    class [[nodiscard]] permit {
    public:
        permit() noexcept = default;
        explicit permit(semaphore& s) noexcept : sem_(&s) {}
        permit(permit&& o) noexcept : sem_(std::exchange(o.sem_, nullptr)) {}
        permit& operator=(permit&& o) noexcept {
            if (this != &o) {
                release();
                sem_ = std::exchange(o.sem_, nullptr);
            }
            return *this;
        }
        ~permit() { release(); }
        // Gives the permit back early.
        void release() noexcept {
            if (auto* s = std::exchange(sem_, nullptr)) s->release();
        }
        // Keeps the permit consumed: nothing is returned to the semaphore (signalling use).
        void forget() noexcept { sem_ = nullptr; }
        [[nodiscard]] bool owns() const noexcept { return sem_ != nullptr; }
        explicit operator bool() const noexcept { return owns(); }

    private:
        semaphore* sem_ = nullptr;
    };

    explicit semaphore(std::ptrdiff_t permits) noexcept : core_(permits) {}

    class [[nodiscard]] acquire_awaiter : public detail::fair_acquire_awaiter_base {
    public:
        static constexpr const char* debug_name = "semaphore::acquire";
        explicit acquire_awaiter(semaphore& s) noexcept : fair_acquire_awaiter_base{&s.core_}, sem_(&s) {}
        bool await_ready() noexcept {
            return sem_->bias_.take(sem_->core_) || sem_->cache_.take_local(sem_->core_) ||
                   counter->acquire_or_register();
        }
        bool await_suspend(std::coroutine_handle<> h) noexcept {
            prepare(h);
            // Registered as a waiter: permits kept or cached by some thread go to the
            // oldest waiter (maybe us, then enqueue finds one handed over and we do not
            // suspend).
            sem_->bias_.revoke_for_waiter(sem_->core_);
            if (sem_->cache_.claim_any()) counter->release();
            return counter->enqueue(&waiter);
        }
        [[nodiscard]] permit await_resume() const noexcept { return permit{*sem_}; }

    private:
        semaphore* sem_;
    };

    // Completes (FIFO) when a permit is available; yields the RAII permit.
    [[nodiscard]] acquire_awaiter acquire() noexcept { return acquire_awaiter{*this}; }
    // Takes a permit if one is free and nobody is queued; pair with release(). (A permit
    // cached in another thread's shard is not looked for.)
    [[nodiscard]] bool try_acquire() noexcept {
        return bias_.take(core_) || cache_.take_local(core_) || core_.try_acquire() || bias_.take_from_owner(core_);
    }
    // Returns one permit (to the oldest waiter, if any).
    void release() noexcept {
        if (!bias_.keep() && !cache_.keep(core_)) core_.release();
    }

    [[nodiscard]] std::ptrdiff_t available() const noexcept {
        return core_.available() + cache_.cached() + bias_.kept();
    }
    // Coroutines queued (or about to queue) for a permit.
    [[nodiscard]] std::size_t waiters() const noexcept { return core_.waiters(); }
    // True while this thread holds the semaphore's bias: it has served many acquires on
    // this thread alone, so the permits released here stay here, without an atomic
    // instruction (for tests and tuning).
    [[nodiscard]] bool kept_for_this_thread() const noexcept { return bias_.biased_to_this_thread(); }

private:
    detail::fair_counter core_;
    detail::biased_permits bias_;
    detail::permit_cache cache_;
};

}  // namespace asyncrt
