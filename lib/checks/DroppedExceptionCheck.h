//===--- DroppedExceptionCheck.h - async-dropped-exception -----------------===//
#pragma once

#include "AsyncCheck.h"
#include "Launches.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace corotidy::checks {

/// Flags fire-and-forget launches whose exceptions go nowhere: co_spawn with
/// a detached token, spawn without an error handler, spawn functions with no
/// error channel, discarded or never-checked futures, eager tasks stored and
/// never looked at, and promise types whose unhandled_exception() swallows.
///
/// Options: ErrorHandler (the handler the fix-its write), IgnoringHandlers
/// (a handler that never reads its std::exception_ptr is a finding).
class DroppedExceptionCheck : public AsyncCheck {
public:
  DroppedExceptionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkLaunch(const clang::CallExpr &Call,
                   const clang::ast_matchers::MatchFinder::MatchResult &Result);
  void checkStoredVariable(const clang::VarDecl &Var,
                           const clang::ast_matchers::MatchFinder::MatchResult &Result);
  void notePromise(const clang::CXXMethodDecl &Handler);
  void countCoroutine(const clang::FunctionDecl &Coroutine,
                      const clang::SourceManager &SM);
  bool firstReport(const clang::SourceManager &SM, clang::SourceLocation Loc);
  void addHandlerIncludes(clang::DiagnosticBuilder &D, const clang::SourceManager &SM,
                          clang::SourceLocation Loc);

  const std::string ErrorHandler;
  const bool IgnoringHandlers;
  llvm::DenseSet<clang::SourceLocation> Reported;
  /// Promise types (their pattern) whose unhandled_exception() swallows.
  llvm::MapVector<const clang::CXXRecordDecl *, const clang::CXXMethodDecl *> Swallowing;
  /// Coroutines per promise type pattern, counted once per spelling.
  llvm::DenseMap<const clang::CXXRecordDecl *, llvm::DenseSet<clang::SourceLocation>> Users;
  const clang::SourceManager *SM = nullptr;
};

} // namespace corotidy::checks
