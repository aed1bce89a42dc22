//===--- EditorOptions.h - corotidy's configuration inside clangd ----------===//
//
// clangd computes clang-tidy options per file from .clang-tidy, .clangd and its
// defaults. corotidy-clangd lays the CLI's configuration underneath: the same
// provider (lib/driver's makeOptionsProvider: .corotidy.yaml and .clang-tidy
// found by walking up, the -*,async-* default) gives the async-* checks their
// globs and options, and everything clangd read itself stays on top, so
// `-async-*` in .clang-tidy or `Remove: async-*` in .clangd still wins.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidyOptions.h"

namespace corotidy::clangd {

/// Puts the CLI's options for File under Options (clangd's): its check globs
/// go first, its check options fill in what clangd left unset, and checks
/// whose configured severity is `error` become warnings-as-errors.
void addCorotidyOptions(clang::tidy::ClangTidyOptions &Options,
                        llvm::StringRef File);

/// Whether clangd's fast-check filter should treat Check as fast: true for
/// the async-* checks (their cost is measured, docs/benchmarks.md), no opinion
/// (std::nullopt) for everything else.
std::optional<bool> isKnownFastCheck(llvm::StringRef Check);

} // namespace corotidy::clangd
