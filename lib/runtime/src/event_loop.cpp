// The event loop behind asyncrt::run (see detail/event_loop.hpp).
#include <asyncrt/detail/event_loop.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/detail/spin_lock.hpp>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace asyncrt::detail {

namespace {
thread_local event_loop* tl_loop = nullptr;

// A few microseconds: shorter than a kernel wake-up round trip on small VMs.
constexpr int idle_spin_rounds = 1000;

std::atomic<bool> have_pwait2{true};

struct timer_later {
    bool operator()(const timer_node* a, const timer_node* b) const noexcept {
        if (a->deadline != b->deadline) return a->deadline > b->deadline;
        return a->seq > b->seq;
    }
};

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace


struct event_loop::impl {
    int epfd = -1;
    int wakefd = -1;

    std::deque<std::coroutine_handle<>> ready;  // loop thread only

    // What other threads write, on lines of its own: a post from a worker then does not
    // take the ready queue's line from the loop, nor the loop's writes to it the post's.
    alignas(64) spin_lock remote_lock;  // guards remote, sleeping, and the detached_ exit handshake
    std::vector<std::coroutine_handle<>> remote;
    std::atomic<bool> remote_pending{false};  // remote is non-empty; read without the lock
    bool sleeping = false;

    alignas(64) std::size_t io_waiting = 0;  // readers + writers registered (loop thread only)

    std::vector<timer_node*> timers;  // min-heap on (deadline, seq)
    std::uint64_t next_seq = 0;

    struct fd_entry {
        io_node* reader = nullptr;
        io_node* writer = nullptr;
        bool registered = false;
    };
    std::vector<fd_entry> fds;  // indexed by fd: no allocation per wait

    void poll(long long timeout_ns, epoll_event* events, std::vector<std::coroutine_handle<>>& incoming);

    void wake_locked() {
        if (sleeping) {
            sleeping = false;
            std::uint64_t one = 1;
            // A full counter still wakes epoll: ignoring EAGAIN is correct.
            [[maybe_unused]] auto n = ::write(wakefd, &one, sizeof one);
        }
    }

    void update_fd(int fd) {
        auto& e = fds[static_cast<std::size_t>(fd)];
        std::uint32_t mask = (e.reader ? EPOLLIN | EPOLLRDHUP : 0u) | (e.writer ? EPOLLOUT : 0u);
        epoll_event ev{};
        ev.events = mask;
        ev.data.fd = fd;
        if (mask == 0) {
            if (e.registered) ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
            e.registered = false;
        } else if (e.registered) {
            if (::epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) != 0) throw_errno("epoll_ctl(MOD)");
        } else {
            if (::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl(ADD)");
            e.registered = true;
        }
    }

