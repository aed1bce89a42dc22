//===--- BlockingCallCheck.h - async-blocking-call -------------------------===//
#pragma once

#include "AsyncCheck.h"
#include "BlockingSummary.h"

#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace corotidy::checks {

/// Flags calls inside a coroutine body that block the thread: functions the
/// rules name (blocking.yaml), and functions defined in the TU that reach one
/// (with a note per call on the way). In asyncrt coroutines a fix-it turns a
/// sleep into `co_await asyncrt::sleep_for(d)` and wraps other calls in
/// `co_await asyncrt::to_thread([&] { return CALL; })`.
///
/// A call of a helper that blocks gets the same to_thread fix-it when the
/// helper is safe to run on another thread (BlockingSummary::isSafeToOffload).
///
/// Options: IgnoredFunctions, NonBlockingArgumentTypes, FileStreamOperations
/// (";"-lists), CheckTransitive, ZeroTimeoutPolls, OffloadHelperFixes,
/// FlagShortCriticalSections (bool: also report a thread lock whose critical
/// section ends before the next suspension point), MaxCallDepth (unsigned).
class BlockingCallCheck : public AsyncCheck {
public:
  BlockingCallCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void report(const clang::Expr &Site, const clang::FunctionDecl &Coroutine,
              const BlockingRule &Rule, const BlockingPath *Path,
              clang::SourceLocation Loc, const clang::ast_matchers::MatchFinder::MatchResult &Result);
  /// The replacement text of a fix-it for a direct blocking call, if one is
  /// safe here.
  std::optional<std::string> fixText(const clang::Expr &Site, const BlockingRule &Rule,
                                     const clang::FunctionDecl &Coroutine,
                                     clang::ASTContext &Ctx, std::string &Header) const;
  /// The to_thread fix-it for a call of a blocking helper.
  std::optional<std::string> helperFixText(const clang::Expr &Site, const BlockingRule &Rule,
                                           const clang::FunctionDecl &Coroutine,
                                           clang::ASTContext &Ctx, std::string &Header) const;
  /// Template expanded for Site, where a fix-it may replace the call.
  std::optional<std::string> expandFix(const clang::Expr &Site, llvm::StringRef Template,
                                       const clang::FunctionDecl &Coroutine,
                                       clang::ASTContext &Ctx) const;
  BlockingSummary::Options summaryOptions() const;

  const std::vector<std::string> IgnoredFunctions;
  const std::vector<std::string> NonBlockingArgumentTypes;
  const bool CheckTransitive;
  const unsigned MaxCallDepth;
  const bool ZeroTimeoutPolls;
  const std::vector<std::string> FileStreamOperations;
  const bool OffloadHelperFixes;
  const bool FlagShortCriticalSections;
  BlockingSummary Summary;
  /// A template instantiated N times reports once, at the spelling.
  llvm::DenseSet<clang::SourceLocation> Reported;
  /// Per coroutine: fds it drives through readiness awaits (non-blocking).
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::SmallPtrSet<const clang::VarDecl *, 4>>
      NonBlockingFds;
  bool onNonBlockingFd(const clang::Expr &Site, const clang::FunctionDecl &Coroutine);
};

} // namespace corotidy::checks
