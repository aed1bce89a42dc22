// task<T> and run(): laziness, results, exceptions, references, move-only values, depth.
#include <asyncrt/run.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/task.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "test_util.hpp"

using asyncrt::task;

namespace {

static_assert(!std::is_copy_constructible_v<task<int>>);
static_assert(!std::is_copy_assignable_v<task<int>>);
static_assert(std::is_nothrow_move_constructible_v<task<int>>);
static_assert(std::is_nothrow_move_assignable_v<task<int>>);

task<int> value(int v) { co_return v; }

task<int> add(int a, int b) {
    int x = co_await value(a);
    int y = co_await value(b);
    co_return x + y;
}

TEST(Task, ReturnsValueThroughRun) { EXPECT_EQ(asyncrt::run(add(2, 40)), 42); }

TEST(Task, IsLazyUntilAwaited) {
    int started = 0;
    auto body = [&]() -> task<int> {
        ++started;
        co_return 7;
    };
    auto outer = [&]() -> task<int> {
        auto t = body();
        EXPECT_EQ(started, 0) << "creating a task must not run its body";
        int v = co_await std::move(t);
        EXPECT_EQ(started, 1);
        co_return v;
    };
    auto t = outer();
    EXPECT_EQ(started, 0);
    EXPECT_EQ(asyncrt::run(std::move(t)), 7);
    EXPECT_EQ(started, 1);
}

TEST(Task, DestroyedWithoutAwaitNeverRuns) {
    bool ran = false;
    {
        auto t = [&]() -> task<void> {
            ran = true;
            co_return;
        }();
        EXPECT_TRUE(t.valid());
    }
    EXPECT_FALSE(ran);
}

TEST(Task, VoidTask) {
    int counter = 0;
    auto inc = [&]() -> task<void> {
        ++counter;
        co_return;
    };
    auto outer = [&]() -> task<void> {
        co_await inc();
        co_await inc();
    };
    asyncrt::run(outer());
    EXPECT_EQ(counter, 2);
}

struct custom_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

task<int> throws_after_suspend() {
    co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
    throw custom_error("boom");
}

TEST(Task, ExceptionPropagatesToAwaiter) {
    auto outer = []() -> task<std::string> {
        try {
            co_await throws_after_suspend();
        } catch (const custom_error& e) {
            co_return std::string("caught ") + e.what();
        }
        co_return "not caught";
    };
    EXPECT_EQ(asyncrt::run(outer()), "caught boom");
}

TEST(Task, ExceptionEscapesRun) {
    EXPECT_THROW(asyncrt::run(throws_after_suspend()), custom_error);
    auto sync_throw = []() -> task<void> {
        throw std::logic_error("sync");
        co_return;
    };
    EXPECT_THROW(asyncrt::run(sync_throw()), std::logic_error);
}

TEST(Task, ReferenceResult) {
    int storage = 1;
    auto ref = [&]() -> task<int&> { co_return storage; };
    auto outer = [&]() -> task<void> {
        int& r = co_await ref();
        EXPECT_EQ(&r, &storage);
        r = 99;
    };
    asyncrt::run(outer());
    EXPECT_EQ(storage, 99);
    int& direct = asyncrt::run(ref());
    EXPECT_EQ(&direct, &storage);
}

TEST(Task, MoveOnlyResult) {
    auto make = []() -> task<std::unique_ptr<int>> { co_return std::make_unique<int>(5); };
    auto outer = [&]() -> task<int> {
        std::unique_ptr<int> p = co_await make();
        co_return *p;
    };
    EXPECT_EQ(asyncrt::run(outer()), 5);
    auto p = asyncrt::run(make());
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, 5);
}

TEST(Task, LvalueAwaitGivesReferenceAndCanBeReadTwice) {
    auto outer = []() -> task<void> {
        auto t = value(3);
        int& a = co_await t;
        EXPECT_EQ(a, 3);
        a = 4;
        int& b = co_await t;  // already complete: no re-run
        EXPECT_EQ(b, 4);
        EXPECT_TRUE(t.is_ready());
    };
    asyncrt::run(outer());
}

