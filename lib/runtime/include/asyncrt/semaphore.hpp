// asyncrt/semaphore.hpp - a FIFO-fair counting semaphore for coroutines.
//
//     asyncrt::semaphore sem{4};
//     auto permit = co_await sem.acquire();   // released when `permit` goes out of scope
//
// Waiters are served strictly in arrival order and a release with waiters hands the permit
// to the oldest one (no barging). A woken waiter resumes on the executor it suspended on.
#pragma once

#include <asyncrt/detail/fair_counter.hpp>

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
        [[nodiscard]] permit await_resume() const noexcept { return permit{*sem_}; }

    private:
        semaphore* sem_;
    };

    // Completes (FIFO) when a permit is available; yields the RAII permit.
    [[nodiscard]] acquire_awaiter acquire() noexcept { return acquire_awaiter{*this}; }
    // Takes a permit if one is free and nobody is queued; pair with release().
    [[nodiscard]] bool try_acquire() noexcept { return core_.try_acquire(); }
    // Returns one permit (to the oldest waiter, if any).
    void release() noexcept { core_.release(); }

    [[nodiscard]] std::ptrdiff_t available() const noexcept { return core_.available(); }
    // Coroutines queued (or about to queue) for a permit.
    [[nodiscard]] std::size_t waiters() const noexcept { return core_.waiters(); }

private:
    detail::fair_counter core_;
};

}  // namespace asyncrt
