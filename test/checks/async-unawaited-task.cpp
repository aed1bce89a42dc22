// RUN: %check_corotidy %s async-unawaited-task %t

// Against home-made task types the rules do not name: recognised by shape
// (promise_type + awaitable), laziness read from initial_suspend().

#include "hometask.hpp"

#include <utility>
#include <vector>

home::Lazy<int> fetch(int);
home::Lazy<void> ping();
home::Eager fire();

// Laziness unknown: initial_suspend()'s awaiter decides at run time.
struct Maybe {
  struct start_if {
    bool ready;
    bool await_ready() const noexcept { return ready; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
  };
  struct promise_type {
    Maybe get_return_object() { return {}; }
    start_if initial_suspend() noexcept { return {true}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
Maybe maybe();

// A task only by its attribute: not awaitable, so no co_await fix-it.
struct [[clang::coro_return_type]] Marked {
  struct promise_type {
    Marked get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
Marked marked();

// A callable object whose call operator returns a task.
struct Fetcher {
  home::Lazy<int> operator()(int) const;
};

//===--- Positives: free functions ------------------------------------------===//

home::Lazy<int> free_function() {
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(1);{{$}}
  ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await ping();{{$}}
  int a = co_await fetch(2);
  fire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fire();{{$}}
  maybe();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'maybe' is never awaited: it never runs if it is lazy, and loses its exceptions if it is eager [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await maybe();{{$}}
  (void)fetch(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  (void)co_await fetch(3);{{$}}
  static_cast<void>(ping());
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  static_cast<void>(co_await ping());{{$}}
  co_return a;
}

void not_a_coroutine() {
  fetch(4);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine: return the task, or hand it to a task_group or spawn with an error handler
  // CHECK-FIXES: {{^}}  fetch(4);{{$}}
  fire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine
  marked();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'marked' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine
}

home::Lazy<void> attribute_only_type() {
  marked();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'marked' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  marked();{{$}}
  co_return;
}

//===--- Positives: statement positions -------------------------------------===//

home::Lazy<void> statement_positions(int n, bool b) {
  fetch(5), fetch(6);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:13: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(5), co_await fetch(6);{{$}}
  for (ping(); n > 0; ping())
    --n;
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-3]]:23: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  for (co_await ping(); n > 0; co_await ping()){{$}}
  if (b)
    fetch(7);
  else
    fire();
  // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: task returned by 'fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
  // CHECK-FIXES: {{^}}    co_await fetch(7);{{$}}
  // CHECK-FIXES: {{^}}    co_await fire();{{$}}
  while (n++ < 3)
    ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}    co_await ping();{{$}}
  switch (n) {
  case 1:
    fetch(8);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await fetch(8);{{$}}
    break;
  case 2: ping(); break;
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  case 2: co_await ping(); break;{{$}}
  default:
    fire();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'fire' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await fire();{{$}}
  }
  b ? fetch(9) : fetch(10);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:18: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  b ? co_await fetch(9) : co_await fetch(10);{{$}}
  try {
    fetch(11);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await fetch(11);{{$}}
  } catch (...) {
    fetch(12);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: co_await is not allowed in a catch handler: store the task and await it after the handler
    // CHECK-FIXES: {{^}}    fetch(12);{{$}}
  }
  co_return;
}

//===--- Positives: member functions ----------------------------------------===//

struct Client {
  home::Lazy<int> get(int);
  static home::Lazy<int> make();
  home::Eager notify();

  home::Lazy<void> run(Client *other, Client &ref) {
    get(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'get' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await get(1);{{$}}
    this->get(2);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'get' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await this->get(2);{{$}}
    other->get(3);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'get' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await other->get(3);{{$}}
    ref.notify();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'notify' is never awaited: it is eager, so it runs detached; its exceptions are lost [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await ref.notify();{{$}}
    make();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'make' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await make();{{$}}
    Client::make();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'make' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await Client::make();{{$}}
    home::Lazy<int> (Client::*method)(int) = &Client::get;
    (this->*method)(4);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await (this->*method)(4);{{$}}
    home::Lazy<int> (*function)(int) = &fetch;
    function(5);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await function(5);{{$}}
    co_return;
  }
};

void member_outside_coroutine(Client &c) {
  c.get(6);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'get' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: this function is not a coroutine
}

//===--- Positives: lambdas and callable objects ----------------------------===//

home::Lazy<void> lambdas(Fetcher fetcher) {
  []() -> home::Lazy<int> { co_return 1; }();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by the lambda is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await []() -> home::Lazy<int> { co_return 1; }();{{$}}
  auto coro = [](int x) -> home::Lazy<int> { co_return x; };
  coro(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by the lambda is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await coro(2);{{$}}
  fetcher(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'operator()' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetcher(3);{{$}}
  // A plain lambda inside a coroutine is not a coroutine: no co_await there.
  auto callback = [] { fetch(4); };
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: this function is not a coroutine
  // CHECK-FIXES: {{^}}  auto callback = [] { fetch(4); };{{$}}
  callback();
  // A coroutine lambda inside a coroutine gets its own fix-it.
  auto inner = []() -> home::Lazy<void> {
    ping();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await ping();{{$}}
    co_return;
  };
  co_await inner();
}

//===--- Positives: templates (one report per spelling) ---------------------===//

template <typename T> home::Lazy<void> generic(T value) {
  fetch(static_cast<int>(value));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(static_cast<int>(value));{{$}}
  co_return;
}

template <typename T> home::Lazy<T> produce();

template <typename T> home::Lazy<void> dependent() {
  produce<T>();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'produce' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await produce<T>();{{$}}
  co_return;
}

template <typename T> struct Repository {
  home::Lazy<T> load();
  home::Lazy<void> refresh() {
    load();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'load' is never awaited: it is lazy, so it never runs [async-unawaited-task]
    // CHECK-FIXES: {{^}}    co_await load();{{$}}
    co_return;
  }
};

home::Lazy<void> instantiate() {
  co_await generic(1);
  co_await generic(2.0);
  co_await generic('c');
  co_await dependent<int>();
  co_await dependent<long>();
  co_await dependent<char>();
  co_await Repository<int>().refresh();
  co_await Repository<long>().refresh();
}

//===--- Positives: macros --------------------------------------------------===//

#define FETCH_AND_DROP() fetch(42)
#define RUN(expr) expr

home::Lazy<void> macros() {
  FETCH_AND_DROP();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  FETCH_AND_DROP();{{$}}
  RUN(ping());
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: task returned by 'ping' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-MESSAGES: :[[@LINE-2]]:7: note: await it, store it and await it later, or hand it to when_all or a task_group
  // CHECK-FIXES: {{^}}  RUN(ping());{{$}}
  co_return;
}

//===--- Suppression ----------------------------------------------------------===//

home::Lazy<void> suppressed() {
  fetch(1); // NOLINT(async-unawaited-task)
  // NOLINTNEXTLINE(async-unawaited-task)
  ping();
  // NOLINTBEGIN(async-*)
  fire();
  // NOLINTEND(async-*)
  fetch(2); // NOLINT(async-blocking-call): names another check, so still reported
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'fetch' is never awaited: it is lazy, so it never runs [async-unawaited-task]
  // CHECK-FIXES: {{^}}  co_await fetch(2); // NOLINT(async-blocking-call): names another check, so still reported{{$}}
  co_return;
}

//===--- Negatives ------------------------------------------------------------===//

home::Lazy<int> &cached();
home::Lazy<int> *cached_pointer();
void consume(home::Lazy<int>);
home::Lazy<int> forward_task();

struct Holder {
  home::Lazy<int> member = fetch(1);
  home::Lazy<void> other;
  Holder() : other(ping()) {}
};

template <typename T> concept Fetchable = requires(T t) { fetch(t); ping(); };
static_assert(Fetchable<int>);

void default_argument(home::Lazy<int> t = fetch(2));

home::Lazy<int> negatives(Client &c, bool b) {
  co_await fetch(1);                        // awaited
  int v = co_await c.get(2);                // awaited member
  auto t = fetch(3);                        // stored ...
  v += co_await std::move(t);               // ... and awaited later
  auto &&bound = fetch(4);                  // bound to a reference
  co_await std::move(bound);
  home::Lazy<int> initialised{fetch(5)};    // brace-initialised
  Holder holder;
  consume(fetch(7));                        // passed on to a user function
  std::vector<home::Lazy<int>> tasks;
  tasks.push_back(fetch(8));                // moved into a vector
  tasks.emplace_back(fetch(9));
  (void)fire();                             // (void) on an eager task: on purpose
  static_cast<void>(fire());
  (void)maybe();                            // (void) on unknown laziness
  cached();                                 // a reference: the owner keeps it
  cached_pointer();                         // a pointer is not a task
  using Type = decltype(fetch(10));         // unevaluated
  static_assert(sizeof(fetch(11)) > 0);     // unevaluated
  (void)noexcept(fetch(12));                // unevaluated
  home::Event event;
  co_await event;                           // awaitable without promise: not a task
  home::Generator make_generator();
  make_generator();                         // promise but not awaitable: not a task
  auto lambda = [t = fetch(13)]() mutable -> home::Lazy<int> { co_return co_await std::move(t); };
  co_await lambda();
  if (b)
    co_return co_await fetch(14);
  co_return v;
}

home::Lazy<int> returned() { return forward_task(); }
home::Lazy<int> co_returned_value() { co_return co_await fetch(1); }
home::Lazy<int> ternary_returned(bool b) { return b ? fetch(1) : fetch(2); }

home::Generator yields_tasks();
struct TaskGenerator {
  struct promise_type {
    TaskGenerator get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(home::Lazy<int>) noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
TaskGenerator generate() { co_yield fetch(1); }  // co_yield hands the task on

template <typename T> home::Lazy<void> negative_template(T value) {
  auto pending = produce<T>();
  co_await std::move(pending);
  co_await fetch(static_cast<int>(value));
}

home::Lazy<void> instantiate_negatives() {
  co_await negative_template(1);
  co_await negative_template(2L);
}

#define AWAIT(expr) co_await expr
home::Lazy<void> awaited_in_macro() {
  AWAIT(fetch(1));
  AWAIT(ping());
}

struct NotATask {
  int value;
};
NotATask plain_value();
void drops_plain_value() { plain_value(); }