TEST(Task, MoveAssignmentDestroysPreviousFrame) {
    auto tracker = std::make_shared<int>(0);
    auto holds = [](std::shared_ptr<int> p) -> task<void> {
        (void)p;
        co_return;
    };
    auto t = holds(tracker);
    EXPECT_EQ(tracker.use_count(), 2);
    t = holds(nullptr);  // replaces (destroys) the frame that held `tracker`
    EXPECT_EQ(tracker.use_count(), 1);
    task<void> moved = std::move(t);
    EXPECT_FALSE(t.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_TRUE(moved.valid());
}

TEST(Task, AwaitingAnEmptyTaskThrows) {
    auto outer = []() -> task<void> {
        task<int> empty;
        (void)co_await std::move(empty);
    };
    EXPECT_THROW(asyncrt::run(outer()), std::logic_error);
}

TEST(Task, LocalsDestroyedInReverseOrderWhenFrameEnds) {
    std::vector<int> order;
    struct noisy {
        std::vector<int>* out;
        int id;
        ~noisy() { out->push_back(id); }
    };
    auto body = [&]() -> task<void> {
        noisy a{&order, 1};
        co_await asyncrt::sleep_for(std::chrono::milliseconds(1));
        noisy b{&order, 2};
        co_return;
    };
    asyncrt::run(body());
    EXPECT_EQ(order, (std::vector<int>{2, 1}));
}

// Symmetric transfer: a million nested awaits must not grow the stack.
task<long> chain(int depth) {
    if (depth == 0) co_return 0;
    co_return 1 + co_await chain(depth - 1);
}

TEST(Task, MillionDeepAwaitChainDoesNotOverflow) {
    constexpr int depth = 1'000'000;
    EXPECT_EQ(asyncrt::run(chain(depth)), depth);
}

// Same through a loop of synchronously-completing awaits (each resumes the awaiter).
TEST(Task, MillionSynchronousAwaitsInALoop) {
    auto loop = []() -> task<long> {
        long sum = 0;
        for (int i = 0; i < 1'000'000 / asyncrt_test::stress_scale; ++i) sum += co_await value(1);
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(loop()), 1'000'000 / asyncrt_test::stress_scale);
}

TEST(Run, NestedRunOnSameThreadThrows) {
    auto inner = []() -> task<int> { co_return 1; };
    auto outer = [&]() -> task<bool> {
        try {
            (void)asyncrt::run(inner());
        } catch (const std::logic_error&) {
            co_return true;
        }
        co_return false;
    };
    EXPECT_TRUE(asyncrt::run(outer()));
}

TEST(Run, SequentialRunsAndRunsOnOtherThreads) {
    EXPECT_EQ(asyncrt::run(value(1)), 1);
    EXPECT_EQ(asyncrt::run(value(2)), 2);
    int a = 0, b = 0;
    std::thread t1([&] { a = asyncrt::run(add(1, 2)); });
    std::thread t2([&] { b = asyncrt::run(add(3, 4)); });
    t1.join();
    t2.join();
    EXPECT_EQ(a, 3);
    EXPECT_EQ(b, 7);
}

TEST(Run, EmptyTaskThrows) { EXPECT_THROW(asyncrt::run(task<int>{}), std::logic_error); }

}  // namespace

