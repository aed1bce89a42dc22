// asyncrt/detail/frame_allocator.hpp - where task frames come from.
//
// Every task is a heap-allocated coroutine frame, and most live for microseconds. Each
// thread keeps a few freed frames per size class and hands them out again, so the common
// create/destroy pair skips malloc (asio's awaitable frames do the same). A frame freed on
// another thread goes to that thread's cache. Under AddressSanitizer the cache is off, so
// a use after free of a frame is still caught.
#pragma once

#include <cstddef>

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

[[nodiscard]] void* allocate_frame(std::size_t size);
void deallocate_frame(void* frame, std::size_t size) noexcept;

// Gives a promise type the cached frame allocation.
struct cached_frame {
    static void* operator new(std::size_t size) { return allocate_frame(size); }
    static void operator delete(void* frame, std::size_t size) noexcept { deallocate_frame(frame, size); }
};

}  // namespace asyncrt::detail
