// asyncrt/detail/pool_worker.hpp - which pool worker, if any, the calling thread is.
#pragma once

#include <asyncrt/detail/work_deque.hpp>

#include <cstddef>

namespace asyncrt::detail {

class executor;

// Set by a pool's worker as it starts; a null pool on every other thread. The pool posts
// to the worker's own queue through it, and the when_all launcher reads it inline, once
// per fork, with no call into the library: a child forked onto this worker's own pool may
// begin at once while the queue already holds work for idle workers to take (lazy binary
// splitting), since posting it would only cost a push and a fenced take-back.
struct pool_worker {
    const executor* pool = nullptr;
    work_deque* queue = nullptr;  // this worker's own
    std::size_t index = 0;        // among the pool's workers

    [[nodiscard]] bool fork_may_run_here(const executor& target) const noexcept {
        return pool == &target && queue->size_hint() > 0;
    }
};
inline constinit thread_local pool_worker tl_pool_worker{};

}  // namespace asyncrt::detail
