// asyncrt/detail/frame_allocator.hpp - where task frames come from.
//
// Every task is a heap-allocated coroutine frame, and most live for microseconds. Each
// thread keeps a few freed frames per size class and hands them out again, so the common
// create/destroy pair skips malloc (asio's awaitable frames do the same). A frame freed on
// another thread goes to that thread's cache. Under AddressSanitizer the cache is off, so
// a use after free of a frame is still caught.
//
// The hit paths are inline and touch one constant-initialised thread_local: no call into
// the library, no TLS initialisation guard. Everything else (the first frame a thread
// keeps, a full class, a thread that is exiting) goes out of line.
#pragma once

#include <array>
#include <cstddef>
#include <new>

namespace asyncrt::detail {

// Off under AddressSanitizer, which must see every free to catch a use after free.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool frame_cache_enabled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool frame_cache_enabled = false;
#else
inline constexpr bool frame_cache_enabled = true;
#endif
#else
inline constexpr bool frame_cache_enabled = true;
#endif

// Size classes 16 bytes apart up to 1 KiB cover the frames of ordinary tasks; bigger ones
// go straight to the heap. Classes no coarser than malloc's own: a frame of 80 bytes taken
// as 128 would make a when_all over many live children touch half as much memory again.
inline constexpr std::size_t frame_granule = 16;
inline constexpr std::size_t frame_classes = 64;

// A thread keeps up to 128 KiB of free frames per class (at least 64 frames): a when_all
// over a thousand small children, alive at once, then takes every frame of its next round
// from this thread's own cache instead of passing most of them through the depot; and it
// bounds what one thread can hoard. A table, so the free path reads it rather than divides.
inline constexpr std::size_t max_cached_bytes = std::size_t{128} << 10;
inline constexpr unsigned min_cached_frames = 64;
inline constexpr auto max_cached_frames = [] {
    std::array<unsigned, frame_classes> limit{};
    for (std::size_t c = 0; c < frame_classes; ++c) {
        std::size_t n = max_cached_bytes / ((c + 1) * frame_granule);
        limit[c] = n < min_cached_frames ? min_cached_frames : static_cast<unsigned>(n);
    }
    return limit;
}();

[[nodiscard]] constexpr std::size_t frame_class_of(std::size_t size) noexcept {
    return (size + frame_granule - 1) / frame_granule - 1;
}

// One thread's free frames. Trivially destructible, so it needs no guard; `armed` says the
// thread-exit drain that returns its frames to the heap is registered (and not yet run).
struct frame_cache_state {
    struct node {
        node* next;
    };
    node* free[frame_classes];
    unsigned count[frame_classes];
    bool armed;

    // The newest free frame of class c, or null.
    [[nodiscard]] node* take(std::size_t c) noexcept {
        node* n = free[c];
        if (n) {
            free[c] = n->next;
            --count[c];
        }
        return n;
    }
    void keep(std::size_t c, void* frame) noexcept {
        free[c] = ::new (frame) node{free[c]};
        ++count[c];
    }
};
inline constinit thread_local frame_cache_state tl_frame_cache{};

// Out of line (src/frame_allocator.cpp): a miss, and a free the inline path cannot keep.
[[nodiscard]] void* allocate_frame_slow(std::size_t size);
void deallocate_frame_slow(void* frame, std::size_t size) noexcept;

[[nodiscard]] inline void* allocate_frame(std::size_t size) {
    if constexpr (frame_cache_enabled) {
        std::size_t c = frame_class_of(size);
        if (c < frame_classes) {
            if (void* frame = tl_frame_cache.take(c)) return frame;
        }
    }
    return allocate_frame_slow(size);
}

inline void deallocate_frame(void* frame, std::size_t size) noexcept {
    if constexpr (frame_cache_enabled) {
        std::size_t c = frame_class_of(size);
        auto& cache = tl_frame_cache;
        if (c < frame_classes && cache.armed && cache.count[c] < max_cached_frames[c]) {
            cache.keep(c, frame);
            return;
        }
    }
    deallocate_frame_slow(frame, size);
}

// Gives a promise type the cached frame allocation.
struct cached_frame {
    static void* operator new(std::size_t size) { return allocate_frame(size); }
    static void operator delete(void* frame, std::size_t size) noexcept { deallocate_frame(frame, size); }
};

}  // namespace asyncrt::detail
