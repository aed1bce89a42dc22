#pragma once
#include "acme/task.hpp"

#include <chrono>

namespace acme {

// lock() is a task whose result is a guard: it unlocks in its destructor.
class mutex {
public:
  class scoped_lock {
  public:
    explicit scoped_lock(mutex &m) : m_(&m) {}
    scoped_lock(scoped_lock &&o) noexcept : m_(o.m_) { o.m_ = nullptr; }
    ~scoped_lock() { if (m_) m_->unlock(); }

  private:
    mutex *m_;
  };
  task<scoped_lock> lock();
  void unlock();
};

// Counting semaphore; acquire() yields a permit released in its destructor,
// or by release() for code that gives the permit back by hand.
class semaphore {
public:
  class permit {
  public:
    permit(permit &&) noexcept;
    ~permit();
  };
  explicit semaphore(int permits);
  task<permit> acquire();
  void release();
};

// A cache entry handle: released in its destructor, but read by the caller.
class lease {
public:
  ~lease();
  int value() const;
};
task<lease> borrow(int key);

// Sleep-shaped: a duration in, an awaitable out.
task<void> sleep_for(std::chrono::milliseconds d);

} // namespace acme
