// asyncrt::thread_pool: per-worker queues, a lock-free injection ring taken from a batch
// at a time, stealing, spin-then-park, and a timed doze while other workers hand work
// from one task to the next.
#include <asyncrt/thread_pool.hpp>

#include <asyncrt/detail/asymmetric_fence.hpp>
#include <asyncrt/detail/handle_ring.hpp>
#include <asyncrt/detail/pool_worker.hpp>
#include <asyncrt/detail/spin_lock.hpp>
#include <asyncrt/detail/work_deque.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <iterator>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

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

// Looks in one spin that found only lone items their busy owners go on taking (a chain of
// handoffs: a semaphore's permit passed from task to task on one worker) before the
// worker dozes instead of spinning on (see doze).
constexpr int doze_after_busy_looks = 64;
// A doze's length: the first short, doubling while the handoffs go on. The longest is
// how long a lone item can wait if its owner then blocks (see doze).
constexpr std::chrono::microseconds shortest_doze{50};
constexpr std::chrono::microseconds longest_doze{1000};

// The word idle workers sleep on. Linux: the futex itself, so that a sleep can time out
// (std::atomic::wait cannot); elsewhere std::atomic's wait, and a doze is a plain sleep.
class sleep_word {
public:
    [[nodiscard]] std::uint32_t load() const noexcept { return word_.load(std::memory_order_seq_cst); }
    void bump() noexcept { word_.fetch_add(1, std::memory_order_seq_cst); }
    // Until woken, unless the word no longer holds `seen`.
    void wait(std::uint32_t seen) noexcept {
#if defined(__linux__)
        futex(FUTEX_WAIT_PRIVATE, seen, nullptr);
#else
        word_.wait(seen, std::memory_order_seq_cst);
#endif
    }
    // The same, for `d` at most.
    void wait_for(std::uint32_t seen, std::chrono::microseconds d) noexcept {
#if defined(__linux__)
        timespec t{static_cast<std::time_t>(d.count() / 1'000'000), static_cast<long>(d.count() % 1'000'000) * 1000};
        futex(FUTEX_WAIT_PRIVATE, seen, &t);
#else
        (void)seen;
        std::this_thread::sleep_for(d);
#endif
    }
    void wake_one() noexcept { wake(1); }
    void wake_all() noexcept { wake(INT32_MAX); }

private:
    void wake(int n) noexcept {
#if defined(__linux__)
        futex(FUTEX_WAKE_PRIVATE, static_cast<std::uint32_t>(n), nullptr);
#else
        if (n == 1)
            word_.notify_one();
        else
            word_.notify_all();
#endif
    }
#if defined(__linux__)
    void futex(int op, std::uint32_t value, const timespec* timeout) noexcept {
        static_assert(sizeof(word_) == sizeof(std::uint32_t));
        syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), op, value, timeout, nullptr, 0);
    }
