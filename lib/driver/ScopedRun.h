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

std::vector<clang::tidy::ClangTidyError>
runOnUserCode(clang::tidy::ClangTidyContext &Context,
              const clang::tooling::CompilationDatabase &Compilations,
              llvm::ArrayRef<std::string> Files,
              llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
              clang::tooling::ArgumentsAdjuster CommandFilter = nullptr);

} // namespace corotidy::driver
