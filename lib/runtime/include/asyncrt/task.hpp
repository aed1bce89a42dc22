// asyncrt/task.hpp - task<T>: a lazy, move-only coroutine that produces one T.
//
// A task starts only when awaited (or handed to run / spawn / a combinator). Awaiting one
// transfers control with symmetric transfer, so arbitrarily deep await chains use no stack.
// Exceptions escape the task body into the promise and are rethrown at the awaiter.
// Threads: a task runs on the thread that starts it until it hops (co_await pool.schedule(),
// offload); when it finishes, its awaiter resumes on the executor the awaiter suspended on
// (posted there if the task finished elsewhere, a direct transfer otherwise).
#pragma once

#include <asyncrt/detail/frame_allocator.hpp>
#include <asyncrt/detail/promise_base.hpp>
#include <asyncrt/detail/result_slot.hpp>

#include <coroutine>
#include <exception>
#include <source_location>
#include <type_traits>
#include <utility>

namespace asyncrt {

template <class T = void>
class task;

namespace detail {

template <class T>
class task_promise;

// The initial suspension's awaiter is the promise itself (an empty base of it): a
// reference to the promise is recomputed from the frame, not kept in it.
template <class Promise>
struct start_awaiter {
    static constexpr const char* debug_name = "start";
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {
        if (debug_record* r = static_cast<const Promise&>(*this).debug_tracking()) [[unlikely]]
            debug_segment_start(*r);
    }
};

// The final suspension's awaiter, likewise an empty base of the promise.
template <class Promise>
struct end_awaiter {
    // A when_all child that ends on the thread launching it, during the launch, counts
    // itself with a plain increment (completion_latch::finished_here) and does not
    // suspend: the coroutine's own end then frees the frame inline, with no indirect
    // call to its destroy function and no transfer back to a no-op coroutine.
    [[gnu::always_inline]] bool await_ready() noexcept {
        auto& self = static_cast<Promise&>(*this);
        completion_latch* latch = self.latch();
        if (!latch || tl_launching_latch != latch) return false;
        self.on_final();
        ++latch->finished_here;  // the launcher still holds a count: the parent is not due
        return true;
    }
    // Inlined: it runs once per task, and as a call it costs a good part of what it does.
    template <class P>
    [[gnu::always_inline]] std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
        auto& p = h.promise();
        p.on_final();
        // An awaited task first: the common case.
        if (p.awaited()) return p.next_after_final();
        if (completion_latch* latch = p.latch()) {  // a when_all child: its result is in the parent
            h.destroy();  // here, while the frame is hot, and before the parent can run
            return latch->count_down();  // ending elsewhere, or later: see await_ready
        }
        if (task_sink* sink = p.sink()) {  // nobody awaits it: report, then free the frame
            std::exception_ptr error = p.own_error();
            std::source_location where = p.where();
            h.destroy();
            return sink->task_finished(std::move(error), where);
        }
        return std::noop_coroutine();  // resumed by hand (a test), which reads the result
    }
    void await_resume() const noexcept {}
};

// GCC 12 copies an awaiter that initial_suspend or final_suspend returns by reference and
// awaits the copy, so the awaiters above, which find their promise from their own
// address, would read the wrong memory. There the promise hands out a pointer to its
// awaiter instead: a word more in every frame, on GCC only. Clang awaits the object
// itself, as the standard says.
#if defined(__GNUC__) && !defined(__clang__)
template <class A>
struct awaiter_ref {
    A* a;
    bool await_ready() noexcept { return a->await_ready(); }
    template <class P>
    decltype(auto) await_suspend(std::coroutine_handle<P> h) noexcept {
        return a->await_suspend(h);
    }
    void await_resume() noexcept { a->await_resume(); }
};
template <class A>
using suspend_awaiter_t = awaiter_ref<A>;
template <class A>
awaiter_ref<A> suspend_awaiter(A& a) noexcept {
    return {&a};
}
#else
template <class A>
using suspend_awaiter_t = A&;
template <class A>
A& suspend_awaiter(A& a) noexcept {
    return a;
}
#endif

template <class T>
class task_promise_common : public promise_base, public cached_frame, public start_awaiter<task_promise_common<T>>,
                            public end_awaiter<task_promise_common<T>> {
public:
    explicit task_promise_common(std::source_location where) noexcept : promise_base(where) {}
    ~task_promise_common() {
        static_assert(alignof(task_promise_common) <= 2 * sizeof(void*),
                      "asyncrt::task<T>: a T aligned to more than 16 bytes is not supported (promise_base::token "
                      "finds an awaiting task's promise at the offset such a promise has)");
        if (this->own_result_state() == result_state::value) {
            if constexpr (!std::is_trivially_destructible_v<own_value_t>) own_.value.~own_value_t();
        } else if (this->own_result_state() == result_state::error) {
            own_.error.~exception_ptr();
        }
    }

    suspend_awaiter_t<start_awaiter<task_promise_common>> initial_suspend() noexcept {
        return suspend_awaiter<start_awaiter<task_promise_common>>(*this);
    }
    suspend_awaiter_t<end_awaiter<task_promise_common>> final_suspend() noexcept {
        return suspend_awaiter<end_awaiter<task_promise_common>>(*this);
    }
    void unhandled_exception() noexcept {
        if (this->writes_value())
            this->latch()->failures->record(this->child_index(), std::current_exception());
        else if (this->role() == task_role::child)
            out_slot()->set_exception(std::current_exception());
        else
            set_own_error(std::current_exception());
    }

    // Makes this task a when_all child: it finishes into `out` (in the parent) and counts
    // `latch` down, so the parent never has to read, or free, this frame.
    [[nodiscard]] executor* finish_into(completion_latch& latch, result_slot<T>& out) noexcept {
        executor* begin_on = this->start_executor();
        this->set_latch(&latch);
        this->set_out(&out);
        return begin_on;
    }
    // The same, with the value written straight into the parent's result (`latch` has a
    // first_failure): no slot to fill, and none for the parent to read, check and free.
    [[nodiscard]] executor* finish_into(completion_latch& latch, direct_value_t<T>& value, std::size_t index) noexcept
        requires direct_result<T>
    {
        executor* begin_on = this->start_executor();
        this->set_latch(&latch, index);
        this->set_out(&value);
        return begin_on;
    }

    // --- the task's own result, which every task but a when_all child ends with ---
    // What an await reads: the value (a reference to it in the frame), or the exception
    // rethrown, or a broken promise if there is neither. The test stays inline, the throw
    // out of line.
    decltype(auto) own_value() {
        if (this->own_result_state() != result_state::value) [[unlikely]]
            throw_own();
        if constexpr (std::is_void_v<T>)
            return;
        else if constexpr (std::is_reference_v<T>)
            return static_cast<T>(*own_.value);
        else
            return static_cast<T&>(own_.value);
    }
    // What an rvalue await and run() yield: the value moved out (for task<T&> the
    // reference, for task<void> nothing).
    T take_own_value() {
        if constexpr (std::is_void_v<T> || std::is_reference_v<T>)
            return own_value();
        else
            return std::move(own_value());
    }
    [[nodiscard]] std::exception_ptr own_error() const noexcept {
        return this->own_result_state() == result_state::error ? own_.error : nullptr;
    }
    // Moves the result into a slot (a combinator's).
    void move_own_into(result_slot<T>& out) noexcept(std::is_nothrow_move_constructible_v<own_value_t>) {
        if (this->own_result_state() == result_state::value) {
            if constexpr (std::is_void_v<T>)
                out.set_value();
            else if constexpr (std::is_reference_v<T>)
                out.set_value(*own_.value);
            else
                out.set_value(std::move(own_.value));
        } else if (this->own_result_state() == result_state::error) {
            out.set_exception(own_.error);
        }
    }

protected:
    using own_value_t = std::conditional_t<std::is_reference_v<T>, std::remove_reference_t<T>*, stored_t<T>>;

    template <class... U>
    void set_own_value(U&&... v) noexcept(std::is_nothrow_constructible_v<own_value_t, U&&...>) {
        ::new (static_cast<void*>(std::addressof(own_.value))) own_value_t(std::forward<U>(v)...);
        this->set_own_result_state(result_state::value);
    }
    void set_own_error(std::exception_ptr e) noexcept {
        ::new (static_cast<void*>(std::addressof(own_.error))) std::exception_ptr(std::move(e));
        this->set_own_result_state(result_state::error);
    }
    // A when_all child's destination: a slot, or the parent's value itself.
    [[nodiscard]] result_slot<T>* out_slot() const noexcept { return static_cast<result_slot<T>*>(this->out()); }
    [[nodiscard]] direct_value_t<T>* out_value() const noexcept {
        return static_cast<direct_value_t<T>*>(this->out());
    }

private:
    [[noreturn, gnu::cold, gnu::noinline]] void throw_own() const {
        if (this->own_result_state() == result_state::error) std::rethrow_exception(own_.error);
        throw_broken_promise();
    }

    // Value or exception, its state in promise_base's third word: no state byte, and no
    // padding after one, in every frame.
    union own_result {
        own_result() noexcept {}
        ~own_result() {}
        own_value_t value;
        std::exception_ptr error;
    } own_;
};

template <class T>
class task_promise final : public task_promise_common<T> {
public:
    // The default argument is evaluated where the compiler creates the promise: at the
    // coroutine itself, which is how debug mode names tasks.
    explicit task_promise(std::source_location where = std::source_location::current()) noexcept
        : task_promise_common<T>(where) {}
    task<T> get_return_object() noexcept;
    template <class U = T>
        requires std::is_convertible_v<U&&, T>
    void return_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        if constexpr (direct_result<T>) {
            if (this->writes_value()) {
                *this->out_value() = T(std::forward<U>(v));
                return;
            }
        }
        if (this->role() == task_role::child)
            this->out_slot()->set_value(std::forward<U>(v));
        else
            this->set_own_value(std::forward<U>(v));
    }
};

