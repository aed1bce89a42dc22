// asyncrt/detail/result_slot.hpp - "value or exception" storage for promises and offload.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

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

template <class T>
class result_slot {
public:
    template <class U>
    void set_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        data_.template emplace<1>(std::forward<U>(v));
    }
    void set_exception(std::exception_ptr e) noexcept { data_.template emplace<2>(std::move(e)); }
    [[nodiscard]] bool has_exception() const noexcept { return data_.index() == 2; }
    [[nodiscard]] bool has_value() const noexcept { return data_.index() == 1; }
    [[nodiscard]] std::exception_ptr exception() const noexcept {
        return has_exception() ? std::get<2>(data_) : nullptr;
    }
    T& get() & {
        check();
        return *std::get_if<1>(&data_);
    }
    T get_move() {
        check();
        return std::move(*std::get_if<1>(&data_));
    }
    // Rethrows the exception, or reports a result that never came. The value is what
    // every await reads: that test stays inline, the throwing out of line.
    void check() const {
        if (data_.index() != 1) [[unlikely]]
            throw_stored();
    }
    std::variant<std::monostate, T, std::exception_ptr> data_;

private:
    [[noreturn, gnu::cold, gnu::noinline]] void throw_stored() const {
        if (data_.index() == 2) std::rethrow_exception(*std::get_if<2>(&data_));
        throw_broken_promise();
    }
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
