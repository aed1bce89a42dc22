#pragma once
#include "acme/task.hpp"

#include <chrono>
#include <concepts>
#include <exception>

namespace acme {

// Fire and forget: no error channel (the promise keeps the exception in the
// detached frame, where nobody reads it).
template <typename T> void spawn(task<T> t) { (void)t; }
// Fire and forget with an error handler (argument 1).
template <typename T, typename OnError>
  requires std::invocable<OnError &, std::exception_ptr>
void spawn(task<T> t, OnError &&on_error) { (void)t, (void)on_error; }

// Transforms: a task in, a task out. Neither spawns nor waits.
template <typename T> task<T> with_timeout(task<T> t, std::chrono::milliseconds limit);
template <typename T> task<T> retry(task<T> t, int attempts = 3);

// Blocks the calling thread until the task is done: a sync-wait (the void
// overload beside the template is one too, not a spawn).
template <typename T> T sync_wait(task<T> t);
void sync_wait(task<void> t);

} // namespace acme
