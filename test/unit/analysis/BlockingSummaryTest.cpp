// Unit tests for the transitive blocking summary: paths through TU-local
// functions, cycles, the depth limit, and the calls that do not block.
#include "BlockingSummary.h"
#include "ParsedCodeTest.h"

#include <gtest/gtest.h>

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy;

namespace {

const char *Code = R"cpp(
#include <mutex>
#include <unistd.h>
void leaf() { sleep(1); }
void middle() { leaf(); }
void top() { middle(); }
void clean() { int x = 0; (void)x; }
void ping(int n);
void pong(int n) { if (n) ping(n - 1); }
void ping(int n) { if (n) pong(n - 1); }
void cycle_blocks(int n);
void cycle_helper(int n) { if (n) cycle_blocks(n - 1); else usleep(1); }
void cycle_blocks(int n) { cycle_helper(n); }
void deep4() { sleep(1); }
void deep3() { deep4(); }
void deep2() { deep3(); }
void deep1() { deep2(); }
void declared_only();
void uses_declared() { declared_only(); }
std::mutex m;
void locks() { std::lock_guard<std::mutex> g(m); }
void defers() { std::unique_lock<std::mutex> g(m, std::defer_lock); }
void in_lambda_not_called() { auto f = [] { sleep(1); }; (void)f; }
void in_lambda_called() { auto f = [] { sleep(1); }; f(); }
void unevaluated() { (void)sizeof(sleep(1)); }
)cpp";

class BlockingSummaryTest : public ParsedCodeTest {
protected:
  void SetUp() override { parse(Code); }
  const FunctionDecl *fn(llvm::StringRef Name) { return function(Name, /*Definition=*/true); }
  BlockingSummary summary(unsigned Depth = 8, bool FlagShortCriticalSections = false) {
    BlockingSummary::Options Opts;
    Opts.FlagShortCriticalSections = FlagShortCriticalSections;
    Opts.NonBlockingArgumentTypes.add(
        std::vector<std::string>{"std::defer_lock_t", "std::try_to_lock_t", "std::adopt_lock_t"});
    Opts.MaxCallDepth = Depth;
    return BlockingSummary(*Model, std::move(Opts));
  }
  static std::vector<std::string> callees(const BlockingPath &P) {
    std::vector<std::string> Names;
    for (const BlockingStep &S : P.Steps)
      Names.push_back(S.Callee ? S.Callee->getNameAsString() : "?");
    return Names;
  }

};

TEST_F(BlockingSummaryTest, FindsThePathThroughHelpers) {
  BlockingSummary S = summary();
  const BlockingPath *P = S.pathFrom(fn("top"));
  ASSERT_NE(P, nullptr);
  ASSERT_NE(P->Rule, nullptr);
  EXPECT_EQ(P->Rule->Category, "sleep");
  std::vector<std::string> Chain = callees(*P);
  ASSERT_GE(Chain.size(), 2u);
  EXPECT_EQ(Chain.front(), "middle");
  EXPECT_EQ(Chain.back(), "sleep");
}

TEST_F(BlockingSummaryTest, CleanFunctionsAndCycles) {
  BlockingSummary S = summary();
  EXPECT_EQ(S.pathFrom(fn("clean")), nullptr);
  EXPECT_EQ(S.pathFrom(fn("ping")), nullptr) << "a cycle without a blocking call";
  EXPECT_EQ(S.pathFrom(fn("pong")), nullptr);
  const BlockingPath *P = S.pathFrom(fn("cycle_blocks"));
  ASSERT_NE(P, nullptr) << "a cycle that reaches usleep";
  EXPECT_EQ(callees(*P).back(), "usleep");
  // Asked again from the other member of the cycle: same answer, memoised.
  EXPECT_NE(S.pathFrom(fn("cycle_helper")), nullptr);
}

TEST_F(BlockingSummaryTest, RespectsTheDepthLimit) {
  EXPECT_NE(summary(8).pathFrom(fn("deep1")), nullptr);
  EXPECT_EQ(summary(2).pathFrom(fn("deep1")), nullptr);
  // A shallower start within the limit is still found by the same summary.
  BlockingSummary Shallow = summary(2);
  EXPECT_EQ(Shallow.pathFrom(fn("deep1")), nullptr);
  EXPECT_NE(Shallow.pathFrom(fn("deep3")), nullptr);
}

TEST_F(BlockingSummaryTest, WhatDoesNotBlock) {
  BlockingSummary S = summary();
  EXPECT_EQ(S.pathFrom(fn("uses_declared")), nullptr) << "no body to follow";
  EXPECT_EQ(S.pathFrom(fn("locks")), nullptr)
      << "a lock_guard released when the helper returns: a short critical section";
  EXPECT_NE(summary(8, /*FlagShortCriticalSections=*/true).pathFrom(fn("locks")), nullptr)
      << "lock_guard locks";
  EXPECT_EQ(S.pathFrom(fn("defers")), nullptr) << "defer_lock does not";
  EXPECT_EQ(S.pathFrom(fn("in_lambda_not_called")), nullptr);
  EXPECT_NE(S.pathFrom(fn("in_lambda_called")), nullptr);
  EXPECT_EQ(S.pathFrom(fn("unevaluated")), nullptr) << "sizeof does not call";
}

} // namespace
