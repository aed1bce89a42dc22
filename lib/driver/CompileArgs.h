//===--- CompileArgs.h - compile commands clang can run --------------------===//
//
// Most Linux projects build with GCC, and their compile_commands.json carries
// flags clang's driver rejects (-fconcepts-diagnostics-depth=3) or accepts
// only to warn that it ignores them (-fno-tree-vrp), and warning options clang
// does not know (-Wno-maybe-uninitialized, an error under -Werror). Like
// clangd, corotidy drops what clang would not accept, instead of failing the
// file, and names what it dropped once per run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang/Tooling/ArgumentsAdjusters.h"

#include <mutex>
#include <set>
#include <string>

namespace corotidy::driver {

/// True for one argument clang's driver does not accept, or accepts only to
/// ignore it: decided by the driver's own option table and the compiler's
/// list of warning groups, not by a list of GCC flags.
bool isUnsupportedByClang(llvm::StringRef Arg);

/// An arguments adjuster dropping every unsupported argument of a command
/// (and silencing "argument unused" for the GCC flags clang knows but does
/// not use); remembers the distinct arguments it dropped. Thread-safe.
class UnsupportedArgsFilter {
public:
  clang::tooling::CommandLineArguments
  operator()(const clang::tooling::CommandLineArguments &Args,
             llvm::StringRef File);
  /// An adjuster for ClangTool that forwards to this filter.
  clang::tooling::ArgumentsAdjuster adjuster();
  /// The dropped arguments, sorted.
  std::vector<std::string> dropped() const;

private:
  clang::tooling::CommandLineArguments
  dropUnsupported(const clang::tooling::CommandLineArguments &Args);

  mutable std::mutex Lock;
  std::set<std::string> Dropped;
};

/// "ignored 3 GCC-only flags: -fa, -fb, -Wno-c" (empty when none).
std::string droppedArgsNote(const std::vector<std::string> &Dropped);

} // namespace corotidy::driver
