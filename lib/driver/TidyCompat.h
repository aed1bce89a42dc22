//===--- TidyCompat.h - the clang-tidy API across LLVM 19 and 22 -----------===//
//
// The driver calls clang-tidy only through these, so a new LLVM release
// changes this file and nothing else.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include <memory>

namespace corotidy::driver::compat {

inline std::unique_ptr<clang::tidy::ClangTidyContext>
makeContext(std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider) {
#if COROTIDY_LLVM_MAJOR >= 22
  return std::make_unique<clang::tidy::ClangTidyContext>(
      std::move(Provider), /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*EnableModuleHeadersParsing=*/false, /*ExperimentalCustomChecks=*/false);
#else
  return std::make_unique<clang::tidy::ClangTidyContext>(
      std::move(Provider), /*AllowEnablingAnalyzerAlphaCheckers=*/false);
#endif
}

inline std::vector<std::string>
enabledChecks(const clang::tidy::ClangTidyOptions &Options) {
#if COROTIDY_LLVM_MAJOR >= 22
  return clang::tidy::getCheckNames(Options, false, false);
#else
  return clang::tidy::getCheckNames(Options, false);
#endif
}

inline clang::tidy::ClangTidyOptions::OptionMap
checkOptions(const clang::tidy::ClangTidyOptions &Options) {
#if COROTIDY_LLVM_MAJOR >= 22
  return clang::tidy::getCheckOptions(Options, false, false);
#else
  return clang::tidy::getCheckOptions(Options, false);
#endif
}

} // namespace corotidy::driver::compat
