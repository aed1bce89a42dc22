// ember's worker pool and crew: two classes with a spawn-shaped member and a
// zero-argument awaitable member. Only the crew's waits for its futures.
#pragma once
#include "ember/ember.hpp"

#include <coroutine>
#include <cstddef>
#include <vector>

namespace ember {

// spawn_detached() runs a future on a worker and forgets it; schedule() and
// yield() hop onto a worker. Awaiting them waits for none of the spawned
// futures, so the pool is no scope and its spawn has no error channel.
class worker_pool {
public:
  struct hop {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() noexcept {}
  };
  hop schedule();
  hop yield();
  bool spawn_detached(future<void> &&f);
  std::size_t size() const;
};

// A scope whose join is wait(): named like an acquisition, but it waits for
// the crew's futures.
class crew {
public:
  void spawn(future<void> f) { members_.push_back(std::move(f)); }
  future<void> wait();

private:
  std::vector<future<void>> members_;
};

} // namespace ember
