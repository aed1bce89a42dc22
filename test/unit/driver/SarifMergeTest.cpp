#include "FindingJson.h"
#include "Formats.h"

#include <gtest/gtest.h>

using namespace corotidy::output;

namespace {
std::string sarifOf(std::vector<std::string> RuleIds, std::string Rule) {
  Report R;
  R.ToolVersion = "test";
  for (const std::string &Id : RuleIds)
    R.Checks.push_back({Id, "", "", Severity::Warning});
  Finding F;
  F.Check = Rule;
  F.Where.File = "a.cpp";
  F.Where.Begin = F.Where.End = {1, 1};
  F.Fingerprint = "ff";
  R.Findings.push_back(F);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  renderSarif(R, OS);
  return Text;
}
} // namespace

TEST(SarifMerge, RenumbersRulesAndKeepsEveryResult) {
  llvm::Expected<llvm::json::Value> Merged =
      mergeSarif({{"a", sarifOf({"x", "y"}, "y")}, {"b", sarifOf({"y", "z"}, "z")}});
  ASSERT_TRUE(bool(Merged)) << llvm::toString(Merged.takeError());
  const llvm::json::Object &Run = *(*Merged->getAsObject()->getArray("runs"))[0].getAsObject();
  const llvm::json::Array &Rules = *Run.getObject("tool")->getObject("driver")->getArray("rules");
  ASSERT_EQ(Rules.size(), 3u);
  const llvm::json::Array &Results = *Run.getArray("results");
  ASSERT_EQ(Results.size(), 2u);
  for (const llvm::json::Value &Result : Results) {
    const llvm::json::Object &O = *Result.getAsObject();
    int64_t Index = *O.getInteger("ruleIndex");
    EXPECT_EQ(Rules[Index].getAsObject()->getString("id"), O.getString("ruleId"));
    EXPECT_EQ(O.getObject("partialFingerprints")->getString(SarifFingerprintKey), "ff");
  }
}

TEST(SarifMerge, NamesTheBadLog) {
  llvm::Expected<llvm::json::Value> Merged =
      mergeSarif({{"good.sarif", sarifOf({"x"}, "x")}, {"bad.sarif", "{}"}});
  ASSERT_FALSE(bool(Merged));
  EXPECT_NE(llvm::toString(Merged.takeError()).find("bad.sarif"), std::string::npos);
}

TEST(FindingJson, RoundTrips) {
  Finding F;
  F.Check = "async-x";
  F.Level = Severity::Error;
  F.Where = {"a.cpp", 7, {2, 3}, {2, 9}, "  work();"};
  F.Message = "m";
  F.Notes.push_back({F.Where, "n"});
  F.Fixes.push_back({"a.cpp", 7, 0, {2, 3}, {2, 3}, "co_await "});
  F.Function = "ns::f";
  F.Code = "work()";
  std::optional<Finding> Back = findingFromJson(toJson(F));
  ASSERT_TRUE(Back);
  EXPECT_EQ(llvm::json::Value(toJson(*Back)), llvm::json::Value(toJson(F)));
  llvm::json::Value Broken = toJson(F);
  Broken.getAsObject()->erase("code");
  EXPECT_FALSE(findingFromJson(Broken));
}
