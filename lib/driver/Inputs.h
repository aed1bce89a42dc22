//===--- Inputs.h - stage 1: which files, and how each is compiled ---------===//
#pragma once

#include "clang/Tooling/CompilationDatabase.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Where each file's compile command comes from: the flags after --, the
/// database of -p, or one found by walking up from the file.
class CompileCommands {
public:
  /// Nothing (a usage error was printed) when -p names no database.
  static std::unique_ptr<CompileCommands>
  open(const std::optional<std::vector<std::string>> &FixedArgs,
       llvm::StringRef BuildPath);

  /// The database for File (thread-safe).
  std::shared_ptr<clang::tooling::CompilationDatabase> forFile(llvm::StringRef File);
  /// Every file of the -p database; empty without one.
  std::vector<std::string> allFiles() const;

private:
  std::unique_ptr<clang::tooling::CompilationDatabase> Shared;
  std::mutex Lock;
  std::map<std::string, std::shared_ptr<clang::tooling::CompilationDatabase>> Detected;
  bool WarnedFallback = false;
};

/// Why a path cannot be an input ("is a directory"), or nothing when it is
/// a readable regular file.
std::optional<std::string> unreadableInput(llvm::StringRef Path);

/// --shard=K/N: 1-based K of N.
struct Shard {
  unsigned Index = 1, Count = 1;
};
/// "K/N" with 1 <= K <= N, or nothing.
std::optional<Shard> parseShard(llvm::StringRef Text);
/// Shard K's files: every Nth of the files sorted by path, from the Kth.
/// The same list gives every shard a disjoint part whatever the input order.
std::vector<std::string> selectShard(std::vector<std::string> Files, Shard S);

struct InputSet {
  std::vector<std::string> Files; ///< absolute, in the order given
  bool Problems = false;          ///< an input was unusable (named on stderr)
};

/// The files to analyse: those given, or every file of the -p database; each
/// checked to be a readable regular file. Nothing when there are none.
std::optional<InputSet> collectInputs(const std::vector<std::string> &Requested,
                                      const CompileCommands &Commands,
                                      std::optional<Shard> Part);

} // namespace corotidy::driver