template <class T>
class task_promise<T&> final : public task_promise_common<T&> {
public:
    explicit task_promise(std::source_location where = std::source_location::current()) noexcept
        : task_promise_common<T&>(where) {}
    task<T&> get_return_object() noexcept;
    void return_value(T& v) noexcept {
        if (this->role() == task_role::child)
            this->out_slot()->set_value(v);
        else
            this->set_own_value(std::addressof(v));
    }
};

template <>
class task_promise<void> final : public task_promise_common<void> {
public:
    explicit task_promise(std::source_location where = std::source_location::current()) noexcept
        : task_promise_common<void>(where) {}
    task<void> get_return_object() noexcept;
    void return_void() noexcept {
        if (this->role() == task_role::child)
            this->out_slot()->set_value();
        else
            this->set_own_value();
    }
};

// Runs a task to completion without touching its result (combinators read it later);
// task's own awaiters add reading it. Symmetric transfer into the task: no stack growth.
template <class T>
struct completion_awaiter {
    std::coroutine_handle<task_promise<T>> h;
    static constexpr const char* debug_name = "task";
    bool await_ready() const noexcept { return !h || h.done(); }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> awaiting) noexcept {
        return promise_base::start(h, h.promise().set_continuation(awaiting));
    }
    void await_resume() const noexcept {}
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
public:
    using promise_type = detail::task_promise<T>;
    using value_type = T;
    using handle_type = std::coroutine_handle<promise_type>;

    task() noexcept = default;
    explicit task(handle_type h) noexcept : handle_(h) {}
    task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    ~task() { destroy(); }

    // True when this object owns a coroutine (not moved-from / default-constructed).
    [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(handle_); }
    explicit operator bool() const noexcept { return valid(); }
    [[nodiscard]] bool is_ready() const noexcept { return !handle_ || handle_.done(); }