    void dispatch_fd(int fd, std::uint32_t events) {
        if (fd < 0 || static_cast<std::size_t>(fd) >= fds.size()) return;
        auto& e = fds[static_cast<std::size_t>(fd)];
        constexpr std::uint32_t read_bits = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
        constexpr std::uint32_t write_bits = EPOLLOUT | EPOLLHUP | EPOLLERR;
        if (e.reader && (events & read_bits)) {
            e.reader->events = events;
            ready.push_back(e.reader->handle);
            e.reader = nullptr;
            --io_waiting;
        }
        if (e.writer && (events & write_bits)) {
            e.writer->events = events;
            ready.push_back(e.writer->handle);
            e.writer = nullptr;
            --io_waiting;
        }
        try {
            update_fd(fd);
        } catch (...) {
            // The fd was closed under us; epoll already forgot it.
            e.registered = false;
        }
    }
};

event_loop::event_loop() : impl_(std::make_unique<impl>()) {
    if (tl_loop) throw std::logic_error("asyncrt::run: an event loop is already running on this thread");
    impl_->epfd = ::epoll_create1(EPOLL_CLOEXEC);
    if (impl_->epfd < 0) throw_errno("epoll_create1");
    impl_->wakefd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (impl_->wakefd < 0) {
        int err = errno;
        ::close(impl_->epfd);
        throw std::system_error(err, std::generic_category(), "eventfd");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = impl_->wakefd;
    if (::epoll_ctl(impl_->epfd, EPOLL_CTL_ADD, impl_->wakefd, &ev) != 0) {
        int err = errno;
        ::close(impl_->epfd);
        ::close(impl_->wakefd);
        throw std::system_error(err, std::generic_category(), "epoll_ctl(eventfd)");
    }
    tl_loop = this;
    previous_ = exchange_current_executor(this);
}

event_loop::~event_loop() {
    exchange_current_executor(previous_);
    tl_loop = nullptr;
    ::close(impl_->wakefd);
    ::close(impl_->epfd);
}

event_loop* event_loop::current() noexcept { return tl_loop; }

void event_loop::post(std::coroutine_handle<> h) noexcept {
    if (tl_loop == this) {
        impl_->ready.push_back(h);
        return;
    }
    std::lock_guard lock(impl_->remote_lock);
    impl_->remote.push_back(h);
    impl_->remote_pending.store(true, std::memory_order_release);
    impl_->wake_locked();
}

void event_loop::detached_finished() noexcept {
    // run_until returns only after reading detached_ == 0 under the mutex, so the last
    // decrement (the only one that lets it return) is made under the mutex too: the loop
    // cannot be destroyed while this thread is still inside wake_locked(). The others
    // touch nothing after their decrement and stay off the lock. Only the loop thread
    // raises the count, so a count of 1 seen here is ours to end.
    auto n = detached_.load(std::memory_order_relaxed);
    while (n > 1) {
        if (detached_.compare_exchange_weak(n, n - 1, std::memory_order_acq_rel, std::memory_order_relaxed)) return;
    }
    std::lock_guard lock(impl_->remote_lock);
    if (detached_.fetch_sub(1, std::memory_order_acq_rel) == 1) impl_->wake_locked();
}

std::coroutine_handle<> event_loop::task_finished(std::exception_ptr error, std::source_location where) noexcept {
    if (error) debug_exception_never_retrieved(where, std::move(error));
    detached_finished();
    return std::noop_coroutine();
}

void event_loop::add_timer(timer_node* t) {
    t->seq = impl_->next_seq++;
    impl_->timers.push_back(t);
    std::push_heap(impl_->timers.begin(), impl_->timers.end(), timer_later{});
}

bool event_loop::cancel_timer(timer_node* t) noexcept {
    auto& heap = impl_->timers;
    auto it = std::find(heap.begin(), heap.end(), t);  // rare path: linear is fine
    if (it == heap.end()) return false;
    *it = heap.back();
    heap.pop_back();
    std::make_heap(heap.begin(), heap.end(), timer_later{});
    return true;
}

void event_loop::add_io(io_node* n) {
    if (n->fd < 0) throw std::invalid_argument("asyncrt: invalid file descriptor");
    auto idx = static_cast<std::size_t>(n->fd);
    if (idx >= impl_->fds.size()) impl_->fds.resize(idx + 1);
    auto& e = impl_->fds[idx];
    io_node*& slot = n->write ? e.writer : e.reader;
    if (slot)
        throw std::logic_error(n->write ? "asyncrt::writable: another coroutine already waits on this fd"
                                        : "asyncrt::readable: another coroutine already waits on this fd");
    slot = n;
    try {
        impl_->update_fd(n->fd);
        ++impl_->io_waiting;
    } catch (const std::system_error& err) {
        slot = nullptr;
        if (err.code().value() == EPERM) {
            // Regular files and the like are always ready; epoll refuses them.
            n->events = n->write ? EPOLLOUT : EPOLLIN;
            impl_->ready.push_back(n->handle);
            return;
        }
        throw;
    }
}

void event_loop::run_until(const bool* done) {
    auto& s = *impl_;
    std::vector<std::coroutine_handle<>> incoming;
    epoll_event events[64];
    auto take_remote = [&] {
        std::lock_guard lock(s.remote_lock);
        s.remote_pending.store(false, std::memory_order_relaxed);
        incoming.swap(s.remote);
    };
    auto append_incoming = [&] {
        for (auto h : incoming) s.ready.push_back(h);
        incoming.clear();
    };
    for (;;) {
        // 1. Run what is ready now; work posted meanwhile waits for the next round so
        //    timers and fds get their turn.
        for (std::size_t n = s.ready.size(); n > 0 && !s.ready.empty(); --n) {
            auto h = s.ready.front();
            s.ready.pop_front();
            h.resume();
        }
        // 2. Expired timers become ready, in deadline order.
        auto now = std::chrono::steady_clock::time_point{};
        if (!s.timers.empty()) {
            now = std::chrono::steady_clock::now();
            while (!s.timers.empty() && s.timers.front()->deadline <= now) {
                std::pop_heap(s.timers.begin(), s.timers.end(), timer_later{});
                s.ready.push_back(s.timers.back()->handle);
                s.timers.pop_back();
            }
        }
        // 3. Work posted from other threads (one atomic load when there is none).
        if (s.remote_pending.load(std::memory_order_acquire)) {
            take_remote();
            append_incoming();
        }
        if (*done && s.ready.empty()) {
            std::lock_guard lock(s.remote_lock);  // pairs with detached_finished()
            if (s.remote.empty() && detached_.load(std::memory_order_acquire) == 0) return;
        }
        // 4. Busy: poll fds without blocking, and only if anyone waits on one.
        if (!s.ready.empty()) {
            if (s.io_waiting > 0) s.poll(0, events, incoming);
            continue;
        }
        // 5. Idle: spin briefly for a cross-thread post (a wake-up through the kernel costs
        //    far more), then block until a timer is due, an fd is ready or a post arrives.
        long long timeout_ns = -1;
        if (!s.timers.empty()) {
            timeout_ns = std::max<long long>(
                0, std::chrono::duration_cast<std::chrono::nanoseconds>(s.timers.front()->deadline - now).count());
        }
        if (timeout_ns != 0) {
            for (int i = 0; i < idle_spin_rounds && !s.remote_pending.load(std::memory_order_relaxed); ++i) {
                // Yield now and then: on a busy machine the thread we wait for may need this core.
                if ((i & 63) == 63)
                    std::this_thread::yield();
                else
                    cpu_relax();
            }
        }
        {
            std::lock_guard lock(s.remote_lock);
            if (s.remote_pending.load(std::memory_order_relaxed)) {
                s.remote_pending.store(false, std::memory_order_relaxed);
                incoming.swap(s.remote);
                timeout_ns = 0;
            } else if (*done && detached_.load(std::memory_order_acquire) == 0) {
                timeout_ns = 0;  // the last detached task just finished: exit next round
            } else if (timeout_ns != 0) {
                s.sleeping = true;  // from here on, posts and detached_finished() wake us
            }
        }
        append_incoming();
        // Not sleeping and no fd to look at: a zero-timeout epoll_wait would be a system
        // call for nothing, on every round trip to a pool.
        if (timeout_ns == 0 && s.io_waiting == 0) continue;
        s.poll(timeout_ns, events, incoming);
    }
}

void event_loop::impl::poll(long long timeout_ns, epoll_event* events, std::vector<std::coroutine_handle<>>& incoming) {
    auto& s = *this;
    timespec ts{};
    timespec* tsp = nullptr;
    if (timeout_ns >= 0) {
        ts.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000);
        ts.tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000);
        tsp = &ts;
    }
    int n = have_pwait2 ? ::epoll_pwait2(s.epfd, events, 64, tsp, nullptr) : -1;
    if (n < 0 && (!have_pwait2 || errno == ENOSYS)) {
        have_pwait2 = false;  // kernels before 5.11: millisecond timeouts, rounded up
        int ms = timeout_ns < 0 ? -1 : static_cast<int>(std::min<long long>((timeout_ns + 999'999) / 1'000'000, 1 << 30));
        n = ::epoll_wait(s.epfd, events, 64, ms);
    }
    if (n < 0 && errno != EINTR) throw_errno("epoll_wait");
    if (timeout_ns != 0) {
        std::lock_guard lock(s.remote_lock);
        s.sleeping = false;
        s.remote_pending.store(false, std::memory_order_relaxed);
        incoming.swap(s.remote);
    }
    for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == s.wakefd) {
            std::uint64_t v;
            [[maybe_unused]] auto r = ::read(s.wakefd, &v, sizeof v);
        } else {
            s.dispatch_fd(events[i].data.fd, events[i].events);
        }
    }
    for (auto h : incoming) s.ready.push_back(h);
    incoming.clear();
}

}  // namespace asyncrt::detail
