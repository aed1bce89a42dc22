// The out-of-line half of the per-thread frame cache (asyncrt/detail/frame_allocator.hpp):
// misses, and the thread-exit drain.
#include <asyncrt/detail/frame_allocator.hpp>

#include <utility>

namespace asyncrt::detail {

namespace {

// Registered by a thread's first kept frame; at thread exit returns the cached frames to
// the heap. Frames freed after that (by later thread_local destructors) bypass the cache.
struct frame_cache_drain {
    frame_cache_drain() noexcept { tl_frame_cache.armed = true; }
    frame_cache_drain(const frame_cache_drain&) = delete;
    frame_cache_drain& operator=(const frame_cache_drain&) = delete;
    ~frame_cache_drain() {
        auto& cache = tl_frame_cache;
        cache.armed = false;
        for (std::size_t c = 0; c < frame_classes; ++c) {
            while (auto* n = cache.free[c]) {
                cache.free[c] = n->next;
                ::operator delete(n);
            }
            cache.count[c] = 0;
        }
    }
};

// Once per thread; false once the drain has run (the thread is exiting).
bool arm_frame_cache() noexcept {
    static thread_local bool drained_or_armed = false;
    if (drained_or_armed) return tl_frame_cache.armed;
    drained_or_armed = true;
    static thread_local frame_cache_drain drain;
    return tl_frame_cache.armed;
}

}  // namespace

void* allocate_frame_slow(std::size_t size) {
    std::size_t c = frame_class_of(size);
    if (!frame_cache_enabled || c >= frame_classes) return ::operator new(size);
    return ::operator new((c + 1) * frame_granule);  // the whole class: any frame of it fits later
}

void deallocate_frame_slow(void* frame, std::size_t size) noexcept {
    std::size_t c = frame_class_of(size);
    auto& cache = tl_frame_cache;
    if (frame_cache_enabled && c < frame_classes && cache.count[c] < max_cached_frames && arm_frame_cache()) {
        cache.free[c] = ::new (frame) frame_cache_state::node{cache.free[c]};
        ++cache.count[c];
        return;
    }
    ::operator delete(frame);
}

}  // namespace asyncrt::detail
