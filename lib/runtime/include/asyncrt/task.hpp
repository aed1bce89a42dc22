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

template <class T>
class task_promise_common : public promise_base, public cached_frame {
public:
    explicit task_promise_common(std::source_location where) noexcept : promise_base(where) {}

    struct initial_awaiter {
        debug_record* record;  // the task's, or null
        static constexpr const char* debug_name = "start";
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        void await_resume() const noexcept {
            if (record) [[unlikely]]
                debug_segment_start(*record);
        }
    };
    struct final_awaiter {
        task_promise_common* self;
        // A when_all child that ends on the thread launching it, during the launch, counts
        // itself with a plain increment (completion_latch::finished_here) and does not
        // suspend: the coroutine's own end then frees the frame inline, with no indirect
        // call to its destroy function and no transfer back to a no-op coroutine.
        [[gnu::always_inline]] bool await_ready() const noexcept {
            completion_latch* latch = self->latch();
            if (!latch || tl_launching_latch != latch) return false;
            self->on_final();
            ++latch->finished_here;  // the launcher still holds a count: the parent is not due
            return true;
        }
        // Inlined: it runs once per task, and as a call it costs a good part of what it does.
        template <class P>
        [[gnu::always_inline]] std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
            auto& p = h.promise();
            p.on_final();
            // An awaited task first: the common case, and the only one with a continuation.
            if (p.continuation()) return p.next_after_final();
            if (completion_latch* latch = p.latch()) {  // a when_all child: its result is in the parent
                h.destroy();  // here, while the frame is hot, and before the parent can run
                return latch->count_down();  // ending elsewhere, or later: see await_ready
            }
            if (task_sink* sink = p.sink()) {  // nobody awaits it: report, then free the frame
                std::exception_ptr error = p.slot().exception();
                std::source_location where = p.where();
                h.destroy();
                return sink->task_finished(std::move(error), where);
            }
            return std::noop_coroutine();  // started by run() or a test, which reads the result
        }
        void await_resume() const noexcept {}
    };

    initial_awaiter initial_suspend() noexcept { return {this->debug_tracking()}; }
    final_awaiter final_suspend() noexcept { return {this}; }
    void unhandled_exception() noexcept {
        if (writes_value())
            this->latch()->failures->record(this->child_index(), std::current_exception());
        else
            out_.slot->set_exception(std::current_exception());
    }

    // The task's own result, read by whoever awaits it.
    result_slot<T>& slot() noexcept { return slot_; }
    // Makes this task a when_all child: it finishes into `out` (in the parent) and counts
    // `latch` down, so the parent never has to read, or free, this frame.
    void finish_into(completion_latch& latch, result_slot<T>& out) noexcept {
        this->set_latch(&latch);
        out_.slot = &out;
    }
    // The same, with the value written straight into the parent's result (`latch` has a
    // first_failure): no slot to fill, and none for the parent to read, check and free.
    void finish_into(completion_latch& latch, direct_value_t<T>& value, std::size_t index) noexcept
        requires direct_result<T>
    {
        this->set_latch(&latch);
        this->set_child_index(index);
        out_.value = &value;
    }

protected:
    // Whether the body's value goes straight to a when_all parent's result.
    [[nodiscard]] bool writes_value() const noexcept {
        if constexpr (direct_result<T>) {
            completion_latch* l = this->latch();
            return l && l->failures;
        } else {
            return false;
        }
    }

    result_slot<T> slot_;
    // Where the body's result or exception goes: a slot (this frame's, or a when_all
    // parent's), or the parent's result itself (see writes_value).
    union {
        result_slot<T>* slot;
        direct_value_t<T>* value;
    } out_{&slot_};
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
                *this->out_.value = T(std::forward<U>(v));
                return;
            }
        }
        this->out_.slot->set_value(std::forward<U>(v));
    }
};

template <class T>
class task_promise<T&> final : public task_promise_common<T&> {
public:
    explicit task_promise(std::source_location where = std::source_location::current()) noexcept
        : task_promise_common<T&>(where) {}
    task<T&> get_return_object() noexcept;
    void return_value(T& v) noexcept { this->out_.slot->set_value(v); }
};

template <>
class task_promise<void> final : public task_promise_common<void> {
public:
    explicit task_promise(std::source_location where = std::source_location::current()) noexcept
        : task_promise_common<void>(where) {}
    task<void> get_return_object() noexcept;
    void return_void() noexcept { this->out_.slot->set_value(); }
};

// Passes the awaiting task's cancellation token down unless the child already has one.
// The parent's is taken even when it cannot stop either: the child then behaves the same,
// and the await skips a look into the parent's token.
template <class P>
void inherit_token(std::coroutine_handle<P> parent, promise_base& child) noexcept {
    if constexpr (std::is_base_of_v<promise_base, P>) {
        if (!child.token().stop_possible()) child.set_token(parent.promise().token());
    }
}

// Runs a task to completion without touching its result (combinators read it later);
// task's own awaiters add reading it. Symmetric transfer into the task: no stack growth.
template <class T>
struct completion_awaiter {
    std::coroutine_handle<task_promise<T>> h;
    static constexpr const char* debug_name = "task";
    bool await_ready() const noexcept { return !h || h.done(); }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> awaiting) noexcept {
        h.promise().set_continuation(awaiting);
        inherit_token(awaiting, h.promise());
        return h.promise().start(h);
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
                if constexpr (std::is_void_v<T>)
                    this->h.promise().slot().get();
                else
                    return this->h.promise().slot().get_move();
            }
        };
        return awaiter{{handle_}};
    }
    auto operator co_await() & noexcept {
        struct awaiter : awaiter_base {
            decltype(auto) await_resume() {
                this->check();
                if constexpr (std::is_void_v<T>)
                    this->h.promise().slot().get();
                else
                    return static_cast<std::add_lvalue_reference_t<T>>(this->h.promise().slot().get());
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
