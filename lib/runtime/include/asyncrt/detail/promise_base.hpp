// asyncrt/detail/promise_base.hpp - state shared by every asyncrt::task promise: who the
// task reports to when it ends, where it begins, how it finds its cancellation token,
// and the debug-mode bookkeeping.
#pragma once

#include <asyncrt/detail/executor.hpp>
#include <asyncrt/detail/spin_lock.hpp>
#include <asyncrt/detail/task_sink.hpp>

#include <atomic>
#include <cassert>
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
    // The parent's promise when it is an asyncrt task: the children share its token
    // (promise_base::token walks on from there). Null: the children have no token.
    const promise_base* parent_promise = nullptr;
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

// Where a finishing task reports, in the low bits of promise_base's owner word (the
// pointers it tags are at least 8-byte aligned). Bit 1 clear means awaited: the common
// case is one test.
enum class task_role : std::uintptr_t {
    awaited = 0,          // by a coroutine that is not an asyncrt task
    awaited_by_task = 1,  // by an asyncrt task, whose token this one shares
    child = 2,            // a when_all child: counts a completion_latch down
    detached = 3,         // nobody awaits it: reports to a task_sink; none yet (null) until started
};

// The state of a task's own result (task_promise_common's value-or-exception storage).
enum class result_state : std::uintptr_t { empty = 0, value = 1, error = 2 };

