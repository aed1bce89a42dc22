// asyncrt/detail/promise_base.hpp - state shared by every asyncrt::task promise: the
// continuation, the inherited cancellation token and the debug-mode bookkeeping.
#pragma once

#include <asyncrt/detail/executor.hpp>
#include <asyncrt/detail/spin_lock.hpp>
#include <asyncrt/detail/task_sink.hpp>

#include <atomic>
#include <cstdint>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <source_location>
#include <stop_token>
#include <type_traits>
#include <utility>

namespace asyncrt::detail {

// Constant-initialised so promises created during static initialisation see "off".
extern std::atomic<bool> g_debug_enabled;

[[nodiscard]] inline bool debug_enabled() noexcept {
    return g_debug_enabled.load(std::memory_order_relaxed);
}

enum class task_state : std::uint8_t { created, running, suspended, done };

class promise_base;

// Debug mode's record of one live task, kept in a registry by src/debug.cpp. It lives
// outside the frame: with debug off a task carries one null pointer for it, and a smaller
// frame is fewer cache lines to create, hand to another thread and free.
struct debug_record {
    explicit debug_record(std::source_location w) noexcept : where(w) {}
    debug_record* prev = nullptr;
    debug_record* next = nullptr;
    std::source_location where;
    // Read by dump_tasks from other threads.
    std::atomic<task_state> state{task_state::created};
    std::atomic<const char*> waiting_on{nullptr};
    std::int64_t segment_start_ns = 0;  // 0: no resume being timed
};

// The failure a when_all rethrows: of the children that failed, the first in argument
// order. Used when the children's values go straight into the parent's result, which
// has no room for an exception; recording one is the rare path, so a lock is fine.
class first_failure {
public:
    void record(std::size_t index, std::exception_ptr e) noexcept {
        std::lock_guard lock(lock_);
        if (index < index_) {
            index_ = index;
            error_ = std::move(e);
        }
    }
    void rethrow_if_any() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    spin_lock lock_;
    std::size_t index_ = std::numeric_limits<std::size_t>::max();
    std::exception_ptr error_;
};

struct completion_latch;
// The latch whose children the calling thread is launching right now (see
// completion_latch::finished_here), or null.
inline constinit thread_local completion_latch* tl_launching_latch = nullptr;

// when_all's count of unfinished children. Each child counts itself down as it finishes,
// instead of resuming a per-child helper coroutine; the last one resumes the parent, on
// the parent's executor.
struct completion_latch {
    std::atomic<std::size_t> count{0};
    std::coroutine_handle<> parent{};
    executor* parent_executor = nullptr;
    // Set when each child writes its value straight into the parent's result (see
    // task_promise_common::finish_into): where its failure goes instead.
    first_failure* failures = nullptr;
    // Children that finished on the launching thread while it was still launching: a
    // child that runs to its end inside its start (a trivial one, or one that never has
    // to wait) counts here, with a plain increment, instead of an atomic decrement (a
    // locked instruction each, a good part of what a small child costs). The launcher
    // takes them off `count` in one operation when it is done (child_launcher::finish).
    // Only that thread touches this, and only while tl_launching_latch points here.
    std::size_t finished_here = 0;

    // What a child finishing off the launching thread (or after the launch) transfers to.
    // Nothing of the child may be touched after the decrement: the parent may already be
    // running (and freeing this latch) elsewhere.
    [[nodiscard]] std::coroutine_handle<> count_down() noexcept {
        if (count.fetch_sub(1, std::memory_order_acq_rel) != 1) return std::noop_coroutine();
        return resume_on(parent_executor, parent);
    }
};

// Out-of-line debug hooks (src/debug.cpp); only called when a promise is tracked. Cold
// and out of line, so with debug mode off each hook is one load and one untaken branch
// in the task's code, with no registers kept live for it.
[[nodiscard]] debug_record* debug_register(std::source_location where) noexcept;  // null if out of memory
// Also reports a task destroyed before its body ever ran: only its owner (the task object)
// destroys a frame that never started, so that is a task nobody awaited.
[[gnu::cold]] void debug_unregister(debug_record* r) noexcept;
[[gnu::cold]] void debug_segment_start(debug_record& r) noexcept;  // running
// Suspended, waiting on `waiting_on`; or done, when that is null.
[[gnu::cold]] void debug_segment_end(debug_record& r, const char* waiting_on) noexcept;

// operator co_await lookup, as the compiler does it: member, then free, then the object.
template <class A>
concept has_member_co_await = requires(A&& a) { static_cast<A&&>(a).operator co_await(); };
template <class A>
concept has_free_co_await = requires(A&& a) { operator co_await(static_cast<A&&>(a)); };

template <class A>
decltype(auto) get_awaiter(A&& a) {
    if constexpr (has_member_co_await<A>)
        return static_cast<A&&>(a).operator co_await();
    else if constexpr (has_free_co_await<A>)
        return operator co_await(static_cast<A&&>(a));
    else
        return static_cast<A&&>(a);
}

template <class Aw>
constexpr const char* awaiter_name() noexcept {
    if constexpr (requires { std::remove_cvref_t<Aw>::debug_name; })
        return std::remove_cvref_t<Aw>::debug_name;
    else
        return "awaitable";
}

class promise_base {
public:
    explicit promise_base(std::source_location where) noexcept : where_(where) {
        if (debug_enabled()) debug_ = debug_register(where);
    }
    ~promise_base() {
        if (debug_) [[unlikely]]
            debug_unregister(debug_);
    }
    promise_base(const promise_base&) = delete;
    promise_base& operator=(const promise_base&) = delete;

