#include "Baseline.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace corotidy::driver;
using corotidy::output::Finding;

namespace {
Finding finding(unsigned Line, std::string Function, std::string Code) {
  Finding F;
  F.Check = "async-unawaited-task";
  F.Where.File = "src/a.cpp";
  F.Where.Begin = {Line, 3};
  F.Function = std::move(Function);
  F.Code = std::move(Code);
  return F;
}

/// The findings written with writeBaseline and read back.
Baseline writtenAndRead(const std::vector<Finding> &Findings) {
  llvm::SmallString<128> Path;
  if (llvm::sys::fs::createTemporaryFile("baseline", "json", Path) ||
      writeBaseline(Path, Findings, "test"))
    return {{"write failed", {}}};
  llvm::Expected<Baseline> Read = readBaseline(Path);
  llvm::sys::fs::remove(Path);
  if (!Read)
    return {{llvm::toString(Read.takeError()), {}}};
  return *Read;
}
} // namespace

TEST(Baseline, IdentityIgnoresLinesButNotCode) {
  std::vector<Finding> Before = {finding(4, "caller", "work();")};
  std::vector<Finding> Moved = {finding(40, "caller", "work();")};
  std::vector<Finding> Changed = {finding(4, "caller", "other();")};
  std::vector<Finding> Elsewhere = {finding(4, "another", "work();")};
  for (auto *Set : {&Before, &Moved, &Changed, &Elsewhere})
    assignFingerprints(*Set);
  EXPECT_EQ(Before[0].Fingerprint, Moved[0].Fingerprint);
  EXPECT_NE(Before[0].Fingerprint, Changed[0].Fingerprint);
  EXPECT_NE(Before[0].Fingerprint, Elsewhere[0].Fingerprint);
  EXPECT_EQ(Before[0].Fingerprint.size(), 32u);
}

TEST(Baseline, TwoEqualFindingsAreTwoIdentities) {
  std::vector<Finding> Two = {finding(4, "caller", "work();"),
                              finding(5, "caller", "work();")};
  assignFingerprints(Two);
  EXPECT_NE(Two[0].Fingerprint, Two[1].Fingerprint);
  // A baseline of one leaves the second new.
  std::vector<Finding> Known = {Two[0]};
  EXPECT_EQ(markBaselined(Two, {{Known[0].Fingerprint, {}}}), 1u);
  EXPECT_EQ(Two[0].BaselineState, Finding::Baseline::Unchanged);
  EXPECT_EQ(Two[1].BaselineState, Finding::Baseline::New);
}

TEST(Baseline, RoundTripsThroughAFile) {
  std::vector<Finding> Findings = {finding(4, "caller", "work();")};
  assignFingerprints(Findings);
  Baseline Read = writtenAndRead(Findings);
  ASSERT_EQ(Read.size(), 1u);
  ASSERT_TRUE(Read.count(Findings[0].Fingerprint)) << Read.begin()->first;
  const BaselineEntry &Entry = Read.at(Findings[0].Fingerprint);
  EXPECT_EQ(Entry.Check, "async-unawaited-task");
  EXPECT_EQ(Entry.File, "src/a.cpp");
  EXPECT_EQ(Entry.Function, "caller");
}

TEST(Baseline, RejectsAFileItDidNotWrite) {
  llvm::SmallString<128> Path;
  int FD;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("baseline", "json", FD, Path));
  ::write(FD, "{\"findings\": []}", 16);
  ::close(FD);
  llvm::Expected<Baseline> Read = readBaseline(Path);
  ASSERT_FALSE(bool(Read));
  EXPECT_NE(llvm::toString(Read.takeError()).find("not a corotidy baseline"),
            std::string::npos);
  llvm::sys::fs::remove(Path);
}

TEST(Baseline, EntriesNoLongerFoundAreAbsentWhereTheRunLooked) {
  std::vector<Finding> Old = {finding(4, "caller", "work();"),
                              finding(9, "caller", "other();")};
  assignFingerprints(Old);
  Baseline Known;
  for (const Finding &F : Old)
    Known[F.Fingerprint] = {F.Check, F.Where.File, F.Function, F.Message};
  Known["feed"] = {"async-unawaited-task", "src/b.hpp", "helper", "gone too"};
  std::vector<Finding> Now = {Old[0]}; // other() was fixed

  std::vector<Finding> Absent = absentFindings(
      Known, Now, [](llvm::StringRef File, llvm::StringRef) { return File == "src/a.cpp"; });
  ASSERT_EQ(Absent.size(), 1u);
  EXPECT_EQ(Absent[0].Fingerprint, Old[1].Fingerprint);
  EXPECT_EQ(Absent[0].BaselineState, Finding::Baseline::Absent);
  EXPECT_EQ(Absent[0].Where.File, "src/a.cpp");
  EXPECT_EQ(Absent[0].Function, "caller");
  EXPECT_EQ(Absent[0].Where.Begin.Line, 0u);
  EXPECT_TRUE(Absent[0].IsBaselined());

  // A check the run did not run: nothing can be said.
  EXPECT_TRUE(absentFindings(Known, Now, [](llvm::StringRef, llvm::StringRef Check) {
                return Check != "async-unawaited-task";
              }).empty());
}

TEST(Baseline, AbsentEntriesAreNotWrittenBack) {
  std::vector<Finding> Findings = {finding(4, "caller", "work();"),
                                   finding(9, "caller", "other();")};
  assignFingerprints(Findings);
  Findings[1].BaselineState = Finding::Baseline::Absent;
  Baseline Read = writtenAndRead(Findings);
  EXPECT_EQ(Read.size(), 1u);
  EXPECT_TRUE(Read.count(Findings[0].Fingerprint));
}
