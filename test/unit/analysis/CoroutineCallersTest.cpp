// Unit tests for CoroutineCallers: which coroutines visibly run once (called
// from main, passed to a sync-wait, or only from coroutines that are), and
// that recursion neither loops nor counts as an entry.
#include "CoroutineCallers.h"
#include "ParsedCodeTest.h"

#include <gtest/gtest.h>

#include <optional>

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy;

namespace {

const char *Code = R"cpp(
#include <coroutine>
struct Task {
  struct promise_type {
    Task get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_void();
    void unhandled_exception();
  };
  bool await_ready();
  void await_suspend(std::coroutine_handle<>);
  void await_resume();
};
namespace asyncrt { void run(Task); }
namespace cppcoro { void sync_wait(Task); }
void take(Task);

Task from_main() { co_return; }
Task chain_leaf() { co_return; }
Task chain_middle() { co_await chain_leaf(); }
Task chain_top() { co_await chain_middle(); }
Task under_run() { co_return; }
Task run_body() { co_await under_run(); }
Task waited() { co_return; }
Task not_waited() { co_return; }
Task from_helper() { co_return; }
Task under_helper_task() { co_return; }
Task helper_task() { co_await under_helper_task(); }
void helper() { Task t = from_helper(); (void)t; take(helper_task()); }
void serve() {
  asyncrt::run(run_body());
  cppcoro::sync_wait(waited());
  Task t = not_waited(); (void)t;
}
Task recursive(int n) { if (n) co_await recursive(n - 1); }
Task mutual_a(int n);
Task mutual_b(int n) { if (n) co_await mutual_a(n - 1); }
Task mutual_a(int n) { if (n) co_await mutual_b(n - 1); }
Task recursive_entered(int n) { if (n) co_await recursive_entered(n - 1); }
Task never_called() { co_return; }
template <typename T> Task generic() { co_return; }
int main() {
  Task a = from_main(); (void)a;
  Task b = chain_top(); (void)b;
  Task c = recursive_entered(3); (void)c;
  Task d = generic<int>(); (void)d;
}
)cpp";

class CoroutineCallersTest : public ParsedCodeTest {
protected:
  void SetUp() override {
    parse(Code);
    if (HasFatalFailure())
      return;
    Callers.emplace(*Model);
    // Every call of the TU, as the check hands them over.
    for (const BoundNodes &N : match(findAll(callExpr().bind("c")), context()))
      Callers->record(*N.getNodeAs<CallExpr>("c"), context());
  }
  bool runsOnce(llvm::StringRef Name) { return Callers->runsOnce(function(Name, /*Definition=*/true)); }
  bool isSyncWaitArg(llvm::StringRef Callee) { return isSyncWaitArgument(*call(Callee), *Model, context()); }

  std::optional<CoroutineCallers> Callers;
};

TEST_F(CoroutineCallersTest, CalledFromMainRunsOnce) {
  EXPECT_TRUE(runsOnce("from_main"));
  EXPECT_TRUE(runsOnce("generic")) << "an instantiation counts for its template";
  EXPECT_FALSE(runsOnce("never_called")) << "no caller in the TU: not visibly once";
}

TEST_F(CoroutineCallersTest, PassedToASyncWaitRunsOnce) {
  EXPECT_TRUE(runsOnce("run_body")) << "asyncrt::run(run_body()) in a plain function";
  EXPECT_TRUE(runsOnce("under_run")) << "awaited by the coroutine asyncrt::run runs";
  EXPECT_TRUE(runsOnce("waited")) << "cppcoro::sync_wait, named by the rules";
  EXPECT_FALSE(runsOnce("not_waited")) << "the same function, outside the sync-wait";
}

TEST_F(CoroutineCallersTest, ChainOfCoroutinesFromMainRunsOnce) {
  EXPECT_TRUE(runsOnce("chain_top"));
  EXPECT_TRUE(runsOnce("chain_middle"));
  EXPECT_TRUE(runsOnce("chain_leaf"));
}

TEST_F(CoroutineCallersTest, CalledFromAnOrdinaryFunctionDoesNot) {
  EXPECT_FALSE(runsOnce("from_helper"));
  EXPECT_FALSE(runsOnce("helper_task")) << "passed to a function that is no sync-wait";
  EXPECT_FALSE(runsOnce("under_helper_task"));
}

TEST_F(CoroutineCallersTest, RecursionIsNotAnEntry) {
  EXPECT_FALSE(runsOnce("recursive")) << "only calls itself";
  EXPECT_FALSE(runsOnce("mutual_a"));
  EXPECT_FALSE(runsOnce("mutual_b"));
  EXPECT_TRUE(runsOnce("recursive_entered")) << "also called from main";
}

TEST_F(CoroutineCallersTest, SyncWaitArguments) {
  EXPECT_TRUE(isSyncWaitArg("run_body"));
  EXPECT_TRUE(isSyncWaitArg("waited"));
  EXPECT_FALSE(isSyncWaitArg("not_waited"));
  EXPECT_FALSE(isSyncWaitArg("helper_task")) << "take() is no sync-wait";
  EXPECT_FALSE(isSyncWaitArg("from_main"));
}

TEST_F(CoroutineCallersTest, ClearForgetsEveryCall) {
  Callers->clear();
  EXPECT_FALSE(runsOnce("from_main"));
}

} // namespace
