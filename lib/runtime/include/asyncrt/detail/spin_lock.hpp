// asyncrt/detail/spin_lock.hpp - the lock behind asyncrt's short critical sections.
//
// The run queues and waiter lists are locked for a few instructions at a time. A
// contended std::mutex puts the waiter to sleep in the kernel and wakes it through a
// futex, which costs far more than the wait itself; spinning does not. The spinner yields
// now and then, so a preempted holder on a small machine gets the core back.
#pragma once

#include <atomic>
#include <thread>

namespace asyncrt::detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// One round of a spin wait: a pause, and every 128th round a yield, so that a thread
// being waited for that was preempted on a small machine gets the core back.
inline void spin_pause(int round) noexcept {
    if (round % 128 == 0)
        std::this_thread::yield();
    else
        cpu_relax();
}

class spin_lock {
public:
    // The acquiring exchange is seq_cst: the pool's post() relies on it being ordered
    // before its later load of `parked`. On x86 that is the same instruction.
    void lock() noexcept {
        for (int i = 0;; ++i) {
            if (!locked_.exchange(true, std::memory_order_seq_cst)) return;
            while (locked_.load(std::memory_order_relaxed)) spin_pause(++i);
        }
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

}  // namespace asyncrt::detail
