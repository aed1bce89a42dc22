#include "CompileArgs.h"

#include <gtest/gtest.h>

using namespace corotidy::driver;

TEST(CompileArgs, DropsWhatClangRejectsOrIgnores) {
  EXPECT_TRUE(isUnsupportedByClang("-fconcepts-diagnostics-depth=3")); // unknown
  EXPECT_TRUE(isUnsupportedByClang("-fno-gnu-unique"));
  EXPECT_TRUE(isUnsupportedByClang("-fvar-tracking-assignments")); // ignored
  EXPECT_TRUE(isUnsupportedByClang("-Wno-maybe-uninitialized"));  // unknown group
  EXPECT_TRUE(isUnsupportedByClang("-Werror=logical-op"));
}

TEST(CompileArgs, KeepsWhatClangAccepts) {
  for (const char *Arg : {"-std=c++20", "-O2", "-Wall", "-Werror", "-Wno-error",
                          "-Werror=unused-variable", "-Wformat=2", "-Wshadow",
                          "-fno-semantic-interposition", "-fPIC", "-pthread",
                          "-DNDEBUG", "-Iinclude", "-Wl,--as-needed", "-march=x86-64",
                          "file.cpp"})
    EXPECT_FALSE(isUnsupportedByClang(Arg)) << Arg;
}

TEST(CompileArgs, FilterKeepsSeparateValuesAndInputs) {
  UnsupportedArgsFilter Filter;
  std::vector<std::string> Args = {"g++", "-fipa-pta", "-o", "a.o", "-MF", "-fake.d",
                                   "-c", "a.cpp", "--", "-fnot-a-flag.cpp"};
  std::vector<std::string> Kept = Filter(Args, "a.cpp");
  std::vector<std::string> Expected = {"g++", "-Qunused-arguments", "-o", "a.o", "-MF", "-fake.d",
                                       "-c", "a.cpp", "--", "-fnot-a-flag.cpp"};
  EXPECT_EQ(Kept, Expected);
  EXPECT_EQ(Filter.dropped(), std::vector<std::string>{"-fipa-pta"});
}

TEST(CompileArgs, LeavesClangClAlone) {
  UnsupportedArgsFilter Filter;
  std::vector<std::string> Args = {"clang-cl", "/W4", "-fipa-pta", "a.cpp"};
  EXPECT_EQ(Filter(Args, "a.cpp"), Args);
}

TEST(CompileArgs, NoteNamesEachFlagOnce) {
  EXPECT_EQ(droppedArgsNote({}), "");
  EXPECT_EQ(droppedArgsNote({"-fa"}), "ignored 1 GCC-only flag: -fa");
  EXPECT_EQ(droppedArgsNote({"-fa", "-fb"}), "ignored 2 GCC-only flags: -fa, -fb");
}
