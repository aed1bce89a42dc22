#include "ResultCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace corotidy::driver;

namespace {

class ResultCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("cache-test", Root));
    Source = path("a.cpp");
    Header = path("a.hpp");
    write(Source, "#include \"a.hpp\"\n");
    write(Header, "int x;\n");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string path(llvm::StringRef Name) {
    llvm::SmallString<128> P(Root);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  static void write(llvm::StringRef Path, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }
  CachedResult result() {
    CachedResult R;
    corotidy::output::Finding F;
    F.Check = "async-unawaited-task";
    F.Where.File = "a.cpp";
    F.Where.Begin = {1, 2};
    F.Message = "never awaited";
    F.Fixes.push_back({"a.cpp", 3, 0, {1, 4}, {1, 4}, "co_await "});
    R.Findings.push_back(F);
    R.Dependencies = {Source, Header};
    return R;
  }

  llvm::SmallString<128> Root;
  std::string Source, Header;
};

} // namespace

TEST_F(ResultCacheTest, AHitGivesBackWhatWasStored) {
  ResultCache Cache(path("cache"));
  EXPECT_FALSE(Cache.lookup("0123"));
  EXPECT_EQ(Cache.store("0123", result()), "");
  ResultCache Again(path("cache")); // a later run
  std::optional<CachedResult> Hit = Again.lookup("0123");
  ASSERT_TRUE(Hit);
  ASSERT_EQ(Hit->Findings.size(), 1u);
  EXPECT_EQ(Hit->Findings[0].Message, "never awaited");
  EXPECT_EQ(Hit->Findings[0].Fixes[0].Text, "co_await ");
  EXPECT_FALSE(Again.lookup("4567")); // another key
}

TEST_F(ResultCacheTest, AChangedHeaderInvalidates) {
  ResultCache(path("cache")).store("0123", result());
  write(Header, "int y;\n");
  EXPECT_FALSE(ResultCache(path("cache")).lookup("0123"));
}

TEST_F(ResultCacheTest, ARemovedDependencyInvalidates) {
  ResultCache(path("cache")).store("0123", result());
  llvm::sys::fs::remove(Header);
  EXPECT_FALSE(ResultCache(path("cache")).lookup("0123"));
}

TEST_F(ResultCacheTest, ACorruptEntryIsIgnored) {
  ResultCache(path("cache")).store("0123", result());
  std::string Entry = path("cache/01/0123.json");
  ASSERT_TRUE(llvm::sys::fs::exists(Entry));
  for (llvm::StringRef Bad : {"", "{", "[]", "{\"format\": \"corotidy-cache/1\"}",
                              "{\"format\": \"corotidy-cache/1\", \"key\": \"0123\", "
                              "\"parseFailed\": false, \"dependencies\": [], \"findings\": []}"}) {
    write(Entry, Bad);
    EXPECT_FALSE(ResultCache(path("cache")).lookup("0123")) << Bad.str();
  }
}

TEST_F(ResultCacheTest, AnEntryForAnotherKeyIsNotTrusted) {
  ResultCache(path("cache")).store("0123", result());
  llvm::sys::fs::create_directories(path("cache/99"));
  llvm::sys::fs::copy_file(path("cache/01/0123.json"), path("cache/99/9999.json"));
  EXPECT_FALSE(ResultCache(path("cache")).lookup("9999"));
}

TEST_F(ResultCacheTest, MarksItsDirectory) {
  ResultCache(path("cache")).store("0123", result());
  EXPECT_TRUE(llvm::sys::fs::exists(path("cache/CACHEDIR.TAG")));
  EXPECT_TRUE(llvm::sys::fs::exists(path("cache/.gitignore")));
}

TEST(HashParts, BoundariesMatter) {
  EXPECT_NE(hashParts({"ab", "c"}), hashParts({"a", "bc"}));
  EXPECT_EQ(hashParts({"a"}), hashParts({"a"}));
  EXPECT_EQ(hashParts({"a"}).size(), 32u);
}

TEST_F(ResultCacheTest, RecordsWhatAFileCostPerPath) {
  ResultCache Cache(path("cache"));
  EXPECT_FALSE(Cache.recordedCost(Source));
  Cache.recordCost(Source, 1234);
  Cache.recordCost(Header, 7);
  ResultCache Again(path("cache")); // a later run
  EXPECT_EQ(Again.recordedCost(Source), 1234u);
  EXPECT_EQ(Again.recordedCost(Header), 7u);
  Again.recordCost(Source, 99); // the last analysis wins
  EXPECT_EQ(ResultCache(path("cache")).recordedCost(Source), 99u);
}

TEST_F(ResultCacheTest, ABadCostRecordIsUnknown) {
  ResultCache(path("cache")).recordCost(Source, 1234);
  std::error_code EC;
  llvm::sys::fs::directory_iterator It(path("cache/costs"), EC);
  ASSERT_FALSE(EC);
  for (const char *Bad : {"", "corotidy-cost/1 12x4 ", "corotidy-cost/9 1234 "}) {
    write(It->path(), (llvm::Twine(Bad) + (*Bad ? Source : "")).str());
    EXPECT_FALSE(ResultCache(path("cache")).recordedCost(Source)) << Bad;
  }
  // A record for another path (a hash collision, a copied file).
  write(It->path(), "corotidy-cost/1 1234 " + Header);
  EXPECT_FALSE(ResultCache(path("cache")).recordedCost(Source));
}
