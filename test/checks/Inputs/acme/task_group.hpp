#pragma once
#include "acme/task.hpp"

#include <vector>

namespace acme {

// A scope: spawn() only stores the task; join() awaits all of them and
// rethrows the first failure.
class task_group {
public:
  void spawn(task<void> t) { pending_.push_back(std::move(t)); }
  task<void> join();

private:
  std::vector<task<void>> pending_;
};

} // namespace acme
