#include "Findings.h"

#include <gtest/gtest.h>

using namespace corotidy::driver;
using corotidy::output::Finding;

TEST(Findings, InnermostFunctionNamesTheFinding) {
  std::vector<FunctionSpan> Spans = {{"/a.cpp", 10, 100, "outer"},
                                     {"/a.cpp", 20, 40, "S::inner"},
                                     {"/b.cpp", 0, 500, "other"}};
  EXPECT_EQ(enclosingFunction(Spans, "/a.cpp", 30), "S::inner");
  EXPECT_EQ(enclosingFunction(Spans, "/a.cpp", 50), "outer");
  EXPECT_EQ(enclosingFunction(Spans, "/a.cpp", 5), "");
}

TEST(Findings, CodeIsNormalisedAcrossReformatting) {
  SourceCache::File Tight{"  work(1,2);\n", {0, 13}};
  SourceCache::File Loose{"  work( 1,\n        2 );\n", {0, 11, 24}};
  corotidy::output::Location A, B;
  A.Offset = 2;
  A.Begin = {1, 3};
  A.End = {1, 12};
  A.SourceLine = "  work(1,2);";
  B.Offset = 2;
  B.Begin = {1, 3};
  B.End = {2, 12};
  B.SourceLine = "  work( 1,";
  EXPECT_EQ(normalisedCode(&Tight, A), "work(1,2)");
  EXPECT_EQ(normalisedCode(&Loose, B), "work(1,2)");
  // A point range falls back to its line.
  A.End = A.Begin;
  EXPECT_EQ(normalisedCode(&Tight, A), "work(1,2);");
}

TEST(Findings, DedupeKeepsTheFirstOfEqualFindings) {
  Finding F;
  F.Check = "async-x";
  F.Where.File = "h.hpp";
  F.Where.Begin = {3, 1};
  F.Message = "m";
  Finding G = F;
  G.Where.Begin = {4, 1};
  std::vector<Finding> Out = dedupe({{F, G}, {F}});
  EXPECT_EQ(Out.size(), 2u);
}
