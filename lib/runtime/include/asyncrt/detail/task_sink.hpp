// asyncrt/detail/task_sink.hpp - where a task that nobody awaits reports its end.
//
// task_group and spawn() start tasks that have no awaiting coroutine. Instead of wrapping
// each in a second coroutine frame that awaits it, the task's own final_suspend destroys
// its frame and hands the outcome to its sink: one allocation and one resume less per task.
#pragma once

#include <coroutine>
#include <exception>
#include <source_location>
#include <stop_token>

namespace asyncrt::detail {

class task_sink {
public:
    // Called on the thread the task finished on, after its frame is gone; `error` is the
    // exception that escaped it, or null. Returns what that thread runs next.
    virtual std::coroutine_handle<> task_finished(std::exception_ptr error,
                                                  std::source_location where) noexcept = 0;

    // The token its tasks share (a task_group's), or null; see promise_base::token.
    [[nodiscard]] const std::stop_token* token() const noexcept { return token_; }

protected:
    explicit task_sink(const std::stop_token* token = nullptr) noexcept : token_(token) {}
    task_sink(const task_sink&) = delete;
    task_sink& operator=(const task_sink&) = delete;
    ~task_sink() = default;

private:
    const std::stop_token* token_;
};

}  // namespace asyncrt::detail
