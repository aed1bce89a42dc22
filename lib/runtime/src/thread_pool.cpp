// asyncrt::thread_pool: per-worker queues, a lock-free injection ring taken from a batch
// at a time, stealing, spin-then-park.
#include <asyncrt/thread_pool.hpp>

#include <asyncrt/detail/asymmetric_fence.hpp>
#include <asyncrt/detail/handle_ring.hpp>
#include <asyncrt/detail/pool_worker.hpp>
#include <asyncrt/detail/spin_lock.hpp>
#include <asyncrt/detail/work_deque.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <iterator>
#include <mutex>
#include <span>
#include <vector>

namespace asyncrt {

using detail::cpu_relax;
using detail::spin_lock;

namespace {
using detail::tl_pool_worker;

// Roughly 20-50 us of spinning: shorter than a futex round trip on small VMs.
constexpr int spin_rounds = 2000;

// One take in this many is oldest-first (see try_take).
constexpr std::uint32_t fair_period = 61;

// Items a worker moves from the injection queue to its own queue per lock.
constexpr std::size_t injection_batch = 32;

// Looks (a pause apart, roughly 1 us in all) at a worker's queue holding a single item,
// with its owner taking nothing meanwhile, before a thief takes that item (see try_take).
constexpr std::uint32_t steal_patience = 32;

}  // namespace

struct thread_pool::impl {
    // A locked queue: the overflow behind the injection ring.
    struct alignas(64) locked_queue {
        spin_lock m;
        // items.size(), stored under m; others read it without the lock to skip a queue
        // that looks empty. Only the locked check before parking is authoritative.
        std::atomic<std::size_t> size{0};
        std::deque<std::coroutine_handle<>> items;

        void push(std::span<const std::coroutine_handle<>> hs) {
            std::lock_guard lock(m);
            items.insert(items.end(), hs.begin(), hs.end());
            size.store(items.size(), std::memory_order_relaxed);
        }
        [[nodiscard]] bool looks_empty() const noexcept { return size.load(std::memory_order_relaxed) == 0; }
        [[nodiscard]] bool is_empty() {
            std::lock_guard lock(m);
            return items.empty();
        }
    };

    // A worker's own queue: lock-free for its owner (see work_deque), and a slot for one
    // coroutine it woke (a permit or a lock handed over, see wake()). The slot is taken
    // before the queue and with one exchange: a handoff ping-pong between tasks on one
    // worker skips the queue's fenced take of its last item. Thieves see the slot as one
    // more item.
    struct alignas(64) worker_queue {
        detail::work_deque items;
        std::atomic<void*> woken{nullptr};
        // Items the owner has taken, stored by the owner alone: thieves watch it to tell a
        // busy owner from one about to take its next item.
        std::atomic<std::uint32_t> takes{0};

        void count_take() noexcept { takes.store(takes.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }

        [[nodiscard]] std::size_t size_hint() const noexcept {
            return items.size_hint() + (woken.load(std::memory_order_relaxed) ? 1 : 0);
        }
        [[nodiscard]] bool is_empty() const noexcept {
            return items.is_empty() && !woken.load(std::memory_order_seq_cst);
        }
        bool take_woken(std::coroutine_handle<>& out) noexcept {
            if (!woken.load(std::memory_order_relaxed)) return false;
            void* h = woken.exchange(nullptr, std::memory_order_acquire);
            if (!h) return false;  // a thief took it
            out = std::coroutine_handle<>::from_address(h);
            return true;
        }
        // The owner's newest item: its wake slot, then its queue's bottom.
        bool take(std::coroutine_handle<>& out) noexcept {
            if (take_woken(out) || (items.size_hint() > 0 && items.take(out))) {
                count_take();
                return true;
            }
            return false;
        }
        // A thief's (or the owner's fair) take: the queue's oldest, then the wake slot.
        bool steal(std::coroutine_handle<>& out) noexcept { return items.steal(out) || take_woken(out); }
    };

    // Posts from outside the pool: a lock-free ring, so the posting thread and the
    // workers taking from it never wait for each other, and a locked queue behind it for
    // what does not fit. While anything waits in the overflow, new posts queue behind it:
    // everything in the ring is older than everything in the overflow.
    struct injection_queue {
        detail::handle_ring<1024> ring;
        locked_queue overflow;

