#include "Driver.h"
#include "Outputs.h"

#include <gtest/gtest.h>

using namespace corotidy::driver;

TEST(ExitCode, UsageBeatsParseBeatsFindings) {
  RunTally T;
  EXPECT_EQ(exitCodeOf(T), ExitClean);
  T.Failing = 1;
  EXPECT_EQ(exitCodeOf(T), ExitFindings);
  T.Crashed = {"a.cpp"};
  EXPECT_EQ(exitCodeOf(T), ExitParseFailure);
  T.Crashed.clear();
  T.Unparsed = {"a.cpp"};
  EXPECT_EQ(exitCodeOf(T), ExitParseFailure);
  T.UsageProblem = true;
  EXPECT_EQ(exitCodeOf(T), ExitUsage);
}

TEST(Summary, SaysWhatWasFixedAndWhatIsLeft) {
  RunTally T;
  T.Files = 2;
  T.Findings = 3;
  EXPECT_EQ(summaryLine(T, nullptr), "corotidy: 3 findings in 2 files");
  FixSummary Fixed;
  Fixed.Applied = 2;
  Fixed.FilesWritten = 1;
  EXPECT_EQ(summaryLine(T, &Fixed),
            "corotidy: 3 findings in 2 files; applied 2 fixes in 1 file; 1 left");
  T.Baselined = 4;
  T.FromCache = 2;
  EXPECT_EQ(summaryLine(T, nullptr),
            "corotidy: 3 findings in 2 files (4 more in the baseline) [2 of 2 from the cache]");
}

TEST(Shown, QuietFixShowsOnlyWhatWasNotFixed) {
  std::vector<corotidy::output::Finding> All(3);
  All[0].Message = "a";
  All[1].Message = "b";
  All[2].Message = "c";
  FixSummary Fixed;
  Fixed.Fixed = {true, false, true};
  EXPECT_EQ(shownFindings(All, Fixed, false).size(), 3u);
  std::vector<corotidy::output::Finding> Left = shownFindings(All, Fixed, true);
  ASSERT_EQ(Left.size(), 1u);
  EXPECT_EQ(Left[0].Message, "b");
}

TEST(Shown, BaselinedFindingsOnlyInSarif) {
  using corotidy::output::Finding;
  std::vector<Finding> All(3);
  All[0].BaselineState = Finding::Baseline::New;
  All[1].BaselineState = Finding::Baseline::Unchanged;
  All[2].BaselineState = Finding::Baseline::Absent;
  FixSummary None;
  std::vector<Finding> Text = shownFindings(All, None, false);
  ASSERT_EQ(Text.size(), 1u);
  EXPECT_EQ(Text[0].BaselineState, Finding::Baseline::New);
  EXPECT_EQ(shownFindings(All, None, false, /*WithBaselined=*/true).size(), 3u);
}

TEST(Summary, NamesBaselineEntriesNoLongerFound) {
  RunTally T;
  T.Files = 1;
  T.Baselined = 2;
  T.Absent = 1;
  EXPECT_EQ(summaryLine(T, nullptr), "corotidy: 0 findings in 1 file (2 more in the "
                                     "baseline, 1 of its entries no longer found)");
}
