// RUN: %check_corotidy %s async-unbounded-fanout %t

// Combinators, bounded combinators, spawns and scopes of two home-made
// frameworks that no rules file names (acme: lazy, ember: eager), found by
// their shapes (docs/checks/async-unbounded-fanout.md, "Inferred roles").

#include "acme/acme.hpp"
#include "ember/ember.hpp"
#include <string>
#include <vector>

struct user { std::string id; };
acme::task<void> send_push(const user &u, const std::string &message);
acme::task<int> fetch(int id);
ember::future<int> probe(int id);
void log_error(std::exception_ptr);

// The canonical miss: acme::when_all over a runtime-sized vector.
acme::task<void> notify_all(std::vector<user> users, std::string message) {
  std::vector<acme::task<void>> pushes;
  for (const auto &u : users) pushes.push_back(send_push(u, message));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'users', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
  // CHECK-MESSAGES: :[[@LINE-2]]:31: note: each task is added to 'pushes' here; 'when_all' starts them all at once
  co_await acme::when_all(std::move(pushes));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: note: start at most 64 at a time with 'acme::when_all_limited'
  // CHECK-FIXES: {{^}}  co_await acme::when_all_limited(std::move(pushes), 64);{{$}}
}

// The same through the template overload (a vector of task<int>): the bounded
// sibling template takes the same range and returns the same vector.
acme::task<int> sum_all(std::vector<int> ids) {
  std::vector<acme::task<int>> reads;
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    reads.push_back(fetch(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'reads' here
  auto values = co_await acme::when_all(std::move(reads));
  // CHECK-MESSAGES: :[[@LINE-1]]:26: note: start at most 64 at a time with 'acme::when_all_limited'
  // CHECK-FIXES: {{^}}  auto values = co_await acme::when_all_limited(std::move(reads), 64);{{$}}
  int total = 0;
  for (int v : values)
    total += v;
  co_return total;
}

// No compatible bounded sibling: a note, no fix-it. home::join_all has only
// a bounded form that returns something else (a count of failures).
namespace home {
template <typename T> acme::task<std::vector<T>> join_all(std::vector<acme::task<T>> tasks);
template <typename T> acme::task<int> join_all_limited(std::vector<acme::task<T>> tasks, std::size_t n);
} // namespace home
acme::task<void> joined(std::vector<int> ids) {
  std::vector<acme::task<int>> reads;
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    reads.push_back(fetch(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'reads' here
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  co_await home::join_all(std::move(reads));
}

// The bounded combinator limits itself: no finding.
acme::task<void> notify_limited(std::vector<user> users, std::string message) {
  std::vector<acme::task<void>> pushes;
  for (const auto &u : users) pushes.push_back(send_push(u, message));
  co_await acme::when_all_limited(std::move(pushes), 8);
}

// A spawn by shape in a loop.
acme::task<void> spawn_each(std::vector<int> ids) {
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    acme::spawn(fetch(id), log_error);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  co_return;
}

// A transform is not a launch: with_timeout(t, d) is awaited one by one.
acme::task<void> one_by_one(std::vector<int> ids) {
  for (int id : ids)
    co_await acme::with_timeout(fetch(id), std::chrono::milliseconds(100));
}

// A scope by shape (task_group: spawn stores, join awaits).
acme::task<void> grouped(std::vector<int> ids) {
  acme::task_group group;
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    group.spawn(acme::with_timeout(acme::sleep_for(std::chrono::milliseconds(id)), std::chrono::seconds(1)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  co_await group.join();
}

// Joined in batches inside the loop: bounded by the batch.
acme::task<void> batched(std::vector<std::vector<int>> batches) {
  for (const auto &batch : batches) {
    acme::task_group group;
    for (int id : batch)
      group.spawn(acme::sleep_for(std::chrono::milliseconds(id)));
    co_await group.join();
  }
}

// The eager framework: gather is a combinator, gather_at_most is bounded.
ember::future<void> probe_all(std::vector<int> ids) {
  std::vector<ember::future<int>> probes;
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once: N elements start N concurrent tasks, and nothing limits the connections, memory and peer load they take [async-unbounded-fanout]
    probes.push_back(probe(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: each task is added to 'probes' here; 'gather' starts them all at once
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  co_await ember::gather(std::move(probes));
}

ember::future<void> probe_some(std::vector<int> ids) {
  std::vector<ember::future<int>> probes;
  for (int id : ids)
    probes.push_back(probe(id));
  co_await ember::gather_at_most(std::move(probes), 4);
}

// A constant, small count is the programmer's bound.
acme::task<void> three() {
  std::vector<acme::task<int>> tasks;
  for (int i = 0; i < 3; ++i)
    tasks.push_back(fetch(i));
  co_await acme::when_all(std::move(tasks));
}

// Limiters by shape: a counting semaphore the rules do not name (constructible
// from an integral permit count, an acquisition returning an awaitable, and a
// release-named member or a guard-yielding acquisition).
namespace home {
class gate {
public:
  explicit gate(std::size_t permits);
  acme::task<void> acquire();
  void release();
};
// A pool of worker threads: a count and an acquisition-named hop, but
// post(handle) gives back no permit, so schedule() is not a limit.
class workers {
public:
  explicit workers(int threads);
  acme::task<void> schedule();
  void post(std::coroutine_handle<> h);
};
// Permits only through a guard: acquire() yields a ticket that gives itself
// back in its destructor; there is no release() member.
class tickets {
public:
  class ticket {
  public:
    ticket(ticket &&) noexcept;
    ~ticket();
  };
  explicit tickets(unsigned n);
  acme::task<ticket> acquire();
};
// A flag is no count.
class latch {
public:
  explicit latch(bool open);
  acme::task<void> wait();
  void signal();
};
} // namespace home

acme::task<void> work(int id, home::gate &g);
acme::task<void> ping(int id);

// The acquisition in the loop body, before the spawn: visibly bounded.
acme::task<void> gated(std::vector<int> ids) {
  home::gate slots(4);
  acme::task_group group;
  for (int id : ids) {
    co_await slots.acquire();
    group.spawn(work(id, slots));
  }
  co_await group.join();
}

// acme::semaphore (acquire() yields a permit; release() too): a limiter.
acme::task<void> permitted(std::vector<int> ids, acme::semaphore &sem) {
  for (int id : ids) {
    auto permit = co_await sem.acquire();
    acme::spawn(fetch(id), log_error);
  }
}

// A guard-yielding acquisition without a release() member: a limiter too.
acme::task<void> ticketed(std::vector<int> ids, home::tickets &queue) {
  for (int id : ids) {
    auto ticket = co_await queue.acquire();
    acme::spawn(fetch(id), log_error);
  }
}

// The same loop without the acquisition is still a fan-out.
acme::task<void> ungated(std::vector<int> ids) {
  home::gate slots(4);
  acme::task_group group;
  for (int id : ids)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    group.spawn(ping(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  co_await group.join();
}

// A mutex lock in the loop is no bound: the guard dies at the end of the
// iteration and the next spawn follows at once.
acme::task<void> locked(std::vector<int> ids, acme::mutex &m) {
  acme::task_group group;
  for (int id : ids) {
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    auto guard = co_await m.lock();
    group.spawn(ping(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  }
  co_await group.join();
}

// Counted, but nothing is given back (a pool hop), or given back but not
// counted (a flag): neither is a limit.
acme::task<void> hopped(std::vector<int> ids, home::workers &pool, home::latch &ready) {
  acme::task_group group;
  for (int id : ids) {
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    co_await pool.schedule();
    co_await ready.wait();
    group.spawn(ping(id));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: task launched here by 'spawn'
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: cap the concurrency: e.g. 'asyncrt::sema
  }
  co_await group.join();
}
