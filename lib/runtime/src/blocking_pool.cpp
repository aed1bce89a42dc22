// The to_thread pool: grows on demand up to a bound, threads are kept for reuse.
#include <asyncrt/offload.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace asyncrt::detail {

struct blocking_pool::impl {
    mutable std::mutex m;
    std::condition_variable cv;
    std::deque<std::coroutine_handle<>> items;
    std::vector<std::thread> threads;
    std::size_t idle = 0;
    std::size_t max_threads;
    bool stopping = false;

    explicit impl(std::size_t n) : max_threads(std::max<std::size_t>(1, n)) {}

    void worker(executor* self) {
        exchange_current_executor(self);
        std::unique_lock lock(m);
        for (;;) {
            while (items.empty() && !stopping) {
                ++idle;
                cv.wait(lock);
                --idle;
            }
            if (items.empty()) return;  // stopping and drained
            auto h = items.front();
            items.pop_front();
            lock.unlock();
            h.resume();
            lock.lock();
        }
    }
};

blocking_pool::blocking_pool(std::size_t max_threads) : impl_(new impl(max_threads)) {}

blocking_pool::~blocking_pool() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(impl_->m);
        impl_->stopping = true;
        threads.swap(impl_->threads);
    }
    impl_->cv.notify_all();
    for (auto& t : threads) t.join();
    delete impl_;
}

void blocking_pool::post(std::coroutine_handle<> h) noexcept {
    auto& s = *impl_;
    std::unique_lock lock(s.m);
    s.items.push_back(h);
    // Grow only when every thread is busy: queued work beyond the idle threads.
    if (s.items.size() > s.idle && s.threads.size() < s.max_threads) {
        try {
            s.threads.emplace_back([this] { impl_->worker(this); });
        } catch (...) {
            // Cannot start a thread: the existing ones will get to it.
            if (s.threads.empty()) std::terminate();
        }
    }
    lock.unlock();
    s.cv.notify_one();
}

void blocking_pool::set_max_threads(std::size_t n) noexcept {
    std::lock_guard lock(impl_->m);
    impl_->max_threads = std::max<std::size_t>(1, n);
}

std::size_t blocking_pool::max_threads() const noexcept {
    std::lock_guard lock(impl_->m);
    return impl_->max_threads;
}

std::size_t blocking_pool::thread_count() const noexcept {
    std::lock_guard lock(impl_->m);
    return impl_->threads.size();
}

blocking_pool& default_blocking_pool() {
    static blocking_pool pool(std::max<std::size_t>(16, 4 * std::max(1u, std::thread::hardware_concurrency())));
    return pool;
}

}  // namespace asyncrt::detail
