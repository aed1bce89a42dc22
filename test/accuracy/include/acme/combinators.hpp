// acme's combinators, spawn, scope and sync-wait.
#pragma once

#include "acme/task.hpp"

#include <cstddef>
#include <tuple>

namespace acme {

/// Runs every task concurrently and waits for all of them.
template <class T> task<std::vector<T>> when_all(std::vector<task<T>> tasks) {
  std::vector<T> out;
  for (auto &t : tasks)
    out.push_back(co_await std::move(t));
  co_return out;
}
task<void> when_all(std::vector<task<void>> tasks);

template <class... Ts> task<std::tuple<Ts...>> when_all(task<Ts>... tasks);

/// At most `limit` tasks at a time.
template <class T>
task<std::vector<T>> when_all_bounded(std::vector<task<T>> tasks, std::size_t limit);

/// Fire and forget. The handler receives the task's exception, if any.
void spawn(task<void> t, std::function<void(std::exception_ptr)> on_error = {});

/// Blocks the calling thread until the task completes.
template <class T> T sync_wait(task<T> t);
void sync_wait(task<void> t);

/// A structured scope: spawned tasks are joined (and their errors rethrown).
class task_group {
public:
  void spawn(task<void> t) { pending_.push_back(std::move(t)); }
  task<void> join() { return acme::when_all(std::move(pending_)); }

private:
  std::vector<task<void>> pending_;
};

task<void> sleep_for(std::chrono::milliseconds d);

/// An async mutex: lock() suspends instead of blocking the thread.
class mutex {
public:
  class scoped_lock {
  public:
    explicit scoped_lock(mutex &m) : m_(&m) {}
    scoped_lock(scoped_lock &&o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
    ~scoped_lock() { if (m_) m_->unlock(); }

  private:
    mutex *m_;
  };
  task<scoped_lock> lock();
  void unlock();
};

/// Caps concurrency: acquire() suspends while `n` holders are inside.
class semaphore {
public:
  explicit semaphore(std::size_t n) : n_(n) {}
  task<void> acquire();
  void release();

private:
  std::size_t n_;
};

} // namespace acme
