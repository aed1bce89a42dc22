//===--- ScopedRun.h - run the checks over the user's code only ------------===//
//
// clang-tidy's runClangTidy matches over the whole translation unit, and the
// first parent lookup builds a parent map of all of it: libstdc++ included,
// which is most of the AST. Nothing in a system header is ever reported, so
// this runner limits the AST traversal to the top-level declarations outside
// system headers (what clangd does), before the checks see the AST.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/ArgumentsAdjusters.h"

namespace corotidy::driver {

/// A function definition's extent, to name the function a finding is in.
struct FunctionSpan {
  std::string File; ///< absolute
  unsigned Begin = 0, End = 0; ///< file offsets
  std::string Name; ///< qualified: "ns::Class::method"
};

struct UserCodeRun {
  std::vector<clang::tidy::ClangTidyError> Errors;
  std::vector<FunctionSpan> Functions;
  /// Every file the compile read (absolute paths), the main file first.
  std::vector<std::string> Dependencies;
};

UserCodeRun
runOnUserCode(clang::tidy::ClangTidyContext &Context,
              const clang::tooling::CompilationDatabase &Compilations,
              llvm::ArrayRef<std::string> Files,
              llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
              clang::tooling::ArgumentsAdjuster CommandFilter = nullptr);

} // namespace corotidy::driver
