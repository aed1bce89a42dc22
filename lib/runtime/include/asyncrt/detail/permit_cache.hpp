// asyncrt/detail/permit_cache.hpp - free semaphore permits kept near the threads using them.
//
// A semaphore with permits to spare, used from several threads at once, would bounce the
// cache line of its one counter between cores on every acquire and release. Instead, a
// release that finds no waiter and another permit still free in the counter parks its
// permit in this thread's shard, and the next acquire on the thread takes it back: both
// touch only the shard's own line, and the counter, no longer written, reads cheaply on
// every core.
//
// FIFO fairness is kept. A cached permit is taken only while no waiter is registered, and
// a waiter, once registered, claims any cached permit and hands it to the oldest waiter
// through the counter (perhaps itself). A release that caches and a waiter that registers
// at the same moment are ordered Dekker-style (all seq_cst): the releaser re-checks for
// waiters after caching, the waiter scans the shards after registering, so at least one
// sees the other and no permit is stranded while someone waits.
#pragma once

#include <asyncrt/detail/fair_counter.hpp>

#include <atomic>
#include <cstddef>

namespace asyncrt::detail {

inline std::atomic<unsigned> g_next_thread_shard{0};
inline constinit thread_local unsigned tl_thread_shard = 0;  // 1 + index; 0 until first use

// Threads get consecutive indices, so a pool's workers land on different shards.
[[nodiscard]] inline unsigned thread_shard() noexcept {
    if (tl_thread_shard == 0) tl_thread_shard = 1 + g_next_thread_shard.fetch_add(1, std::memory_order_relaxed);
    return tl_thread_shard - 1;
}

class permit_cache {
public:
    static constexpr std::size_t shard_count = 4;

    // Takes a permit cached on this thread's shard, if no waiter is registered. A
    // semaphore that never cached a permit (one permit, or never shared between threads)
    // skips the shard: one load instead of finding this thread's shard.
    [[nodiscard]] bool take_local(const fair_counter& counter) noexcept {
        return used_.load(std::memory_order_relaxed) && counter.count() >= 0 && take(local());
    }

    // Caches a permit being released. False: release it through the counter instead
    // (a waiter is registered, or it is the counter's last free permit).
    [[nodiscard]] bool keep(const fair_counter& counter) noexcept {
        // Only with another permit left in the counter: a newcomer on another thread then
        // still finds one there, instead of registering and claiming this one.
        if (counter.count() < 1) return false;
        // Set once, and only a hint: a take_local that has not seen it yet goes to the
        // counter, and a waiter still claims the cached permit (claim_any).
        if (!used_.load(std::memory_order_relaxed)) used_.store(true, std::memory_order_relaxed);
        shard& s = local();
        s.cached.fetch_add(1, std::memory_order_seq_cst);
        if (counter.count(std::memory_order_seq_cst) >= 0) return true;
        // A waiter registered meanwhile: take one back for it, unless it claimed it itself.
        return !take(s);
    }

    // For a registered waiter: takes a cached permit from any shard.
    [[nodiscard]] bool claim_any() noexcept {
        for (shard& s : shards_)
            if (take(s)) return true;
        return false;
    }

    [[nodiscard]] std::ptrdiff_t cached() const noexcept {
        std::ptrdiff_t n = 0;
        for (const shard& s : shards_) n += s.cached.load(std::memory_order_relaxed);
        return n;
    }

private:
    struct alignas(64) shard {
        std::atomic<std::ptrdiff_t> cached{0};
    };

    static bool take(shard& s) noexcept {
        std::ptrdiff_t c = s.cached.load(std::memory_order_seq_cst);
        while (c > 0) {
            if (s.cached.compare_exchange_weak(c, c - 1, std::memory_order_seq_cst, std::memory_order_seq_cst))
                return true;
        }
        return false;
    }
    shard& local() noexcept { return shards_[thread_shard() % shard_count]; }

    std::atomic<bool> used_{false};  // some release has cached a permit
    shard shards_[shard_count];
};

}  // namespace asyncrt::detail
