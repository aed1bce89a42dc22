// asyncrt/detail/biased_permits.hpp - the permits of a semaphore (or a mutex's one) kept
// for the one thread using it.
//
// Most semaphores and mutexes are used from one thread: an event loop limiting or
// serializing its own tasks. Even uncontended, each acquire and each release is then a
// locked instruction on the shared counter, which is the whole cost of the pair. So once
// a semaphore (or mutex) has served `claim_after` acquires while unbiased, the thread
// serving the next one claims it: from then on that thread keeps the permits it releases
// here and takes them back with plain loads and stores, fenced only by a compiler barrier
// (asymmetric_fence.hpp).
//
// FIFO fairness is kept: a waiter, once registered on the counter, revokes the bias
// before it queues, and the kept permits go back through the counter, which hands them
// to the oldest waiters. The owner's steps and a revoker are ordered Dekker-style: the
// owner raises `busy_`, runs light_fence() and then checks it still owns the semaphore;
// the revoker takes ownership away, runs heavy_fence() and waits while `busy_` is raised.
// Either the owner sees the revocation, or the revoker sees the owner's step and waits it
// out, then collects what it kept. The owner revoking itself (its own acquire had to
// queue) needs no fence, and it may claim again later; a revocation from another thread,
// which costs that thread a process-wide fence, means the semaphore is shared, and it
// stays unbiased for good.
#pragma once

#include <asyncrt/detail/asymmetric_fence.hpp>
#include <asyncrt/detail/fair_counter.hpp>
#include <asyncrt/detail/spin_lock.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace asyncrt::detail {

inline std::atomic<std::uint32_t> g_next_bias_token{2};
inline constinit thread_local std::uint32_t tl_bias_token = 0;  // 0 until first use

class biased_permits {
public:
    // Acquires served without a bias before one is claimed: a semaphore shared by threads
    // for a few acquires never pays for a revocation.
    static constexpr std::uint32_t claim_after = 1024;

    // On the owner: takes a kept permit, unless a waiter is registered (no barging).
    // Elsewhere, counts toward a claim.
    [[nodiscard]] bool take(fair_counter& counter) noexcept {
        std::uint32_t o = owner_.load(std::memory_order_relaxed);
        if (o == revoked) return false;
        std::uint32_t me = this_thread_token();
        if (o == me) return counter.count() >= 0 && owner_step(me, -1);
        if (o == unowned) count_use(counter, me);
        return false;
    }

    // On the owner: keeps a released permit. False elsewhere (release through the counter).
    [[nodiscard]] bool keep() noexcept {
        std::uint32_t o = owner_.load(std::memory_order_relaxed);
        if (o == unowned || o == revoked) return false;
        std::uint32_t me = this_thread_token();
        return o == me && owner_step(me, +1);
    }

    // For a waiter just registered on `counter`: ends the bias, returning the kept permits
    // to the counter (the oldest waiters get them).
    void revoke_for_waiter(fair_counter& counter) noexcept {
        std::uint32_t o = owner_.load(std::memory_order_seq_cst);
        if (o != unowned && o != revoked) revoke(counter, o);
    }

    // For another thread's try_acquire that found no free permit elsewhere: if the owner
    // keeps any, ends the bias, returning them to `counter`, and tries the counter again.
    [[nodiscard]] bool take_from_owner(fair_counter& counter) noexcept {
        std::uint32_t o = owner_.load(std::memory_order_seq_cst);
        if (o == unowned || o == revoked || o == this_thread_token() || kept() == 0) return false;
        revoke(counter, o);
        return counter.try_acquire();
    }

    // Permits kept by the owner (counted as available).
    [[nodiscard]] std::ptrdiff_t kept() const noexcept { return kept_.load(std::memory_order_relaxed); }
    [[nodiscard]] bool biased_to_this_thread() const noexcept {
        return owner_.load(std::memory_order_relaxed) == this_thread_token();
    }

private:
    static constexpr std::uint32_t unowned = 0;
    static constexpr std::uint32_t revoked = 1;  // shared between threads: never biased again

    // Never reused, unlike thread ids: a token names one thread for the process's life.
    [[nodiscard]] static std::uint32_t this_thread_token() noexcept {
        if (tl_bias_token == 0) tl_bias_token = g_next_bias_token.fetch_add(1, std::memory_order_relaxed);
        return tl_bias_token;
    }

    // Adds `delta` to the kept permits if this thread still owns them and the result is
    // not negative. See the header comment for the handshake with revoke(). A bias exists
    // only where asymmetric fences do, so the owner's side is the compiler barrier alone.
    bool owner_step(std::uint32_t me, std::ptrdiff_t delta) noexcept {
        busy_.store(true, std::memory_order_relaxed);
        std::atomic_signal_fence(std::memory_order_seq_cst);  // light_fence(): `busy_` before the look at `owner_`
        bool ok = owner_.load(std::memory_order_relaxed) == me;
        if (ok) {
            std::ptrdiff_t k = kept_.load(std::memory_order_relaxed) + delta;
            ok = k >= 0;
            if (ok) kept_.store(k, std::memory_order_relaxed);
        }
        busy_.store(false, std::memory_order_release);  // hands what it kept to a revoker
        return ok;
    }

    // A hint, counted with plain loads and stores: lost counts only delay a claim.
    void count_use(fair_counter& counter, std::uint32_t me) noexcept {
        std::uint32_t n = uses_.load(std::memory_order_relaxed) + 1;
        uses_.store(n, std::memory_order_relaxed);
        if (n >= claim_after) [[unlikely]]
            claim(counter, me);
    }

    [[gnu::noinline]] void claim(fair_counter& counter, std::uint32_t me) noexcept {
        uses_.store(0, std::memory_order_relaxed);
        // Without the kernel's fence the owner's barrier would be a full fence, which
        // saves nothing over the counter's own locked instruction.
        if (!enable_asymmetric_fences()) return;
        std::uint32_t o = unowned;
        if (!owner_.compare_exchange_strong(o, me, std::memory_order_seq_cst)) return;
        // A waiter that registered before our claim did not see it, so it will not
        // revoke: we do, or its permit could stay kept here while it waits.
        if (counter.count(std::memory_order_seq_cst) < 0) revoke(counter, me);
    }

    [[gnu::noinline]] void revoke(fair_counter& counter, std::uint32_t owner) noexcept {
        std::ptrdiff_t n = 0;
        if (owner == this_thread_token()) {
            // Collected before letting go: once unowned, another thread may claim and keep.
            n = kept_.exchange(0, std::memory_order_relaxed);
            owner_.compare_exchange_strong(owner, unowned, std::memory_order_seq_cst);
        } else {
            if (!owner_.compare_exchange_strong(owner, revoked, std::memory_order_seq_cst))
                return;  // revoked already: whoever did collects the permits
            heavy_fence();  // the owner now sees it lost the bias, or we see it busy
            for (int i = 1; busy_.load(std::memory_order_acquire); ++i) spin_pause(i);  // owner mid-step
            n = kept_.exchange(0, std::memory_order_acquire);
        }
        for (; n > 0; --n) counter.release();
    }

    std::atomic<std::uint32_t> owner_{unowned};  // unowned, revoked, or the owner's token
    std::atomic<std::uint32_t> uses_{0};
    std::atomic<bool> busy_{false};  // the owner is in owner_step
    std::atomic<std::ptrdiff_t> kept_{0};
};

}  // namespace asyncrt::detail
