// A home-made framework ("relay") whose combinators take any awaitable, not
// a named task type: a pack of concept-constrained parameters, or a range
// whose element type is constrained through a defaulted template parameter
// or a requires-clause. Only the shapes matter; nothing is defined.
#pragma once
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <ranges>
#include <tuple>
#include <vector>

namespace relay {

template <typename T> struct task {
  struct promise_type {
    task get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_value(T);
    void unhandled_exception();
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) const noexcept;
  T await_resume();
};

namespace concepts {
template <typename A>
concept awaiter = requires(A a, std::coroutine_handle<> h) {
  { a.await_ready() } -> std::same_as<bool>;
  a.await_suspend(h);
  a.await_resume();
};
template <typename A>
concept has_member_co_await = requires(A a) {
  { a.operator co_await() } -> awaiter;
};
// Awaitable only through the concepts it names.
template <typename A>
concept awaitable = has_member_co_await<A> || awaiter<A>;
// Says nothing about awaiting.
template <typename A>
concept printable = requires(A a) { a.print(); };
} // namespace concepts

template <typename... Rs> struct all_ready {
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) const noexcept;
  std::tuple<Rs...> await_resume();
};
template <typename R> struct one_ready {
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) const noexcept;
  R await_resume();
};

// Combinators: a constrained pack; a range whose element the defaulted
// parameter constrains; a range constrained by a requires-clause.
template <concepts::awaitable... As> auto when_all(As... awaitables);
template <std::ranges::range R,
          concepts::awaitable A = std::ranges::range_value_t<R>>
auto when_all(R awaitables) -> all_ready<std::vector<int>>;
template <typename R>
  requires concepts::awaitable<std::ranges::range_value_t<R>>
auto when_any(R awaitables) -> one_ready<int>;

// Not combinators: one awaitable in (a transform); a pack constrained by a
// concept that says nothing about awaiting; a range of anything.
template <concepts::awaitable A> auto with_deadline(A awaitable, int ms) -> one_ready<int>;
template <concepts::printable... Ps> auto print_all(Ps... values) -> one_ready<int>;
template <std::ranges::range R> auto count_all(R values) -> one_ready<std::size_t>;

} // namespace relay