namespace {

constexpr bool frames_cached = asyncrt::detail::frame_cache_enabled;

// A freed frame is handed out again to the next frame of its size class on that thread
// (not under ASan, which must see every free).
TEST(FrameAllocator, ReusesAFreedFrameOfTheSameSizeClass) {
    using asyncrt::detail::allocate_frame;
    using asyncrt::detail::deallocate_frame;
    void* a = allocate_frame(100);
    deallocate_frame(a, 100);
    void* b = allocate_frame(112);  // same 97..112-byte class: the block fits
    EXPECT_EQ(a == b, frames_cached);
    std::memset(b, 0xab, 112);      // and is really that big (ASan would object)
    void* c = allocate_frame(113);  // the next class: another block
    EXPECT_NE(b, c);
    deallocate_frame(c, 113);
    deallocate_frame(b, 112);
}

TEST(FrameAllocator, LargeFramesAndTheCacheOfAnExitedThread) {
    using asyncrt::detail::allocate_frame;
    using asyncrt::detail::deallocate_frame;
    void* big = allocate_frame(64 * 1024);
    deallocate_frame(big, 64 * 1024);
    void* mine = nullptr;
    std::thread([&] {
        void* theirs = allocate_frame(200);
        deallocate_frame(theirs, 200);  // into that thread's cache, freed at its exit
        mine = theirs;
    }).join();
    EXPECT_NE(mine, nullptr);
    // That thread's cache went with it; this thread's is untouched, so its next frame of
    // that class is not the other thread's (which malloc may hand out again: only check
    // that it is usable).
    void* here = allocate_frame(200);
    std::memset(here, 0xcd, 200);
    deallocate_frame(here, 200);
}

// Allocates as many frames of `size` as `freed` holds (all freed already), writes each
// whole, frees them again; how many addresses came back from `freed`.
std::size_t reallocate_and_count_reused(const std::vector<void*>& freed, std::size_t size) {
    std::set<void*> old(freed.begin(), freed.end());
    std::vector<void*> again;
    std::size_t reused = 0;
    for (std::size_t i = 0; i < freed.size(); ++i) {
        again.push_back(asyncrt::detail::allocate_frame(size));
        std::memset(again.back(), 0x5a, size);
        reused += old.count(again.back());
    }
    for (void* f : again) asyncrt::detail::deallocate_frame(f, size);
    return reused;
}

// A task made on one thread and finished on another (spawned on the loop, run on a
// worker): the freeing thread passes surplus frames to a process-wide depot, and the
// making thread refills from it instead of calling malloc.
TEST(FrameAllocator, FramesFreedOnAnotherThreadComeBackThroughTheDepot) {
    using asyncrt::detail::allocate_frame;
    using asyncrt::detail::deallocate_frame;
    constexpr std::size_t size = 300, count = 200;
    std::vector<void*> made;
    for (std::size_t i = 0; i < count; ++i) made.push_back(allocate_frame(size));
    std::thread([&] {
        for (void* f : made) deallocate_frame(f, size);
    }).join();  // at its exit the thread hands its cached frames to the depot too
    std::size_t reused = reallocate_and_count_reused(made, size);
    if (frames_cached) EXPECT_GE(reused, count / 2);
}

// A burst of live frames within the depot's limit (a when_all over 2,000 children: 250 KiB
// of frames) is recycled by the next burst, through the depot's batches.
TEST(FrameAllocator, ABurstOfLiveFramesIsRecycledByTheNextBurst) {
    using asyncrt::detail::allocate_frame;
    using asyncrt::detail::deallocate_frame;
    constexpr std::size_t size = 128, count = 2000;
    std::vector<void*> burst;
    for (std::size_t i = 0; i < count; ++i) burst.push_back(allocate_frame(size));
    for (void* f : burst) deallocate_frame(f, size);
    std::size_t reused = reallocate_and_count_reused(burst, size);
    // All of them, but for what this thread's cache held of that class before the test.
    if (frames_cached) EXPECT_GE(reused, count - asyncrt::detail::max_cached_frames[asyncrt::detail::frame_class_of(size)]);
}

// A burst bigger than this thread's cache and the depot together (a when_all over 100,000
// children): what the depot has no room for goes straight back to the heap, and the depot
// still keeps its fill for the next burst. A frame size no other test uses, so the depot's
// class starts empty.
TEST(FrameAllocator, ABurstPastTheDepotsLimitStillFillsTheDepot) {
    using asyncrt::detail::allocate_frame;
    using asyncrt::detail::deallocate_frame;
    constexpr std::size_t size = 1000, count = 3000;  // class of 1008 bytes: 130 cached, 520 in the depot
    constexpr std::size_t class_bytes = (asyncrt::detail::frame_class_of(size) + 1) * asyncrt::detail::frame_granule;
    std::vector<void*> burst;
    for (std::size_t i = 0; i < count; ++i) {
        burst.push_back(allocate_frame(size));
        std::memset(burst.back(), 0x5a, size);
    }
    for (void* f : burst) deallocate_frame(f, size);
    // Takes back from the heap every block of that size it was given: the next burst's
    // frames that come from the old ones then come from the cache or the depot.
    std::vector<void*> heap_blocks;
    for (std::size_t i = 0; i < count; ++i) heap_blocks.push_back(::operator new(class_bytes));
    std::size_t reused = reallocate_and_count_reused(burst, size);
    for (void* b : heap_blocks) ::operator delete(b);
    if (frames_cached) {
        std::size_t cached = asyncrt::detail::max_cached_frames[asyncrt::detail::frame_class_of(size)];
        std::size_t in_depot = (std::size_t{512} << 10) / class_bytes / 32 * 32;  // whole batches of the depot's 512 KiB
        EXPECT_GE(reused, cached + in_depot - 32);
    }
}

// Tasks whose frames come from the cache behave as before: a million short tasks, each
// destroyed before the next starts, reuse one frame.
TEST(FrameAllocator, ManyShortTasksOnOneThread) {
    auto leaf = [](int v) -> task<int> { co_return v; };
    auto body = [&]() -> task<long> {
        long sum = 0;
        for (int i = 0; i < 1'000'000; ++i) sum += co_await leaf(i);
        co_return sum;
    };
    EXPECT_EQ(asyncrt::run(body()), 499'999'500'000L);
}

}  // namespace