        void push(std::span<const std::coroutine_handle<>> hs) {
            if (overflow.looks_empty() && ring.try_push(hs)) return;
            overflow.push(hs);
        }
        // Up to a batch of the oldest items, leaving a share for the other workers.
        std::size_t pop(std::span<std::coroutine_handle<>> out, std::size_t workers) {
            auto share = [&](std::size_t queued) { return std::min(out.size(), (queued + workers - 1) / workers); };
            if (std::size_t n = share(ring.ready_at_head(out.size() * workers)); n > 0) {
                if ((n = ring.try_pop(out.first(n))) > 0) return n;
            }
            if (overflow.looks_empty()) return 0;
            std::lock_guard lock(overflow.m);
            auto& items = overflow.items;
            std::size_t n = share(items.size());
            std::copy_n(items.begin(), n, out.begin());
            items.erase(items.begin(), std::next(items.begin(), static_cast<std::ptrdiff_t>(n)));
            overflow.size.store(items.size(), std::memory_order_relaxed);
            return n;
        }
        [[nodiscard]] bool looks_empty() const noexcept { return ring.looks_empty() && overflow.looks_empty(); }
        // For the check before parking (see notify).
        [[nodiscard]] bool is_empty() { return !ring.claimed_any() && overflow.is_empty(); }
    };

    explicit impl(std::size_t n) : queues(n) {}

    // A thief's view of one victim queue: its take count when last seen, and how many
    // looks in a row found a single item there and that count unchanged.
    struct victim_watch {
        std::uint32_t takes = 0;
        std::uint32_t looks = 0;
    };

    std::vector<worker_queue> queues;  // one per worker
    injection_queue injection;  // posts from outside the pool
    std::vector<std::thread> threads;

    // No shared count of queued items: two busy workers would bounce its cache line on
    // every post and take. Idle workers look at the queues themselves.
    alignas(64) std::atomic<std::uint32_t> epoch{0};  // bumped to wake parked workers
    std::atomic<std::uint32_t> parked{0};
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> steals{0};

    // The oldest injected item, and up to a batch more moved into the worker's own queue,
    // newest first: the owner's newest-first takes then run them in the order they were
    // posted.
    bool take_injected(std::size_t self, std::coroutine_handle<>& out) {
        if (injection.looks_empty()) return false;
        std::array<std::coroutine_handle<>, injection_batch> got;
        std::size_t n = injection.pop(got, queues.size());
        if (n == 0) return false;
        out = got[0];
        if (n > 1) {
            std::reverse(got.begin() + 1, got.begin() + n);
            queues[self].items.push_many(std::span(got).subspan(1, n - 1));
        }
        return true;
    }

    // A lone item in a worker's queue is usually what that worker posted a moment ago and
    // takes next (a handoff: a semaphore release, a continuation); stealing it moves the
    // work, and its data, to another core for nothing. So a thief takes a lone item only
    // once the owner has taken nothing for steal_patience looks: it is busy. Two or more
    // items are stolen at once, oldest first.
    bool worth_stealing(const worker_queue& victim, victim_watch& watch) const noexcept {
        std::size_t n = victim.size_hint();
        if (n == 0) return false;
        if (n > 1) return true;
        std::uint32_t t = victim.takes.load(std::memory_order_relaxed);
        if (t != watch.takes) {
            watch = {t, 0};
            return false;
        }
        return ++watch.looks >= steal_patience;
    }

    // A worker takes its own newest item first (LIFO): what it just forked is hot in cache,
    // and fork-join stays depth-first instead of growing the frontier breadth-first.
    // Thieves take the oldest (the biggest pieces of work). Every fair_period-th take goes
    // oldest-first, injection queue included, so a coroutine that keeps re-posting itself
    // (co_await pool.schedule() in a loop) cannot starve what waits behind it.
    bool try_take(std::size_t self, std::coroutine_handle<>& out, std::uint32_t tick,
                  std::vector<victim_watch>& watches) {
        worker_queue& own = queues[self];
        if (tick % fair_period == 0) {
            if (take_injected(self, out)) return true;
            if (own.steal(out)) {
                own.count_take();
                return true;
            }
            if (own.take(out)) return true;
        } else if (own.take(out)) {
            return true;
        } else if (take_injected(self, out)) {
            return true;
        }
        for (std::size_t k = 1; k < queues.size(); ++k) {
            std::size_t v = (self + k) % queues.size();
            if (worth_stealing(queues[v], watches[v]) && queues[v].steal(out)) {
                steals.fetch_add(1, std::memory_order_relaxed);
                return true;
            }
        }
        return false;
    }

    [[nodiscard]] bool any_work_hint() const noexcept {
        if (!injection.looks_empty()) return true;
        for (const worker_queue& q : queues)
            if (q.size_hint() > 0) return true;
        return false;
    }
    // The check before parking, with seq_cst loads and locks (see notify).
    [[nodiscard]] bool any_work() {
        if (!injection.is_empty()) return true;
        for (const worker_queue& q : queues)
            if (!q.is_empty()) return true;
        return false;
    }

