// RUN: %check_corotidy --config=%S/Inputs/fanout-small-constant.yaml %s async-unbounded-fanout %t

// MaxConstantFanout lowered to 16: constant counts above it are flagged,
// counts up to it and runtime counts behave as by default.

#include <asyncrt/asyncrt.hpp>
#include <cstddef>
#include <vector>

asyncrt::task<void> ping(int);

asyncrt::task<void> constant_counts(std::vector<int> ids) {
  const std::size_t num_tasks{100};
  for (std::size_t i = 0; i < num_tasks; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per iteration up to 'num_tasks', all at once: 100 iterations start 100 concurrent tasks
    asyncrt::spawn(ping(static_cast<int>(i)));
  for (int x : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of the range, all at once: 17 elements start 17 concurrent tasks
    asyncrt::spawn(ping(x));
  for (int i = 0; i < 16; ++i)
    asyncrt::spawn(ping(i));
  for (int id : ids)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: one task per element of 'ids', all at once
    asyncrt::spawn(ping(id));
  co_return;
}
