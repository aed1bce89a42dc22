// asyncrt/detail/fork_site.hpp - where a fork may begin at once (lazy binary splitting).
#pragma once

#include <asyncrt/detail/work_deque.hpp>

namespace asyncrt::detail {

class executor;

// On a pool worker: its pool and its own queue (null elsewhere), set by the worker as it
// starts. A when_all child forked onto that pool from this thread may begin at once while
// the queue already holds work for idle workers to take: posting one more item would only
// cost a push and a fenced take-back. Read inline by the launcher, once per fork, rather
// than through a virtual call.
struct fork_site {
    const executor* pool = nullptr;
    const work_deque* queue = nullptr;

    [[nodiscard]] bool fork_may_run_here(const executor& target) const noexcept {
        return pool == &target && queue->size_hint() > 0;
    }
};
inline constinit thread_local fork_site tl_fork_site{};

}  // namespace asyncrt::detail