    // Spin: a post usually arrives soon after the last one.
    bool spin_for_work(std::size_t self, std::coroutine_handle<>& out, std::uint32_t& tick,
                       std::vector<victim_watch>& watches) {
        for (int i = 0; i < spin_rounds; ++i) {
            if (any_work_hint() && try_take(self, out, ++tick, watches)) return true;
            if ((i & 63) == 63)
                std::this_thread::yield();  // let a runnable producer have the core
            else
                cpu_relax();
        }
        return false;
    }

    void run_worker(std::size_t self, executor* as_executor) {
        detail::exchange_current_executor(as_executor);
        tl_pool_worker = {as_executor, &queues[self].items, self};
        std::coroutine_handle<> h;
        std::uint32_t tick = 0;
        std::vector<victim_watch> watches(queues.size());
        for (;;) {
            if (try_take(self, h, ++tick, watches) || spin_for_work(self, h, tick, watches)) {
                h.resume();
                continue;
            }
            // Park. Announce first, then re-check, so a post racing with us either is seen
            // here or sees `parked` and bumps `epoch` past the value we wait on.
            parked.fetch_add(1, std::memory_order_seq_cst);
            detail::heavy_fence();  // every poster's push is visible now, or it will see `parked`
            std::uint32_t e = epoch.load(std::memory_order_seq_cst);
            if (any_work()) {
                parked.fetch_sub(1, std::memory_order_relaxed);
                continue;
            }
            if (stopping.load(std::memory_order_acquire)) {
                parked.fetch_sub(1, std::memory_order_relaxed);
                return;
            }
            epoch.wait(e, std::memory_order_seq_cst);
            parked.fetch_sub(1, std::memory_order_relaxed);
        }
    }

    // After a post's push. A push to the ring or the overflow claimed its place with a
    // seq_cst operation (the ring's tail, the overflow's lock); a push to a worker's own
    // queue stored its bottom and ran light_fence(). A worker parks by raising `parked`,
    // running the heavy fence, reading `epoch`, then looking for work (the ring's tail,
    // the overflow under its lock, each worker queue's ends). If our load of `parked`
    // misses its increment, our push is visible to its look, which finds the item (or the
    // ring's claimed cell, and it looks again); otherwise we bump `epoch` past the value
    // it waits on. So a post to busy workers costs no fence of its own on x86 and no
    // shared write. Several items posted at once may wake every parked worker.
    void notify(std::size_t items) {
        if (parked.load(std::memory_order_seq_cst) > 0) {
            epoch.fetch_add(1, std::memory_order_seq_cst);
            if (items > 1)
                epoch.notify_all();
            else
                epoch.notify_one();
        }
    }
};

thread_pool::thread_pool(std::size_t threads) {
    detail::enable_asymmetric_fences();  // before any worker queue sees a push
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    impl_ = std::make_unique<impl>(threads);
    impl_->threads.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        impl_->threads.emplace_back([this, i] { impl_->run_worker(i, this); });
    }
}

thread_pool::~thread_pool() {
    impl_->stopping.store(true, std::memory_order_release);
    impl_->epoch.fetch_add(1, std::memory_order_seq_cst);
    impl_->epoch.notify_all();
    for (auto& t : impl_->threads) t.join();
}

void thread_pool::post(std::coroutine_handle<> h) noexcept { post_many({&h, 1}); }

// From a worker to its own queue, from anywhere else to the injection queue.
void thread_pool::post_many(std::span<const std::coroutine_handle<>> hs) noexcept {
    if (hs.empty()) return;
    auto& s = *impl_;
    if (tl_pool_worker.pool == this)
        tl_pool_worker.queue->push_many(hs);
    else
        s.injection.push(hs);
    s.notify(hs.size());
}

void thread_pool::wake(std::coroutine_handle<> h) noexcept {
    auto& s = *impl_;
    if (tl_pool_worker.pool != this) return post(h);
    auto& slot = s.queues[tl_pool_worker.index].woken;
    // An occupied slot (two wakes before the next take): the newer one queues.
    if (slot.load(std::memory_order_relaxed)) return post(h);
    slot.store(h.address(), std::memory_order_release);
    detail::light_fence();  // ordered before notify's look at `parked`, as a push is
    s.notify(1);
}

std::size_t thread_pool::size() const noexcept { return impl_->queues.size(); }
bool thread_pool::on_worker_thread() const noexcept { return tl_pool_worker.pool == this; }
std::uint64_t thread_pool::steal_count() const noexcept { return impl_->steals.load(std::memory_order_relaxed); }

}  // namespace asyncrt