// What every task's promise holds besides its result, in four words: with an 8-byte
// result a trivial task's frame fits one cache line, as TooManyCooks' does, and a burst of
// live tasks costs half the memory traffic it did. Each word serves roles that exclude
// each other:
//   owner:  the continuation, the latch or the sink (tagged with the task_role);
//   second: where the task was written (until it starts, and for a detached task), the
//           continuation's executor (awaited) or the child's position (when_all child);
//   third:  the executor it is to begin on (until it starts); then, for a when_all child,
//           where its result goes (a parent's result_slot or value), for any other task
//           the state of its own result;
//   debug:  debug mode's record.
// Its cancellation token is not kept: it is found by walking up to whoever owns one.
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

    [[nodiscard]] task_role role() const noexcept { return static_cast<task_role>(owner_ & role_mask); }
    [[nodiscard]] bool awaited() const noexcept { return !(owner_ & 2); }

    // Where the coroutine was written: known until the task starts, and for a detached
    // task, which reports it with its failure.
    [[nodiscard]] std::source_location where() const noexcept { return where_; }

    // The task's cancellation token: its task_group's, or else that of whoever awaits it,
    // found up the chain of awaiting tasks: a walk as long as that chain, paid only by
    // what reads the token (a sleep, a cancellation check), where a copy per task would
    // cost every task a word. Valid while the task runs: every owner on the way outlives it.
    [[nodiscard]] const std::stop_token& token() const noexcept;

    // Every starter gives the task its owner through one of set_sink, set_continuation
    // and task_promise_common::finish_into. Each returns the executor the task is to
    // begin on (start_on), or null: the word that held it holds something else after.

    // A detached task: nobody awaits it, it reports its end to `s` and frees its frame.
    // `where` stays for the report.
    [[nodiscard]] executor* set_sink(task_sink* s) noexcept {
        executor* begin_on = start_executor();
        owner_ = tagged(s, task_role::detached);
        third_ = 0;  // its own result: empty
        return begin_on;
    }
    [[nodiscard]] task_sink* sink() const noexcept {
        return role() == task_role::detached ? untag<task_sink>() : nullptr;
    }

    // An awaited task: resumes `c` when it ends, on the executor the awaiter suspended on,
    // even if the task hopped elsewhere. `Parent` is the awaiting coroutine's promise.
    template <class Parent>
    [[nodiscard]] executor* set_continuation(std::coroutine_handle<Parent> c) noexcept {
        constexpr bool by_task = std::is_base_of_v<promise_base, Parent>;
        if constexpr (by_task) assert(&parent_promise(c.address()) == &c.promise());
        executor* begin_on = start_executor();
        owner_ = tagged(c.address(), by_task ? task_role::awaited_by_task : task_role::awaited);
        continuation_executor_ = current_executor();
        third_ = 0;  // its own result: empty
        return begin_on;
    }

    // A when_all child: its result goes to the parent, and at its end it frees its own
    // frame and counts `l` down (see task_promise_common::final_awaiter). With a
    // position among its siblings, its value goes straight into the parent's result, and
    // its failure to the latch's first_failure.
    void set_latch(completion_latch* l) noexcept { owner_ = tagged(l, task_role::child); }
    void set_latch(completion_latch* l, std::size_t index) noexcept {
        owner_ = tagged(l, task_role::child) | flag_bit;
        child_index_ = index;
    }
    // A when_all child whose value goes straight into the parent's result.
    [[nodiscard]] bool writes_value() const noexcept {
        return (owner_ & (role_mask | flag_bit)) == (static_cast<std::uintptr_t>(task_role::child) | flag_bit);
    }
    [[nodiscard]] completion_latch* latch() const noexcept {
        return role() == task_role::child ? untag<completion_latch>() : nullptr;
    }
    [[nodiscard]] std::size_t child_index() const noexcept { return child_index_; }

    // start_on: the task begins on `ex` instead of on the thread that starts it. Until
    // the task has an owner (see set_sink).
    void set_start_executor(executor* ex) noexcept { third_ = reinterpret_cast<std::uintptr_t>(ex); }
    [[nodiscard]] executor* start_executor() const noexcept { return reinterpret_cast<executor*>(third_); }
    // For starters that run the task inline (an await, when_all), given the executor it
    // is to begin on: what to transfer to now. The task itself, or, when it is to begin
    // elsewhere, nothing: it is posted there.
    [[nodiscard]] static std::coroutine_handle<> start(std::coroutine_handle<> self, executor* begin_on) noexcept {
        if (begin_on) {
            begin_on->post(self);
            return std::noop_coroutine();
        }
        return self;
    }

    // What final_suspend of an awaited task (one with a continuation) transfers to: the
    // awaiter itself, or, finished on another thread, nothing here and a post home.
    [[nodiscard]] std::coroutine_handle<> next_after_final() const noexcept {
        return resume_on(continuation_executor_, std::coroutine_handle<>::from_address(untag<void>()));
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

protected:
    // A when_all child's: where its result goes (typed by task_promise_common).
    void set_out(void* out) noexcept { third_ = reinterpret_cast<std::uintptr_t>(out); }
    [[nodiscard]] void* out() const noexcept { return reinterpret_cast<void*>(third_); }
    // Any other task's. In one that never started the word holds an executor or null:
    // never `value` or `error`, so read as empty.
    [[nodiscard]] result_state own_result_state() const noexcept { return static_cast<result_state>(third_); }
    void set_own_result_state(result_state s) noexcept { third_ = static_cast<std::uintptr_t>(s); }

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

    static constexpr std::uintptr_t role_mask = 3;
    static constexpr std::uintptr_t flag_bit = 4;  // a child that writes its value into the parent's result
    static std::uintptr_t tagged(void* p, task_role r) noexcept {
        return reinterpret_cast<std::uintptr_t>(p) | static_cast<std::uintptr_t>(r);
    }
    template <class T>
    T* untag() const noexcept {
        return reinterpret_cast<T*>(owner_ & ~(role_mask | flag_bit));
    }


    // An awaiting asyncrt task's promise_base, from its frame's address. Every such
    // promise derives from promise_base first, and is aligned to at most two pointers
    // (task_promise_common checks), so it sits where any such promise does: right after
    // the frame's resume and destroy pointers.
    static const promise_base& parent_promise(void* frame) noexcept {
        return std::coroutine_handle<promise_base>::from_address(frame).promise();
    }

    static inline const std::stop_token no_token_{};

    std::uintptr_t owner_ = static_cast<std::uintptr_t>(task_role::detached);  // no owner yet
    union {
        std::source_location where_;
        executor* continuation_executor_;  // set with the continuation, read only with it
        std::size_t child_index_;
    };
    std::uintptr_t third_ = 0;  // see the class comment
    debug_record* debug_ = nullptr;
};

inline const std::stop_token& promise_base::token() const noexcept {
    for (const promise_base* p = this;;) {
        switch (p->role()) {
        case task_role::awaited_by_task:
            p = &parent_promise(p->untag<void>());
            continue;
        case task_role::child:
            p = p->untag<completion_latch>()->parent_promise;
            if (!p) return no_token_;
            continue;
        case task_role::detached: {
            const task_sink* sink = p->untag<task_sink>();
            const std::stop_token* t = sink ? sink->token() : nullptr;
            return t ? *t : no_token_;
        }
        case task_role::awaited:
            return no_token_;
        }
    }
}

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
