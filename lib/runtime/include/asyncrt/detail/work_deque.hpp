// asyncrt/detail/work_deque.hpp - a pool worker's own run queue (a Chase-Lev deque).
//
// A fork-join posts one item per fork to the forking worker's own queue and usually takes
// it back itself a moment later. Behind a lock that is a lock and an unlock on each side,
// and a std::deque's bookkeeping; here the owner pushes and takes with a store and a
// fenced store, and only thieves (taking the oldest item, at the top) and a take of the
// last item use a CAS.
// The owner works at the bottom, newest first, so fork-join stays depth-first and
// cache-hot.
//
// The algorithm is Chase and Lev's (2005) with the memory orders of Le, Pop, Cohen and
// Zappa Nardelli (2013), written with seq_cst operations where they put fences, which
// ThreadSanitizer understands. The array doubles when full; an outgrown one is kept until
// the deque dies, since a thief may still be reading it.
#pragma once

#include <asyncrt/detail/asymmetric_fence.hpp>

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace asyncrt::detail {

class work_deque {
public:
    work_deque() { grow_to(initial_capacity, 0, 0); }
    work_deque(const work_deque&) = delete;
    work_deque& operator=(const work_deque&) = delete;

    // Owner only. The store of bottom_ is ordered before the poster's later load of the
    // pool's parked count by light_fence() (thread_pool's notify): a worker about to park
    // raises that count, runs the heavy fence, then looks here, so one of the two sees the
    // other (see asymmetric_fence.hpp).
    void push(std::coroutine_handle<> h) { push_many({&h, 1}); }
    // Several at once, in order (the last is taken first): one store publishes them all.
    void push_many(std::span<const std::coroutine_handle<>> hs) {
        std::int64_t b = bottom_.load(std::memory_order_relaxed);
        std::int64_t t = top_.load(std::memory_order_acquire);
        ring* r = ring_.load(std::memory_order_relaxed);
        const auto n = static_cast<std::int64_t>(hs.size());
        while (b - t + n > static_cast<std::int64_t>(r->mask) + 1) r = grow_to(2 * (r->mask + 1), t, b);
        for (std::int64_t i = 0; i < n; ++i)
            r->at(b + i).store(hs[static_cast<std::size_t>(i)].address(), std::memory_order_relaxed);
        bottom_.store(b + n, std::memory_order_release);
        light_fence();
    }

    // Owner only: the newest item.
    bool take(std::coroutine_handle<>& out) noexcept {
        std::int64_t b = bottom_.load(std::memory_order_relaxed) - 1;
        ring* r = ring_.load(std::memory_order_relaxed);
        // Publish the claim before looking at top_: a thief that read the old bottom_ and
        // a take that reads the old top_ cannot both take the last item.
        bottom_.store(b, std::memory_order_seq_cst);
        std::int64_t t = top_.load(std::memory_order_seq_cst);
        if (t > b) {  // empty
            bottom_.store(b + 1, std::memory_order_relaxed);
            return false;
        }
        void* item = r->at(b).load(std::memory_order_relaxed);
        if (t == b) {  // the last item: race the thieves for it
            bool won = top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed);
            bottom_.store(b + 1, std::memory_order_relaxed);
            if (!won) return false;
        }
        out = std::coroutine_handle<>::from_address(item);
        return true;
    }

    // Anyone (the owner too, for its oldest item): the oldest item. False when empty or
    // when another taker won the race for it.
    bool steal(std::coroutine_handle<>& out) noexcept {
        std::int64_t t = top_.load(std::memory_order_seq_cst);
        std::int64_t b = bottom_.load(std::memory_order_seq_cst);
        if (t >= b) return false;
        void* item = ring_.load(std::memory_order_acquire)->at(t).load(std::memory_order_relaxed);
        if (!top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed))
            return false;
        out = std::coroutine_handle<>::from_address(item);
        return true;
    }

    // Items queued, as seen without synchronisation: a hint for whether to look.
    [[nodiscard]] std::size_t size_hint() const noexcept {
        std::int64_t n = bottom_.load(std::memory_order_relaxed) - top_.load(std::memory_order_relaxed);
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    // The same with seq_cst loads, for the look before parking.
    [[nodiscard]] bool is_empty() const noexcept {
        return top_.load(std::memory_order_seq_cst) >= bottom_.load(std::memory_order_seq_cst);
    }

private:
    static constexpr std::size_t initial_capacity = 256;

    struct ring {
        explicit ring(std::size_t capacity) : mask(capacity - 1), cells(new std::atomic<void*>[capacity]) {}
        std::atomic<void*>& at(std::int64_t i) noexcept { return cells[static_cast<std::size_t>(i) & mask]; }
        std::size_t mask;
        std::unique_ptr<std::atomic<void*>[]> cells;
    };

    // Owner only: a ring of `capacity` cells holding the items in [t, b).
    ring* grow_to(std::size_t capacity, std::int64_t t, std::int64_t b) {
        auto bigger = std::make_unique<ring>(capacity);
        if (!rings_.empty()) {
            ring* old = rings_.back().get();
            for (std::int64_t i = t; i < b; ++i)
                bigger->at(i).store(old->at(i).load(std::memory_order_relaxed), std::memory_order_relaxed);
        }
        rings_.push_back(std::move(bigger));
        ring_.store(rings_.back().get(), std::memory_order_release);
        return rings_.back().get();
    }

    alignas(64) std::atomic<std::int64_t> top_{0};     // thieves' end
    alignas(64) std::atomic<std::int64_t> bottom_{0};  // owner's end
    std::atomic<ring*> ring_{nullptr};
    std::vector<std::unique_ptr<ring>> rings_;  // the current one last
};

}  // namespace asyncrt::detail
