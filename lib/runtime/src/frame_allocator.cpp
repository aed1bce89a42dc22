// The out-of-line half of the per-thread frame cache (asyncrt/detail/frame_allocator.hpp):
// misses, full classes, and the thread-exit drain.
//
// Frames often die on another thread than the one that made them: a task spawned on the
// loop and finished on a worker. The loop's cache then runs dry and the worker's fills
// up, and without more both would go to malloc and free on every task (glibc's free of
// another thread's block also takes that arena's lock). So a full class hands half its
// frames to a process-wide depot, and an empty one takes a batch from it: one short
// locked move per batch of frames instead of a malloc and a free per frame.
#include <asyncrt/detail/frame_allocator.hpp>
#include <asyncrt/detail/spin_lock.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>

namespace asyncrt::detail {

namespace {

using node = frame_cache_state::node;

constexpr unsigned depot_batch = max_cached_frames / 2;
// What the depot keeps per size class (more goes back to the heap): 16 MiB, e.g. a when_all
// over 130,000 live children of 128 bytes. A burst of N live frames is then recycled on
// the next burst instead of paying malloc and free for each, so a when_all's cost per
// child does not grow with N; and what the depot keeps is at most what the program once
// had alive at the same time, which the heap would mostly have kept too. Per class, so a
// burst of one size cannot crowd the others out.
constexpr std::size_t depot_bytes_per_class = std::size_t{16} << 20;

class frame_depot {
public:
    // Moves up to depot_batch frames of class c into `cache`; how many it moved.
    unsigned refill(frame_cache_state& cache, std::size_t c) noexcept {
        auto& cls = classes_[c];
        // A thread that makes frames faster than others free them (a loop spawning a
        // burst) finds the depot empty on every miss; it should not take the lock that
        // the freeing threads use, just to see that.
        if (cls.count.load(std::memory_order_relaxed) == 0) return 0;
        std::lock_guard lock(cls.lock);
        unsigned moved = 0;
        while (cls.head && moved < depot_batch && cache.count[c] < max_cached_frames) {
            cache.keep(c, std::exchange(cls.head, cls.head->next));
            ++moved;
        }
        cls.count.store(cls.count.load(std::memory_order_relaxed) - moved, std::memory_order_relaxed);
        return moved;
    }
    // Takes up to `n` frames of class c from `cache`; those that would take the class
    // past its limit go back to the heap instead.
    void absorb(frame_cache_state& cache, std::size_t c, unsigned n) noexcept {
        auto& cls = classes_[c];
        const auto limit = static_cast<unsigned>(depot_bytes_per_class / ((c + 1) * frame_granule));
        n = std::min(n, cache.count[c]);
        unsigned kept = 0;
        {
            std::lock_guard lock(cls.lock);
            unsigned held = cls.count.load(std::memory_order_relaxed);
            kept = std::min(n, limit - std::min(limit, held));
            for (unsigned i = 0; i < kept; ++i) {
                node* f = cache.take(c);
                f->next = cls.head;
                cls.head = f;
            }
            cls.count.store(held + kept, std::memory_order_relaxed);
        }
        for (unsigned i = kept; i < n; ++i) ::operator delete(cache.take(c));
    }

private:
    struct alignas(64) per_class {
        spin_lock lock;
        node* head = nullptr;
        std::atomic<unsigned> count{0};  // stored under the lock; read without it as a hint
    };
    per_class classes_[frame_classes];
};

// Never destroyed: threads may return frames to it during static destruction.
frame_depot& depot() noexcept {
    static frame_depot* d = new frame_depot;
    return *d;
}

// Registered by a thread's first kept frame; at thread exit hands the cached frames to the
// depot. Frames freed after that (by later thread_local destructors) bypass the cache.
struct frame_cache_drain {
    frame_cache_drain() noexcept { tl_frame_cache.armed = true; }
    frame_cache_drain(const frame_cache_drain&) = delete;
    frame_cache_drain& operator=(const frame_cache_drain&) = delete;
    ~frame_cache_drain() {
        auto& cache = tl_frame_cache;
        cache.armed = false;
        for (std::size_t c = 0; c < frame_classes; ++c) depot().absorb(cache, c, cache.count[c]);
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
    auto& cache = tl_frame_cache;
    if (arm_frame_cache() && depot().refill(cache, c) > 0) return cache.take(c);
    return ::operator new((c + 1) * frame_granule);  // the whole class: any frame of it fits later
}

void deallocate_frame_slow(void* frame, std::size_t size) noexcept {
    std::size_t c = frame_class_of(size);
    if (!frame_cache_enabled || c >= frame_classes || !arm_frame_cache()) {
        ::operator delete(frame);
        return;
    }
    auto& cache = tl_frame_cache;
    if (cache.count[c] == max_cached_frames) depot().absorb(cache, c, depot_batch);  // full: pass half on
    cache.keep(c, frame);
}

}  // namespace asyncrt::detail
