#include "Inputs.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace corotidy::driver;

TEST(Shards, ParseAcceptsOnlyKOfN) {
  ASSERT_TRUE(parseShard("2/4"));
  EXPECT_EQ(parseShard("2/4")->Index, 2u);
  EXPECT_EQ(parseShard("2/4")->Count, 4u);
  for (const char *Bad : {"0/4", "5/4", "1", "a/b", "1/0", "", "/"})
    EXPECT_FALSE(parseShard(Bad)) << Bad;
}

TEST(Shards, PartitionEveryFileOnceWhateverTheOrder) {
  std::vector<std::string> Files = {"e.cpp", "a.cpp", "d.cpp", "b.cpp", "c.cpp"};
  std::vector<std::string> Reversed(Files.rbegin(), Files.rend());
  std::vector<std::string> Seen;
  for (unsigned K = 1; K <= 3; ++K) {
    std::vector<std::string> Part = selectShard(Files, {K, 3});
    EXPECT_EQ(Part, selectShard(Reversed, {K, 3}));
    Seen.insert(Seen.end(), Part.begin(), Part.end());
  }
  std::sort(Seen.begin(), Seen.end());
  EXPECT_EQ(Seen, (std::vector<std::string>{"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp"}));
}

TEST(Inputs, NamesWhatAPathIs) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("inputs", Dir));
  llvm::SmallString<128> Sub(Dir), File(Dir);
  llvm::sys::path::append(Sub, "dir.cpp");
  llvm::sys::path::append(File, "a.cpp");
  ASSERT_FALSE(llvm::sys::fs::create_directory(Sub));
  int FD;
  ASSERT_FALSE(llvm::sys::fs::openFileForWrite(File, FD));
  ::close(FD);
  EXPECT_EQ(unreadableInput(Sub), "is a directory");
  EXPECT_EQ(unreadableInput(Dir.str().str() + "/none.cpp"), "no such file");
  EXPECT_EQ(unreadableInput("/dev/null"), "is not a regular file");
  EXPECT_EQ(unreadableInput(File), std::nullopt);
  llvm::sys::fs::remove_directories(Dir);
}
