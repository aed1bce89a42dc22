// Debug mode: the task registry, slow-resume detection and reports (see asyncrt/debug.hpp).
#include <asyncrt/debug.hpp>

#include <asyncrt/detail/executor.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>

namespace asyncrt {
namespace detail {

constinit std::atomic<bool> g_debug_enabled{false};

namespace {

struct debug_state {
    std::mutex options_mutex;
    debug_options options;
    std::atomic<std::int64_t> threshold_ns{100'000'000};

    std::mutex registry_mutex;  // guards the list of debug records
    debug_record* head = nullptr;  // live tracked tasks, oldest first
    debug_record* tail = nullptr;

    debug_state() {
        if (const char* v = std::getenv("ASYNCRT_DEBUG"); v && *v && std::strcmp(v, "0") != 0) {
            options.enabled = true;
        }
        if (const char* v = std::getenv("ASYNCRT_DEBUG_SLOW_MS"); v && *v) {
            options.slow_resume_threshold = std::chrono::milliseconds(std::atoll(v));
        }
        threshold_ns.store(options.slow_resume_threshold.count(), std::memory_order_relaxed);
        g_debug_enabled.store(options.enabled, std::memory_order_relaxed);
    }
};

debug_state& state() {
    static debug_state s;  // first use may come from any thread or a static initialiser
    return s;
}

// Read ASYNCRT_DEBUG at start-up even if nothing touches debug mode before main.
[[maybe_unused]] const bool g_env_read = (state(), true);

std::string describe(std::source_location w) {
    std::ostringstream os;
    os << '`' << w.function_name() << "` at " << w.file_name() << ':' << w.line();
    return os.str();
}

const char* state_name(task_state s) {
    switch (s) {
    case task_state::created: return "created";
    case task_state::running: return "running";
    case task_state::suspended: return "suspended";
    case task_state::done: return "done";
    }
    return "?";
}

std::int64_t now_ns() noexcept {
    // Never 0, which marks "no segment running".
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
               .count() |
           1;
}

// Ends the running segment; reports it if it ran too long on an event loop.
void report_if_slow(debug_record& r) noexcept {
    std::int64_t start = std::exchange(r.segment_start_ns, 0);
    if (start == 0) return;
    auto* ex = current_executor();
    if (!ex || !ex->is_event_loop()) return;  // pool threads may block
    std::int64_t elapsed = now_ns() - start;
    std::int64_t threshold = state().threshold_ns.load(std::memory_order_relaxed);
    if (elapsed <= threshold) return;
    try {
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(1);
        os << "asyncrt: slow resume: coroutine " << describe(r.where) << " ran for "
           << static_cast<double>(elapsed) / 1e6 << " ms without suspending (threshold "
           << static_cast<double>(threshold) / 1e6 << " ms); it blocks every task on its event loop";
        debug_report(os.str());
    } catch (...) {
    }
}

void report_never_awaited(std::source_location where) noexcept {
    try {
        debug_report("asyncrt: task " + describe(where) +
                     " was destroyed without ever being awaited (its body never ran)");
    } catch (...) {
    }
}

}  // namespace

void debug_report(std::string_view message) {
    std::function<void(std::string_view)> sink;
    {
        auto& s = state();
        std::lock_guard lock(s.options_mutex);
        sink = s.options.sink;
    }
    if (sink) {
        sink(message);
    } else {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
    }
}

debug_record* debug_register(std::source_location where) noexcept {
    auto* r = new (std::nothrow) debug_record(where);
    if (!r) return nullptr;  // untracked, like a task created with debug mode off
    auto& s = state();
    std::lock_guard lock(s.registry_mutex);
    r->prev = s.tail;
    if (s.tail)
        s.tail->next = r;
    else
        s.head = r;
    s.tail = r;
    return r;
}

void debug_unregister(debug_record* r) noexcept {
    if (r->state.load(std::memory_order_relaxed) == task_state::created) report_never_awaited(r->where);
    {
        auto& s = state();
        std::lock_guard lock(s.registry_mutex);
        if (r->prev)
            r->prev->next = r->next;
        else
            s.head = r->next;
        if (r->next)
            r->next->prev = r->prev;
        else
            s.tail = r->prev;
    }
    delete r;
}

void debug_segment_start(debug_record& r) noexcept {
    r.state.store(task_state::running, std::memory_order_relaxed);
    r.waiting_on.store(nullptr, std::memory_order_relaxed);
    r.segment_start_ns = now_ns();
}

void debug_segment_end(debug_record& r, const char* waiting_on) noexcept {
    report_if_slow(r);
    r.waiting_on.store(waiting_on, std::memory_order_relaxed);
    r.state.store(waiting_on ? task_state::suspended : task_state::done, std::memory_order_relaxed);
}

namespace {
std::string what_of(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
    }
    return "unknown exception";
}
}  // namespace

void debug_exception_never_retrieved(std::source_location where, std::exception_ptr e) noexcept {
    if (!debug_enabled()) return;
    try {
        debug_report("asyncrt: exception never retrieved from task " + describe(where) +
                     " (spawned without an error handler): " + what_of(e));
    } catch (...) {
    }
}

void debug_handler_threw(std::source_location where, std::exception_ptr e) noexcept {
    try {
        debug_report("asyncrt: the error handler of spawned task " + describe(where) +
                     " threw; the exception was dropped: " + what_of(e));
    } catch (...) {
    }
}

}  // namespace detail

void set_debug_options(debug_options options) {
    auto& s = detail::state();
    std::lock_guard lock(s.options_mutex);
    s.threshold_ns.store(options.slow_resume_threshold.count(), std::memory_order_relaxed);
    detail::g_debug_enabled.store(options.enabled, std::memory_order_relaxed);
    s.options = std::move(options);
}

debug_options get_debug_options() {
    auto& s = detail::state();
    std::lock_guard lock(s.options_mutex);
    return s.options;
}

std::vector<task_info> live_tasks() {
    auto& s = detail::state();
    std::vector<task_info> out;
    std::lock_guard lock(s.registry_mutex);
    for (auto* r = s.head; r; r = r->next) {
        task_info info;
        auto w = r->where;
        info.function = w.function_name();
        info.file = w.file_name();
        info.line = w.line();
        info.state = detail::state_name(r->state.load(std::memory_order_relaxed));
        if (const char* what = r->waiting_on.load(std::memory_order_relaxed)) info.waiting_on = what;
        out.push_back(std::move(info));
    }
    return out;
}

std::string dump_tasks() {
    auto tasks = live_tasks();
    std::ostringstream os;
    os << "asyncrt: " << tasks.size() << " live task(s)\n";
    std::size_t i = 0;
    for (const auto& t : tasks) {
        os << "  #" << ++i << ' ' << t.function << " at " << t.file << ':' << t.line << " [" << t.state;
        if (!t.waiting_on.empty()) os << ", waiting on " << t.waiting_on;
        os << "]\n";
    }
    return os.str();
}

}  // namespace asyncrt
