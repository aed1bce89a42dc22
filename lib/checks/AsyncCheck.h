//===--- AsyncCheck.h - what every async-* check shares --------------------===//
//
// The coroutine model for the current file's options (built-in rules plus the
// user's corotidy.Rules overlay) and include insertion for fix-its. Checks
// derive from this instead of ClangTidyCheck; the decisions stay in the check.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"

#include <memory>
#include <optional>

namespace corotidy::checks {

class AsyncCheck : public clang::tidy::ClangTidyCheck {
public:
  AsyncCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

protected:
  const CoroutineModel &model() const { return *Model; }
  /// `#include Header` for the file holding Loc, unless it is there already.
  /// Header is spelled with its brackets: "<asyncrt/when_all.hpp>".
  std::optional<clang::FixItHint> includeFix(const clang::SourceManager &SM,
                                             clang::SourceLocation Loc,
                                             llvm::StringRef Header);

private:
  std::shared_ptr<const CoroutineModel> Model;
  clang::tidy::utils::IncludeInserter Inserter;
};

/// "coroutine 'Cache::refresh'", or "a coroutine lambda", for messages.
std::string describeCoroutine(const clang::FunctionDecl &Coroutine);

/// Parses a ";"- or ","-separated option into a list of trimmed names.
std::vector<std::string> splitList(llvm::StringRef Value);
std::string joinList(const std::vector<std::string> &Names);

} // namespace corotidy::checks