    [[nodiscard]] std::source_location where() const noexcept { return where_; }
    [[nodiscard]] const std::stop_token& token() const noexcept { return *token_; }
    // Points at a token that outlives this task: the awaiting task's (it waits for this
    // one) or its task_group's. No copy, so no reference-count traffic per task.
    void set_token(const std::stop_token& t) noexcept { token_ = &t; }
    // A task nobody awaits reports its end here instead of resuming a continuation.
    [[nodiscard]] task_sink* sink() const noexcept { return latch_ ? nullptr : sink_; }
    void set_sink(task_sink* s) noexcept { sink_ = s; }
    // Records who resumes when this task finishes, and on which executor: an awaiter
    // always resumes on the executor it suspended on, even if the task hopped elsewhere.
    void set_continuation(std::coroutine_handle<> c) noexcept {
        continuation_ = c;
        continuation_executor_ = current_executor();
    }
    [[nodiscard]] std::coroutine_handle<> continuation() const noexcept { return continuation_; }

    // A when_all child: its result goes to a slot in the parent, and at its end it frees
    // its own frame and counts `l` down (see task_promise_common::final_awaiter).
    void set_latch(completion_latch* l) noexcept { latch_ = l; }
    [[nodiscard]] completion_latch* latch() const noexcept { return latch_; }
    // A when_all child's position among its siblings, for the first-failure rule.
    void set_child_index(std::size_t i) noexcept { child_index_ = i; }
    [[nodiscard]] std::size_t child_index() const noexcept { return child_index_; }

    // start_on: the task begins on `ex` instead of on the thread that starts it.
    void set_start_executor(executor* ex) noexcept { start_executor_ = ex; }
    // For starters that run the task inline (an await, when_all): what to transfer to now.
    // The task itself, or, when it is to begin elsewhere, nothing: it is posted there.
    [[nodiscard]] std::coroutine_handle<> start(std::coroutine_handle<> self) noexcept {
        if (start_executor_) {
            start_executor_->post(self);
            return std::noop_coroutine();
        }
        return self;
    }
    // For starters that post the task (spawn, task_group::spawn): where to post it.
    [[nodiscard]] executor& start_executor(executor& otherwise) const noexcept {
        return start_executor_ ? *start_executor_ : otherwise;
    }
    // Where the task begins when that is not the thread that starts it; null otherwise.
    [[nodiscard]] executor* start_executor() const noexcept { return start_executor_; }

    // What final_suspend of an awaited task (one with a continuation) transfers to: the
    // awaiter itself, or, finished on another thread, nothing here and a post home.
    [[nodiscard]] std::coroutine_handle<> next_after_final() const noexcept {
        return resume_on(continuation_executor_, continuation_);
    }

    // Every co_await in a task goes through here so debug mode can time each resume and
    // record what the task waits on. With debug off the cost is one predictable branch.
    template <class A>
    auto await_transform(A&& a) noexcept(noexcept(get_awaiter(static_cast<A&&>(a)))) {
        using aw_t = decltype(get_awaiter(static_cast<A&&>(a)));
        return tracked_awaiter<aw_t>{get_awaiter(static_cast<A&&>(a)), debug_};
    }

    // --- debug bookkeeping, in the debug_record when debug mode tracks this task ---
    // The record to hand to the hooks below, or null: an untracked task.
    [[nodiscard]] debug_record* debug_tracking() const noexcept { return debug_; }
    void on_final() noexcept {
        if (debug_) [[unlikely]]
            debug_segment_end(*debug_, nullptr);
    }

private:
    template <class Aw>
    struct tracked_awaiter {
        Aw inner;  // a reference when the awaitable is its own awaiter (it outlives us)
        // The task's record, or null: kept here rather than the promise, one load fewer
        // at each end of the await (it never changes during the task's life).
        debug_record* record;

        bool await_ready() { return inner.await_ready(); }
        template <class P>
        decltype(auto) await_suspend(std::coroutine_handle<P> h) {
            // Before delegating: once inner has published h, another thread may resume
            // (and destroy) this frame.
            if (record) [[unlikely]]
                debug_segment_end(*record, awaiter_name<Aw>());
            return inner.await_suspend(h);
        }
        decltype(auto) await_resume() {
            if (record) [[unlikely]]
                debug_segment_start(*record);
            return inner.await_resume();
        }
    };

    static inline const std::stop_token no_token_{};

    std::coroutine_handle<> continuation_{};
    executor* continuation_executor_;  // set with continuation_, read only when that is
    // A task has a sink only when nobody awaits it; a when_all child is awaited by its
    // parent, and uses the word for its position instead.
    union {
        task_sink* sink_ = nullptr;
        std::size_t child_index_;
    };
    completion_latch* latch_ = nullptr;
    executor* start_executor_ = nullptr;
    const std::stop_token* token_ = &no_token_;
    std::source_location where_;
    debug_record* debug_ = nullptr;
};

// Gives combinators access to the promise behind a task without making it public API.
struct task_access {
    template <class Task>
    static auto handle(Task& t) noexcept {
        return t.handle_;
    }
    // Takes the coroutine out of the task object, which no longer destroys it.
    template <class Task>
    static auto release(Task& t) noexcept {
        return std::exchange(t.handle_, {});
    }
};

}  // namespace asyncrt::detail
