// asyncrt/debug.hpp - debug mode (asyncio's debug=True).
//
// Enabled by the environment (ASYNCRT_DEBUG=1, read at start-up; ASYNCRT_DEBUG_SLOW_MS sets
// the threshold) or by set_debug_options(). While enabled, tasks created from then on are
// tracked and the runtime reports, through the sink:
//   * a resume on an event-loop thread that ran longer than the threshold without
//     suspending, naming the coroutine by its source location;
//   * tasks destroyed without ever having been awaited (their body never ran);
//   * exceptions nobody retrieved (spawn() without an error handler).
// dump_tasks() lists the live tracked tasks and what each one waits on.
#pragma once

#include <asyncrt/detail/promise_base.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace asyncrt {

struct debug_options {
    bool enabled = false;
    // A single resume (the code between two suspension points) running longer than this on
    // an event-loop thread is reported. Pool threads are allowed to block.
    std::chrono::nanoseconds slow_resume_threshold = std::chrono::milliseconds(100);
    // Receives each report (one line, no trailing newline). Empty: written to stderr.
    // Called from whichever thread detects the problem; must be thread-safe.
    std::function<void(std::string_view)> sink;
};

// Thread-safe. Tasks created while debug mode was off stay untracked.
void set_debug_options(debug_options options);
[[nodiscard]] debug_options get_debug_options();
[[nodiscard]] inline bool debug_enabled() noexcept { return detail::debug_enabled(); }

struct task_info {
    std::string function;       // the coroutine's signature, as std::source_location spells it
    std::string file;
    unsigned line = 0;
    std::string state;          // "created", "running", "suspended", "done"
    std::string waiting_on;     // what a suspended task awaits: "sleep", "task", "semaphore", ...
};

// Live tracked tasks, oldest first.
[[nodiscard]] std::vector<task_info> live_tasks();
// live_tasks() as text, one task per line.
[[nodiscard]] std::string dump_tasks();

namespace detail {
// Sends one line to the configured sink.
void debug_report(std::string_view message);
// Reports an exception that no handler will ever see (debug mode only).
void debug_exception_never_retrieved(std::source_location where, std::exception_ptr e) noexcept;
// Reports an exception that escaped a spawn() error handler (always).
void debug_handler_threw(std::source_location where, std::exception_ptr e) noexcept;
}  // namespace detail

}  // namespace asyncrt
