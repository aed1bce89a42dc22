// asyncrt/detail/handle_ring.hpp - a bounded lock-free queue of coroutine handles, for
// many producers and many consumers.
//
// The pool's injection queue is where a loop thread hands work to the workers. Behind a
// lock, every post and every take moves the lock's cache line between the producer's core
// and a worker's, and the producer waits whenever a worker holds it. Here producers and
// consumers meet only in the cells: a producer claims cells by advancing `tail_`, a
// consumer by advancing `head_`, and each cell's sequence number says whose turn it is
// (D. Vyukov's bounded MPMC queue), so neither side waits for the other.
//
// A full ring refuses a push; the caller keeps the overflow elsewhere.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <coroutine>
#include <cstddef>
#include <span>

namespace asyncrt::detail {

template <std::size_t Capacity>
    requires(std::has_single_bit(Capacity))
class handle_ring {
public:
    handle_ring() noexcept {
        for (std::size_t i = 0; i < Capacity; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
    }
    handle_ring(const handle_ring&) = delete;
    handle_ring& operator=(const handle_ring&) = delete;

    // Pushes all of hs, in order, or none of them (false: too few free cells). The claim
    // of the cells is a seq_cst RMW on tail_: a consumer about to sleep that loads tail_
    // with seq_cst after announcing itself either sees these items or is seen by the
    // producer's later seq_cst load of the sleepers' count.
    bool try_push(std::span<const std::coroutine_handle<>> hs) noexcept {
        const std::size_t n = hs.size();
        if (n == 0) return true;
        if (n > Capacity) return false;
        std::size_t pos = tail_.load(std::memory_order_relaxed);
        for (;;) {
            switch (free_run(pos, n)) {
                case run::full:
                    return false;
                case run::stale:
                    pos = tail_.load(std::memory_order_relaxed);
                    continue;
                case run::ready:
                    break;
            }
            if (tail_.compare_exchange_weak(pos, pos + n, std::memory_order_seq_cst, std::memory_order_relaxed)) break;
        }
        for (std::size_t i = 0; i < n; ++i) {
            cell& c = cells_[(pos + i) & mask];
            c.handle = hs[i];
            c.seq.store(pos + i + 1, std::memory_order_release);
        }
        return true;
    }

    // Pops up to out.size() published items, oldest first, into out; returns how many.
    // An item whose producer has claimed its cell but not yet filled it ends the run.
    std::size_t try_pop(std::span<std::coroutine_handle<>> out) noexcept {
        if (out.empty()) return 0;
        std::size_t pos = head_.load(std::memory_order_relaxed);
        std::size_t n = 0;
        for (;;) {
            n = 0;
            bool stale = false;
            while (n < out.size()) {
                std::size_t seq = cells_[(pos + n) & mask].seq.load(std::memory_order_acquire);
                auto diff = static_cast<std::ptrdiff_t>(seq - (pos + n + 1));
                if (diff == 0) {
                    ++n;
                    continue;
                }
                stale = diff > 0;  // another consumer took this cell: pos is old
                break;
            }
            if (n == 0) {
                if (!stale) return 0;
                pos = head_.load(std::memory_order_relaxed);
                continue;
            }
            if (head_.compare_exchange_weak(pos, pos + n, std::memory_order_relaxed, std::memory_order_relaxed)) break;
        }
        // The cells are ours: their handles were published before the seq we acquired,
        // and no producer reuses a cell until we hand it back for the next lap.
        for (std::size_t i = 0; i < n; ++i) {
            cell& c = cells_[(pos + i) & mask];
            out[i] = c.handle;
            c.seq.store(pos + i + Capacity, std::memory_order_release);
        }
        return n;
    }

    // Published items at the head, counting at most `limit` (for sizing a batch).
    [[nodiscard]] std::size_t ready_at_head(std::size_t limit) const noexcept {
        std::size_t pos = head_.load(std::memory_order_relaxed);
        std::size_t n = 0;
        while (n < limit && cells_[(pos + n) & mask].seq.load(std::memory_order_relaxed) == pos + n + 1) ++n;
        return n;
    }

    // A hint read by spinning consumers: touches the head cell, which the producer writes
    // anyway, and not tail_, which only producers should need.
    [[nodiscard]] bool looks_empty() const noexcept { return ready_at_head(1) == 0; }

    // Whether any cell is claimed and not yet popped; seq_cst for the sleeper's check
    // (see try_push). A claimed cell may not be filled yet: a caller that sees true
    // should look again rather than sleep.
    [[nodiscard]] bool claimed_any() const noexcept {
        return tail_.load(std::memory_order_seq_cst) != head_.load(std::memory_order_seq_cst);
    }

private:
    static constexpr std::size_t mask = Capacity - 1;

    struct cell {
        std::atomic<std::size_t> seq;
        std::coroutine_handle<> handle;
    };

    enum class run { ready, full, stale };
    // Whether the n cells from pos are free for this lap.
    run free_run(std::size_t pos, std::size_t n) const noexcept {
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t seq = cells_[(pos + i) & mask].seq.load(std::memory_order_acquire);
            auto diff = static_cast<std::ptrdiff_t>(seq - (pos + i));
            if (diff < 0) return run::full;  // a consumer has not yet popped last lap's item
            if (diff > 0) return run::stale;  // another producer claimed it: pos is old
        }
        return run::ready;
    }

    alignas(64) std::atomic<std::size_t> head_{0};
    alignas(64) std::atomic<std::size_t> tail_{0};
    alignas(64) std::array<cell, Capacity> cells_;
};

}  // namespace asyncrt::detail
