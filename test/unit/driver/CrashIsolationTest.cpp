#include "CrashIsolation.h"

#include "llvm/Support/PrettyStackTrace.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

using namespace corotidy::driver;

namespace {
[[gnu::noinline]] void crash() {
  volatile int *Null = nullptr;
  *Null = 1;
}
} // namespace

TEST(CrashIsolation, ACrashBecomesAReport) {
  enableCrashIsolation();
  std::optional<CrashReport> Report = runIsolated([] {
    llvm::PrettyStackTraceString Doing("parsing function body 'f'");
    crash();
  });
  ASSERT_TRUE(Report);
  EXPECT_EQ(Report->Signal, "SIGSEGV");
  EXPECT_EQ(Report->Activity, "parsing function body 'f'");
  EXPECT_NE(describeCrash(*Report).find("SIGSEGV"), std::string::npos);
  // The process goes on, and so does isolation.
  EXPECT_FALSE(runIsolated([] {}));
  EXPECT_TRUE(runIsolated([] { crash(); }));
}

TEST(CrashIsolation, EachThreadIsIsolated) {
  enableCrashIsolation();
  std::optional<CrashReport> A, B;
  std::thread T1([&] { A = runIsolated([] { crash(); }); });
  std::thread T2([&] { B = runIsolated([] {}); });
  T1.join();
  T2.join();
  EXPECT_TRUE(A);
  EXPECT_FALSE(B);
}