private:
    struct awaiter_base : detail::completion_awaiter<T> {
        void check() const {
            if (!this->h) detail::throw_broken_promise();
        }
    };

public:
    // `co_await std::move(t)` / `co_await f()` yields the value; `co_await t` a reference.
    auto operator co_await() && noexcept {
        struct awaiter : awaiter_base {
            T await_resume() {
                this->check();
                return this->h.promise().take_own_value();
            }
        };
        return awaiter{{handle_}};
    }
    auto operator co_await() & noexcept {
        struct awaiter : awaiter_base {
            decltype(auto) await_resume() {
                this->check();
                if constexpr (std::is_void_v<T>)
                    this->h.promise().own_value();
                else
                    return static_cast<std::add_lvalue_reference_t<T>>(this->h.promise().own_value());
            }
        };
        return awaiter{{handle_}};
    }

private:
    friend struct detail::task_access;

    void destroy() noexcept {
        if (handle_) {
            handle_.destroy();
            handle_ = {};
        }
    }

    handle_type handle_{};
};

namespace detail {
template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
    return task<T>{std::coroutine_handle<task_promise<T>>::from_promise(*this)};
}
template <class T>
task<T&> task_promise<T&>::get_return_object() noexcept {
    return task<T&>{std::coroutine_handle<task_promise<T&>>::from_promise(*this)};
}
inline task<void> task_promise<void>::get_return_object() noexcept {
    return task<void>{std::coroutine_handle<task_promise<void>>::from_promise(*this)};
}
}  // namespace detail

namespace detail {
template <class A>
inline constexpr bool is_task_v = false;
template <class T>
inline constexpr bool is_task_v<task<T>> = true;

// A lazy awaitable that can become a task, such as what when_all(t...) returns. The
// functions that take a task (run, spawn, task_group::spawn, start_on, when_all) take
// one of these too, through as_task().
template <class A>
concept task_source = !is_task_v<std::remove_cvref_t<A>> && requires(std::remove_cvref_t<A>&& a) {
    requires is_task_v<decltype(std::move(a).as_task())>;
};

template <class T>
task<T> as_task(task<T> t) noexcept {
    return t;
}
template <task_source S>
auto as_task(S s) {
    return std::move(s).as_task();
}
}  // namespace detail

}  // namespace asyncrt
