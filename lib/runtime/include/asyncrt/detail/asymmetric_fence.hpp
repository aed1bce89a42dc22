// asyncrt/detail/asymmetric_fence.hpp - a fence paid by the rare side of a Dekker handshake.
//
// A post to a pool worker's own queue must be ordered before the poster's look at whether
// a worker is parked, and a parking worker's announcement before its last look at the
// queues: otherwise each can miss the other and the item waits with everyone asleep. A
// full fence on every post costs a fork-join a locked instruction per task; parking is
// rare (after thousands of empty spins). So the post side pays only a compiler barrier
// (light()) and the parking side asks the kernel to run a full fence on every thread of
// the process (heavy(), Linux membarrier): every post is then either visible to the
// parking worker's look or followed by a look at `parked` that sees the announcement.
// Where membarrier is unavailable (not Linux, an old kernel, a sandbox forbidding it)
// light() is a full fence and heavy() a plain one, which is the symmetric handshake.
#pragma once

#include <atomic>

namespace asyncrt::detail {

// Set once, by the first enable_asymmetric_fences() that succeeds; never cleared.
inline std::atomic<bool> g_asymmetric_fences{false};

// Registers the process for membarrier's private expedited command (idempotent, cheap
// after the first call). Call before the first light() that must count as a fence.
bool enable_asymmetric_fences() noexcept;

// The frequent side.
inline void light_fence() noexcept {
    if (g_asymmetric_fences.load(std::memory_order_relaxed))
        std::atomic_signal_fence(std::memory_order_seq_cst);
    else
        std::atomic_thread_fence(std::memory_order_seq_cst);
}

// The rare side.
void heavy_fence() noexcept;

}  // namespace asyncrt::detail
