//===--- ClangdSeams.cpp - where corotidy-clangd meets clangd --------------===//
//
// clangdMain builds its clang-tidy option providers and its config providers
// inside itself and Debian ships no clangd headers, so there is no API to add
// one. A fragment in the user's config.yaml would be applied after .clangd
// (user config outranks project config) and after .clang-tidy, so nobody could
// switch the checks off again. Instead the link wraps (ld --wrap, see
// CMakeLists.txt) two functions of libclangDaemon whose signatures are
// clangd's TidyProvider.h:
//
//   getTidyOptionsForFile - the options of one file, after every provider:
//                           corotidy's configuration goes underneath them.
//   isFastTidyCheck       - the FastCheckFilter's table: async-* are fast.
//
// If clangd renames either, the link fails on the missing __real_ symbol.
//
//===----------------------------------------------------------------------===//

#include "EditorOptions.h"

#include "llvm/ADT/STLFunctionalExtras.h"

using clang::tidy::ClangTidyOptions;

/// clangd's TidyProviderRef.
using TidyProviderRef = llvm::function_ref<void(ClangTidyOptions &, llvm::StringRef)>;

ClangTidyOptions realTidyOptionsForFile(TidyProviderRef Provider, llvm::StringRef File) asm(
    "__real__ZN5clang6clangd21getTidyOptionsForFileEN4llvm12function_refIFvRNS_"
    "4tidy16ClangTidyOptionsENS1_9StringRefEEEES6_");
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) asm(
    "__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");

ClangTidyOptions tidyOptionsForFile(TidyProviderRef Provider, llvm::StringRef File) asm(
    "__wrap__ZN5clang6clangd21getTidyOptionsForFileEN4llvm12function_refIFvRNS_"
    "4tidy16ClangTidyOptionsENS1_9StringRefEEEES6_");
std::optional<bool> isFastTidyCheck(llvm::StringRef Check) asm(
    "__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");

ClangTidyOptions tidyOptionsForFile(TidyProviderRef Provider, llvm::StringRef File) {
  ClangTidyOptions Options = realTidyOptionsForFile(Provider, File);
  // No provider: clang-tidy is off (--clang-tidy=false), and so are we.
  if (Provider)
    corotidy::clangd::addCorotidyOptions(Options, File);
  return Options;
}

std::optional<bool> isFastTidyCheck(llvm::StringRef Check) {
  if (auto Known = corotidy::clangd::isKnownFastCheck(Check))
    return Known;
  return realIsFastTidyCheck(Check);
}
