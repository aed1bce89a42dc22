// The out-of-line half of the per-thread frame cache (asyncrt/detail/frame_allocator.hpp):
// misses, full classes, and the thread-exit drain.
//
// Frames often die on another thread than the one that made them: a task spawned on the
// loop and finished on a worker. The loop's cache then runs dry and the worker's fills
// up, and without more both would go to malloc and free on every task (glibc's free of
// another thread's block also takes that arena's lock). So a full class hands a batch
// of its frames to a process-wide depot, and an empty one takes a batch from it: one short
// locked move per batch of frames instead of a malloc and a free per frame.
#include <asyncrt/detail/frame_allocator.hpp>
#include <asyncrt/detail/spin_lock.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

namespace asyncrt::detail {

namespace {

using node = frame_cache_state::node;

// What a full thread cache passes on, and what a refill brings, at a time.
constexpr unsigned depot_batch = 32;
static_assert(depot_batch <= min_cached_frames / 2);
// What the depot keeps per size class (more goes back to the heap): 512 KiB, e.g. 4096
// frames of 128 bytes, enough for a when_all over a thousand children alive at once. Not
// more: frames parked from earlier bursts (a million tasks spawned across threads) are
// scattered over the heap, and handing them to a burst of 100,000 new tasks costs a
// cache and TLB miss per frame, where malloc hands out fresh, consecutive memory (16 MiB
// made when_all over 100,000 children three times slower in a full benchmark run, though
// it ran fewer instructions).
constexpr std::size_t depot_bytes_per_class = std::size_t{512} << 10;

// Per class, as a table: the paths that read it run once per batch, and a division would
// be a good part of what they cost.
constexpr auto depot_limits = [] {
    std::array<unsigned, frame_classes> limit{};
    for (std::size_t c = 0; c < frame_classes; ++c)
        limit[c] = static_cast<unsigned>(depot_bytes_per_class / ((c + 1) * frame_granule));
    return limit;
}();

// A batch of free frames, held as an array. A list threaded through the frames themselves
// would make a refill read each frame to find the next: with thousands of frames parked,
// they are cold, and that is one cache miss after another, each waiting for the last. An
// array hands all of a batch's addresses over at once; writing the frames into the
// thread's cache then misses in parallel.
struct magazine {
    magazine* next = nullptr;
    unsigned count = 0;
    void* frames[depot_batch];
};

class frame_depot {
public:
    // Moves a batch of frames of class c into `cache` (which has room: it is empty on a
    // miss); how many it moved.
    // A thread that makes frames faster than others free them (a loop spawning a burst)
    // finds the depot empty on every miss; it should not take the lock that the freeing
    // threads use, or even set up a refill, just to see that.
    [[nodiscard]] bool looks_empty(std::size_t c) const noexcept {
        return classes_[c].count.load(std::memory_order_relaxed) == 0;
    }

    [[nodiscard]] bool looks_full(std::size_t c, unsigned adding) const noexcept {
        return classes_[c].count.load(std::memory_order_relaxed) + adding > depot_limits[c];
    }

