// Helpers shared by the asyncrt unit tests.
#pragma once

#include <asyncrt/debug.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

// ASSERT_* returns from the enclosing function, which a coroutine cannot do: this variant
// records the failure and co_returns (task<void> coroutines only).
#define CO_ASSERT_TRUE(cond)                                    \
    do {                                                        \
        if (!(cond)) {                                          \
            ADD_FAILURE() << "CO_ASSERT_TRUE(" #cond ") failed"; \
            co_return;                                          \
        }                                                       \
    } while (0)

namespace asyncrt_test {

// Sanitizer builds run the same tests with smaller stress sizes where the instrumented
// code would be too slow; the semantics checked stay the same.
#if defined(ASYNCRT_TEST_SANITIZED)
inline constexpr int stress_scale = 2;
#else
inline constexpr int stress_scale = 1;
#endif

// Collects debug reports; thread-safe.
class capture_sink {
public:
    void operator()(std::string_view s) {
        std::lock_guard lock(m_);
        lines_.emplace_back(s);
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(m_);
        return lines_;
    }
    bool contains(std::string_view needle) const {
        std::lock_guard lock(m_);
        for (const auto& l : lines_)
            if (l.find(needle) != std::string::npos) return true;
        return false;
    }
    std::size_t count(std::string_view needle) const {
        std::lock_guard lock(m_);
        std::size_t n = 0;
        for (const auto& l : lines_)
            if (l.find(needle) != std::string::npos) ++n;
        return n;
    }

private:
    mutable std::mutex m_;
    std::vector<std::string> lines_;
};

// Turns debug mode on with a capturing sink for one test; restores the options after.
class debug_scope {
public:
    enum class mode { on, off };
    // mode::off still captures the sink: some reports are made with debug mode off.
    explicit debug_scope(std::chrono::nanoseconds threshold = std::chrono::milliseconds(100),
                         mode m = mode::on)
        : saved_(asyncrt::get_debug_options()) {
        asyncrt::debug_options o;
        o.enabled = m == mode::on;
        o.slow_resume_threshold = threshold;
        o.sink = [this](std::string_view s) { sink(s); };
        asyncrt::set_debug_options(std::move(o));
    }
    ~debug_scope() { asyncrt::set_debug_options(saved_); }
    debug_scope(const debug_scope&) = delete;
    debug_scope& operator=(const debug_scope&) = delete;

    capture_sink sink;

private:
    asyncrt::debug_options saved_;
};

// Spins (yielding the CPU) until pred() or a generous deadline; returns pred().
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

}  // namespace asyncrt_test
