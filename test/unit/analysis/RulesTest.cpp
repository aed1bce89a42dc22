// Unit tests for the rules loader: the shipped data parses, overlays merge,
// and bad input names the file and line.
#include "Rules.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace corotidy;

namespace {

TEST(Rules, EmbeddedRulesParseAndCoverEveryFramework) {
  setRulesDirectory("");
  auto Rules = builtinRules();
  ASSERT_TRUE(bool(Rules)) << llvm::toString(Rules.takeError());
  for (const char *Name : {"asyncrt", "asio", "boost-asio", "cppcoro", "folly", "libcoro",
                           "cobalt", "qcoro", "drogon", "concurrencpp", "stdexec"})
    EXPECT_NE((*Rules)->framework(Name), nullptr) << Name;
  EXPECT_GE((*Rules)->Blocking.size(), 80u);
  for (const BlockingRule &B : (*Rules)->Blocking)
    EXPECT_NE((*Rules)->category(B.Category), nullptr)
        << B.Name << " has unknown category " << B.Category;
  for (const char *Check : {"async-unawaited-task", "async-blocking-call", "async-sequential-await",
                            "async-dropped-exception", "async-unbounded-fanout",
                            "async-lock-across-await", "async-per-call-connection"})
    EXPECT_NE((*Rules)->check(Check), nullptr) << Check;
  EXPECT_FALSE((*Rules)->LockGuards.empty());
  EXPECT_FALSE((*Rules)->Mutexes.empty());
  EXPECT_FALSE((*Rules)->Connections.empty());
}

TEST(Rules, InstalledDirectoryMatchesEmbeddedCopy) {
  setRulesDirectory(COROTIDY_SOURCE_DIR "/rules");
  auto FromDir = builtinRules();
  ASSERT_TRUE(bool(FromDir)) << llvm::toString(FromDir.takeError());
  setRulesDirectory("");
  auto Embedded = builtinRules();
  ASSERT_TRUE(bool(Embedded));
  EXPECT_NE(FromDir->get(), Embedded->get());
  EXPECT_EQ(serializeRules(**FromDir), serializeRules(**Embedded));
}

TEST(Rules, OverlayAddsFrameworkTypesAndRemovesBlockingFunctions) {
  setRulesDirectory("");
  RuleSet Base = **builtinRules();
  size_t Before = Base.framework("asyncrt")->TaskTypes.size();
  auto Overlay = parseRules(R"(
Frameworks:
  - Name: asyncrt
    TaskTypes: [ { Name: 'my::job', Laziness: eager } ]
  - Name: mine
    SpawnFunctions: [ { Name: 'my::launch', HandlerArg: 1 } ]
BlockingFunctions:
  - { Name: 'my::slow_query', Category: db }
RemoveBlockingFunctions: [ '::usleep' ]
)",
                            "overlay");
  ASSERT_TRUE(bool(Overlay)) << llvm::toString(Overlay.takeError());
  Base.merge(std::move(*Overlay));
  EXPECT_EQ(Base.framework("asyncrt")->TaskTypes.size(), Before + 1);
  EXPECT_EQ(Base.framework("asyncrt")->TaskTypes.back().Lazy, Laziness::Eager);
  ASSERT_NE(Base.framework("mine"), nullptr);
  EXPECT_EQ(Base.framework("mine")->SpawnFunctions.front().HandlerArg, 1u);
  auto Has = [&](llvm::StringRef Name) {
    return llvm::any_of(Base.Blocking, [&](const BlockingRule &B) { return B.Name == Name; });
  };
  EXPECT_TRUE(Has("my::slow_query"));
  EXPECT_FALSE(Has("::usleep"));
  EXPECT_TRUE(Has("::sleep"));
}

TEST(Rules, LaterEntryForTheSameFunctionWins) {
  RuleSet Base;
  BlockingRule Sleep;
  Sleep.Name = "::sleep";
  Sleep.Category = "sleep";
  Base.Blocking.push_back(Sleep);
  auto Overlay = parseRules("BlockingFunctions: [ { Name: 'sleep', Category: process } ]", "o");
  ASSERT_TRUE(bool(Overlay));
  Base.merge(std::move(*Overlay));
  ASSERT_EQ(Base.Blocking.size(), 1u);
  EXPECT_EQ(Base.Blocking.front().Category, "process");
}

TEST(Rules, ErrorsNameTheSourceAndLine) {
  auto Bad = parseRules("Frameworks:\n  - Name: x\n    TaskTypes: [ { Laziness: lazy } ]\n",
                        "my-rules.yaml");
  ASSERT_FALSE(bool(Bad));
  std::string Message = llvm::toString(Bad.takeError());
  EXPECT_NE(Message.find("my-rules.yaml:3:"), std::string::npos) << Message;
  EXPECT_NE(Message.find("Name"), std::string::npos) << Message;

  auto BadEnum = parseRules("Frameworks: [ { Name: x, TaskTypes: [ { Name: t, Laziness: sometimes } ] } ]",
                            "enum.yaml");
  ASSERT_FALSE(bool(BadEnum));
  EXPECT_NE(llvm::toString(BadEnum.takeError()).find("enum.yaml:1:"), std::string::npos);

  auto NoCategory = parseRules("BlockingFunctions: [ { Name: f, Category: '' } ]", "c.yaml");
  EXPECT_FALSE(bool(NoCategory));
  llvm::consumeError(NoCategory.takeError());
}

TEST(Rules, SerializeRoundTrips) {
  auto Rules = builtinRules();
  ASSERT_TRUE(bool(Rules));
  std::string Text = serializeRules(**Rules);
  auto Again = parseRules(Text, "round-trip");
  ASSERT_TRUE(bool(Again)) << llvm::toString(Again.takeError());
  EXPECT_EQ(serializeRules(*Again), Text);
}

TEST(Rules, UnreadableDirectoryIsAnError) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("corotidy-rules", Dir));
  llvm::SmallString<128> File(Dir);
  llvm::sys::path::append(File, "broken.yaml");
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << "Frameworks: [ { Name: 'x', Bogus: 1 } ]\n";
  }
  setRulesDirectory(std::string(Dir));
  auto Rules = builtinRules();
  EXPECT_FALSE(bool(Rules));
  if (!Rules)
    EXPECT_NE(llvm::toString(Rules.takeError()).find("broken.yaml"), std::string::npos);
  setRulesDirectory("");
  llvm::sys::fs::remove(File);
  llvm::sys::fs::remove(Dir);
}

} // namespace
