#pragma once
#include "acme/task.hpp"

#include <cstddef>
#include <tuple>
#include <vector>

namespace acme {

// Combinators: a pack of tasks, or a vector of them, in; a task out.
template <typename... T> task<std::tuple<T...>> when_all(task<T>... tasks);
template <typename T> task<std::vector<T>> when_all(std::vector<task<T>> tasks);
task<void> when_all(std::vector<task<void>> tasks);

// Bounded: the same with a concurrency limit.
template <typename T>
task<std::vector<T>> when_all_limited(std::vector<task<T>> tasks, std::size_t limit);
task<void> when_all_limited(std::vector<task<void>> tasks, std::size_t limit);

} // namespace acme
