// asyncrt/detail/result_slot.hpp - "value or exception" storage for promises and offload.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace asyncrt {

// Stands in for `void` where a value is needed (when_all over task<void>).
struct void_value {
    friend constexpr bool operator==(void_value, void_value) noexcept { return true; }
};

namespace detail {

// What a task<T> yields when its result is stored in a tuple or vector.
template <class T>
struct stored {
    using type = T;
};
template <>
struct stored<void> {
    using type = void_value;
};
template <class T>
using stored_t = typename stored<T>::type;

// A task result when_all writes straight into its own result (a tuple or vector
// element): an object that default-constructs and move-assigns without throwing. Others
// go through a result_slot.
template <class T>
concept direct_result = std::is_object_v<T> && !std::is_array_v<T> && std::is_nothrow_default_constructible_v<T> &&
                        std::is_nothrow_move_assignable_v<T>;
template <class T>
using direct_value_t = std::conditional_t<direct_result<T>, T, void_value>;

[[nodiscard]] inline std::exception_ptr broken_promise() noexcept {
    return std::make_exception_ptr(std::logic_error("asyncrt: awaited a task that produced no result"));
}
[[noreturn]] inline void throw_broken_promise() {
    throw std::logic_error("asyncrt: awaited a task that produced no result");
}

// Empty, a value, or an exception. Hand-made rather than a std::variant: every task's
// frame holds one, and the variant's destruction (and its emplace, which destroys first)
// is a jump through a table, where this is one compare; for a trivially destructible T,
// ending a slot that holds no exception does nothing.
template <class T>
class result_slot {
public:
    result_slot() noexcept {}
    result_slot(result_slot&& other) noexcept(std::is_nothrow_move_constructible_v<T>) { take_from(std::move(other)); }
    result_slot(const result_slot& other)
        requires std::is_copy_constructible_v<T>
    {
        copy_from(other);
    }
    result_slot& operator=(result_slot&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this != &other) {
            reset();
            take_from(std::move(other));
        }
        return *this;
    }
    result_slot& operator=(const result_slot& other)
        requires std::is_copy_constructible_v<T>
    {
        if (this != &other) {
            reset();
            copy_from(other);
        }
        return *this;
    }
    ~result_slot() { reset(); }

    template <class U>
    void set_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        reset();
        ::new (static_cast<void*>(std::addressof(value_))) T(std::forward<U>(v));
        state_ = state::value;
    }
    void set_exception(std::exception_ptr e) noexcept {
        reset();
        ::new (static_cast<void*>(std::addressof(error_))) std::exception_ptr(std::move(e));
        state_ = state::error;
    }
    [[nodiscard]] bool has_exception() const noexcept { return state_ == state::error; }
    [[nodiscard]] bool has_value() const noexcept { return state_ == state::value; }
    [[nodiscard]] std::exception_ptr exception() const noexcept { return has_exception() ? error_ : nullptr; }
    T& get() & {
        check();
        return value_;
    }
    T get_move() {
        check();
        return std::move(value_);
    }
    // Rethrows the exception, or reports a result that never came. The value is what
    // every await reads: that test stays inline, the throwing out of line.
    void check() const {
        if (state_ != state::value) [[unlikely]]
            throw_stored();
    }

private:
    enum class state : unsigned char { empty, value, error };

    void reset() noexcept {
        if constexpr (std::is_trivially_destructible_v<T>) {
            if (state_ == state::error) error_.~exception_ptr();
        } else {
            if (state_ == state::value)
                value_.~T();
            else if (state_ == state::error)
                error_.~exception_ptr();
        }
        state_ = state::empty;
    }
    void take_from(result_slot&& other) {
        if (other.state_ == state::value)
            set_value(std::move(other.value_));
        else if (other.state_ == state::error)
            set_exception(std::move(other.error_));
    }
    void copy_from(const result_slot& other) {
        if (other.state_ == state::value)
            set_value(other.value_);
        else if (other.state_ == state::error)
            set_exception(other.error_);
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_stored() const {
        if (state_ == state::error) std::rethrow_exception(error_);
        throw_broken_promise();
    }

    union {
        T value_;
        std::exception_ptr error_;
    };
    state state_ = state::empty;
};

template <class T>
class result_slot<T&> {
public:
    void set_value(T& v) noexcept { ptr_ = std::addressof(v); }
    void set_exception(std::exception_ptr e) noexcept { ex_ = std::move(e); }
    [[nodiscard]] bool has_exception() const noexcept { return ex_ != nullptr; }
    [[nodiscard]] bool has_value() const noexcept { return ptr_ != nullptr; }
    [[nodiscard]] std::exception_ptr exception() const noexcept { return ex_; }
    T& get() const {
        check();
        return *ptr_;
    }
    T& get_move() const { return get(); }
    void check() const {
        if (ex_) std::rethrow_exception(ex_);
        if (!ptr_) throw_broken_promise();
    }
    T* ptr_ = nullptr;
    std::exception_ptr ex_;
};

template <>
class result_slot<void> {
public:
    void set_value() noexcept { done_ = true; }
    void set_exception(std::exception_ptr e) noexcept { ex_ = std::move(e); }
    [[nodiscard]] bool has_exception() const noexcept { return ex_ != nullptr; }
    [[nodiscard]] bool has_value() const noexcept { return done_ && !ex_; }
    [[nodiscard]] std::exception_ptr exception() const noexcept { return ex_; }
    void get() const {
        if (ex_) std::rethrow_exception(ex_);
        if (!done_) throw_broken_promise();
    }
    void get_move() const { get(); }
    void check() const { get(); }

private:
    bool done_ = false;
    std::exception_ptr ex_;
};

}  // namespace detail
}  // namespace asyncrt