    [[gnu::noinline]] unsigned refill(frame_cache_state& cache, std::size_t c) noexcept {
        auto& cls = classes_[c];
        void* got[depot_batch];
        unsigned n = 0;
        {
            std::lock_guard lock(cls.lock);
            magazine* m = cls.full;
            if (!m) return 0;
            cls.full = m->next;
            n = m->count;
            std::copy_n(m->frames, n, got);
            cls.count.store(cls.count.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
            m->next = std::exchange(cls.empty, m);
        }
        unsigned room = max_cached_frames[c] - cache.count[c];
        for (unsigned i = 0; i < n; ++i) {
            if (i < room)
                cache.keep(c, got[i]);
            else
                ::operator delete(got[i]);
        }
        return std::min(n, room);
    }

    // Takes up to `n` frames of class c from `cache`, a batch at a time; a batch that would
    // take the class past its limit goes back to the heap instead. A burst that outruns
    // the allocations (a when_all over 100,000 children freeing one after another) finds
    // the depot full every time: then the frames go straight from the cache to the heap,
    // without the lock.
    void absorb(frame_cache_state& cache, std::size_t c, unsigned n) noexcept {
        n = std::min(n, cache.count[c]);
        while (n > 0) {
            unsigned k = std::min(n, depot_batch);
            n -= k;
            if (looks_full(c, k)) {
                for (unsigned i = 0; i < k; ++i) ::operator delete(cache.take(c));
                continue;
            }
            void* got[depot_batch];
            for (unsigned i = 0; i < k; ++i) got[i] = cache.take(c);
            if (!store(c, got, k))
                for (unsigned i = 0; i < k; ++i) ::operator delete(got[i]);
        }
    }

private:
    struct alignas(64) per_class {
        spin_lock lock;
        magazine* full = nullptr;   // batches of free frames
        magazine* empty = nullptr;  // batches handed out, kept for the next store
        std::atomic<unsigned> count{0};  // frames held; stored under the lock, read without it as a hint
    };

    // Keeps k frames of class c in a batch; false if the class is full (or no batch can
    // be had: out of memory).
    bool store(std::size_t c, void* const* frames, unsigned k) noexcept {
        auto& cls = classes_[c];
        magazine* fresh = nullptr;
        for (;;) {
            {
                std::lock_guard lock(cls.lock);
                unsigned held = cls.count.load(std::memory_order_relaxed);
                if (held + k <= depot_limits[c] && (cls.empty || fresh)) {
                    magazine* m = cls.empty ? std::exchange(cls.empty, cls.empty->next) : std::exchange(fresh, nullptr);
                    std::copy_n(frames, k, m->frames);
                    m->count = k;
                    m->next = std::exchange(cls.full, m);
                    cls.count.store(held + k, std::memory_order_relaxed);
                    if (!fresh) return true;
                    // A batch was free after all: keep the fresh one for later.
                    fresh->next = std::exchange(cls.empty, fresh);
                    return true;
                }
                if (held + k > depot_limits[c]) {
                    if (fresh) fresh->next = std::exchange(cls.empty, fresh);
                    return false;
                }
            }
            // No free batch: make one outside the lock (they are never freed; a class has
            // at most depot_limit / depot_batch of them).
            fresh = new (std::nothrow) magazine;
            if (!fresh) return false;
        }
    }

    per_class classes_[frame_classes];
};

// Constant-initialised and trivially destructible: no guard on each use, and threads may
// still return frames to it during static destruction.
constinit frame_depot depot{};
static_assert(std::is_trivially_destructible_v<frame_depot>);

// Registered by a thread's first kept frame; at thread exit hands the cached frames to the
// depot. Frames freed after that (by later thread_local destructors) bypass the cache.
struct frame_cache_drain {
    frame_cache_drain() noexcept { tl_frame_cache.armed = true; }
    frame_cache_drain(const frame_cache_drain&) = delete;
    frame_cache_drain& operator=(const frame_cache_drain&) = delete;
    ~frame_cache_drain() {
        auto& cache = tl_frame_cache;
        cache.armed = false;
        for (std::size_t c = 0; c < frame_classes; ++c) depot.absorb(cache, c, cache.count[c]);
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

namespace {

// The whole class, so any frame of it fits this memory later.
[[nodiscard]] void* allocate_class(std::size_t c) { return ::operator new((c + 1) * frame_granule); }

[[gnu::noinline]] void* refill_or_allocate(std::size_t c) {
    auto& cache = tl_frame_cache;
    if ((cache.armed || arm_frame_cache()) && depot.refill(cache, c) > 0) return cache.take(c);
    return allocate_class(c);
}

}  // namespace

void* allocate_frame_slow(std::size_t size) {
    std::size_t c = frame_class_of(size);
    if (!frame_cache_enabled || c >= frame_classes) return ::operator new(size);
    // A burst that outruns the frees (a when_all over 100,000 children) finds the depot
    // empty on every miss: straight to the heap, without the registers a refill needs.
    if (depot.looks_empty(c)) return allocate_class(c);
    return refill_or_allocate(c);
}

void deallocate_frame_slow(void* frame, std::size_t size) noexcept {
    std::size_t c = frame_class_of(size);
    if (!frame_cache_enabled || c >= frame_classes || !(tl_frame_cache.armed || arm_frame_cache())) {
        ::operator delete(frame);
        return;
    }
    auto& cache = tl_frame_cache;
    if (cache.count[c] == max_cached_frames[c]) depot.absorb(cache, c, depot_batch);  // full: pass a batch on
    cache.keep(c, frame);
}

}  // namespace asyncrt::detail