#endif
    std::atomic<std::uint32_t> word_{0};
};

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

        // A full ring means the workers are a ring's worth behind; on an oversubscribed
        // machine, often because the poster holds the core one of them needs. So the
        // poster gives its core away once before spilling into the overflow, whose lock
        // the poster and every worker would then take for each item (and a holder
        // preempted there stalls them all).
        // Out of line: a worker's post to its own queue shares post_many with this path.
        [[gnu::noinline]] void push(std::span<const std::coroutine_handle<>> hs) {
            if (!overflow.looks_empty()) return overflow.push(hs);
            if (ring.try_push(hs)) return;
            std::this_thread::yield();
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
    // What an idle worker's look found, besides an item it took.
    enum class look { nothing, busy_owners, other };

    std::vector<worker_queue> queues;  // one per worker
    injection_queue injection;  // posts from outside the pool
    std::vector<std::thread> threads;

    // No shared count of queued items: two busy workers would bounce its cache line on
    // every post and take. Idle workers look at the queues themselves.
    alignas(64) sleep_word epoch;  // bumped to wake parked and dozing workers
    std::atomic<std::uint32_t> parked{0};
    std::atomic<std::uint32_t> dozing{0};
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> steals{0};
    std::atomic<std::uint64_t> dozes{0};

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
    // `seen` notes a lone item declined because its owner took something since the last
    // look: the owner is working through its items itself.
    bool worth_stealing(const worker_queue& victim, victim_watch& watch, look& seen) const noexcept {
        std::size_t n = victim.size_hint();
        if (n == 0) return false;
        if (n > 1) return true;
        std::uint32_t t = victim.takes.load(std::memory_order_relaxed);
        if (t != watch.takes) {
            watch = {t, 0};
            if (seen == look::nothing) seen = look::busy_owners;
            return false;
        }
        seen = look::other;
        return ++watch.looks >= steal_patience;
    }

    // A worker takes its own newest item first (LIFO): what it just forked is hot in cache,
    // and fork-join stays depth-first instead of growing the frontier breadth-first.
    // Thieves take the oldest (the biggest pieces of work). Every fair_period-th take goes
    // oldest-first, injection queue included, so a coroutine that keeps re-posting itself
    // (co_await pool.schedule() in a loop) cannot starve what waits behind it.
    bool try_take(std::size_t self, std::coroutine_handle<>& out, std::uint32_t tick,
                  std::vector<victim_watch>& watches, look& seen) {
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
            if (worth_stealing(queues[v], watches[v], seen) && queues[v].steal(out)) {
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

    // Any item a thief would take at once: a posted one, or two or more in one queue.
    // The check before a doze, with seq_cst loads (see doze).
    [[nodiscard]] bool any_stealable_work() {
        if (!injection.is_empty()) return true;
        for (const worker_queue& q : queues)
            if (!q.is_empty() && q.size_hint() > 1) return true;
        return false;
    }

    // Spin: a post usually arrives soon after the last one. Gives up early, with `seen`
    // set to busy_owners, when the looks keep finding only lone items their owners go on
    // taking (see doze).
    bool spin_for_work(std::size_t self, std::coroutine_handle<>& out, std::uint32_t& tick,
                       std::vector<victim_watch>& watches, look& seen) {
        int busy_looks = 0;
        for (int i = 0; i < spin_rounds; ++i) {
            if (any_work_hint()) {
                look found = look::nothing;
                if (try_take(self, out, ++tick, watches, found)) return true;
                if (found == look::busy_owners && ++busy_looks == doze_after_busy_looks) {
                    seen = look::busy_owners;
                    return false;
                }
            }
            if ((i & 63) == 63)
                std::this_thread::yield();  // let a runnable producer have the core
            else
                cpu_relax();
        }
        seen = look::nothing;
        return false;
    }

    void run_worker(std::size_t self, executor* as_executor) {
        detail::exchange_current_executor(as_executor);
        tl_pool_worker = {as_executor, &queues[self].items, self};
        std::coroutine_handle<> h;
        std::uint32_t tick = 0;
        std::vector<victim_watch> watches(queues.size());
        auto doze_length = shortest_doze;
        for (;;) {
            look seen = look::nothing;
            if (try_take(self, h, ++tick, watches, seen) || spin_for_work(self, h, tick, watches, seen)) {
                doze_length = shortest_doze;
                h.resume();
                continue;
            }
            if (seen == look::busy_owners) {
                doze(watches, doze_length);
                doze_length = std::min(2 * doze_length, longest_doze);
                continue;
            }
            if (!park()) return;
        }
    }

    // Sleeps until a post, with nothing to do. False: the pool is stopping. Announces
    // itself first, then re-checks, so a post racing with us either is seen here or sees
    // `parked` and bumps `epoch` past the value we wait on.
    bool park() {
        parked.fetch_add(1, std::memory_order_seq_cst);
        detail::heavy_fence();  // every poster's push is visible now, or it will see `parked`
        std::uint32_t e = epoch.load();
        bool stop = false;
        if (!any_work()) {
            stop = stopping.load(std::memory_order_acquire);
            if (!stop) epoch.wait(e);
        }
        parked.fetch_sub(1, std::memory_order_relaxed);
        return !stop;
    }

    // Sleeps a while instead of spinning on, when all an idle worker sees is lone items
    // their owners keep taking: a chain of handoffs, such as a permit passed from task to
    // task through one worker's wake slot. Spinning there gains nothing, since the owner
    // runs each item next, and costs the owner: a look at its queue between two of its
    // writes there is a cache miss for it, and on a core shared with its sibling thread
    // the spinner takes its cycles too. A post wakes a dozing worker as it wakes a parked
    // one (same handshake); a handoff into a wake slot does not, which would cost the
    // owner a futex call for each. So if the owner then blocks, its lone item waits for
    // the doze to end, at most longest_doze: the first look after a doze in which the
    // owner took nothing steals it.
    void doze(std::vector<victim_watch>& watches, std::chrono::microseconds length) {
        dozing.fetch_add(1, std::memory_order_seq_cst);
        detail::heavy_fence();
        std::uint32_t e = epoch.load();
        if (!any_stealable_work()) {
            dozes.fetch_add(1, std::memory_order_relaxed);
            epoch.wait_for(e, length);
        }
        dozing.fetch_sub(1, std::memory_order_relaxed);
        for (victim_watch& w : watches) w.looks = steal_patience - 1;
    }

    // After a post's push. A push to the ring or the overflow claimed its place with a
    // seq_cst operation (the ring's tail, the overflow's lock); a push to a worker's own
    // queue stored its bottom and ran light_fence(). A worker parks (or dozes) by raising
    // `parked` (`dozing`), running the heavy fence, reading `epoch`, then looking for
    // work (the ring's tail, the overflow under its lock, each worker queue's ends). If
    // our load of the count misses its increment, our push is visible to its look, which
    // finds the item (or the ring's claimed cell, and it looks again); otherwise we bump
    // `epoch` past the value it waits on. So a post to busy workers costs no fence of its
    // own on x86 and no shared write. Several items posted at once may wake every
    // sleeping worker.
    void notify(std::size_t items) {
        if (parked.load(std::memory_order_seq_cst) + dozing.load(std::memory_order_seq_cst) > 0) wake_sleepers(items);
    }
    // After a handoff into a wake slot: only a parked worker is woken (see doze).
    void notify_parked() {
        if (parked.load(std::memory_order_seq_cst) > 0) wake_sleepers(1);
    }
    void wake_sleepers(std::size_t items) {
        epoch.bump();
        if (items > 1)
            epoch.wake_all();
        else
            epoch.wake_one();
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
    impl_->epoch.bump();
    impl_->epoch.wake_all();
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
    detail::light_fence();  // ordered before the look at `parked`, as a push is
    s.notify_parked();
}

std::size_t thread_pool::size() const noexcept { return impl_->queues.size(); }
bool thread_pool::on_worker_thread() const noexcept { return tl_pool_worker.pool == this; }
std::uint64_t thread_pool::steal_count() const noexcept { return impl_->steals.load(std::memory_order_relaxed); }
std::uint64_t thread_pool::doze_count() const noexcept { return impl_->dozes.load(std::memory_order_relaxed); }

}  // namespace asyncrt
