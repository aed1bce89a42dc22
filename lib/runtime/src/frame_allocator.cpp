// asyncrt::detail::allocate_frame / deallocate_frame: a per-thread cache of task frames.
#include <asyncrt/detail/frame_allocator.hpp>

#include <new>
#include <utility>

namespace asyncrt::detail {

namespace {

// Size classes of 64 bytes up to 1 KiB cover the frames of ordinary tasks; bigger ones go
// straight to the heap. A class holds at most 64 frames: enough for a burst of short
// tasks, and a bound on what one thread can hoard.
constexpr std::size_t granule = 64;
constexpr std::size_t classes = 16;
constexpr unsigned max_cached = 64;

constexpr std::size_t class_of(std::size_t size) noexcept { return (size + granule - 1) / granule - 1; }

class frame_cache {
public:
    frame_cache() = default;
    frame_cache(const frame_cache&) = delete;
    frame_cache& operator=(const frame_cache&) = delete;
    ~frame_cache() {
        for (auto& head : free_) {
            while (head) ::operator delete(std::exchange(head, head->next));
        }
        gone_ = true;
    }

    void* take(std::size_t c) noexcept {
        node* n = free_[c];
        if (!n) return nullptr;
        free_[c] = n->next;
        --count_[c];
        return n;
    }
    bool keep(void* frame, std::size_t c) noexcept {
        if (count_[c] == max_cached) return false;
        free_[c] = new (frame) node{free_[c]};
        ++count_[c];
        return true;
    }

    // Frames freed by thread_local destructors that run after this cache's go to the heap.
    static inline thread_local bool gone_ = false;

private:
    struct node {
        node* next;
    };
    node* free_[classes] = {};
    unsigned count_[classes] = {};
};

thread_local frame_cache tl_cache;

}  // namespace

void* allocate_frame(std::size_t size) {
    std::size_t c = class_of(size);
    if (!frame_cache_enabled || c >= classes) return ::operator new(size);
    if (!frame_cache::gone_)
        if (void* frame = tl_cache.take(c)) return frame;
    return ::operator new((c + 1) * granule);  // the whole class: any frame of it fits later
}

void deallocate_frame(void* frame, std::size_t size) noexcept {
    std::size_t c = class_of(size);
    if (frame_cache_enabled && c < classes && !frame_cache::gone_ && tl_cache.keep(frame, c)) return;
    ::operator delete(frame);
}

}  // namespace asyncrt::detail
