// The kernel half of asyncrt/detail/asymmetric_fence.hpp.
#include <asyncrt/detail/asymmetric_fence.hpp>

#include <mutex>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace asyncrt::detail {

namespace {

#if defined(__linux__)
long membarrier(int cmd) noexcept { return syscall(__NR_membarrier, cmd, 0u, 0); }

bool register_membarrier() noexcept {
    long supported = membarrier(MEMBARRIER_CMD_QUERY);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}
#else
bool register_membarrier() noexcept { return false; }
#endif

}  // namespace

bool enable_asymmetric_fences() noexcept {
    static std::once_flag once;
    std::call_once(once, [] {
        if (register_membarrier()) g_asymmetric_fences.store(true, std::memory_order_seq_cst);
    });
    return g_asymmetric_fences.load(std::memory_order_relaxed);
}

void heavy_fence() noexcept {
#if defined(__linux__)
    // A failure leaves the symmetric handshake in force only if light() is a full fence,
    // which it is whenever registration did not succeed; once registered the command
    // does not fail.
    if (g_asymmetric_fences.load(std::memory_order_relaxed)) {
        membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
        return;
    }
#endif
    std::atomic_thread_fence(std::memory_order_seq_cst);
}

}  // namespace asyncrt::detail
