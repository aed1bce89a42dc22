//===--- UnawaitedTaskCheck.h - async-unawaited-task -----------------------===//
#pragma once

#include "AsyncCheck.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace corotidy::checks {

/// Flags calls that return a task whose result is discarded. A discarded lazy
/// task never runs; a discarded eager task runs detached and loses its errors.
/// Inside a coroutine the fix-it inserts `co_await `.
///
/// Options: IgnoredFunctions (";"-separated names whose tasks may be dropped).
class UnawaitedTaskCheck : public AsyncCheck {
public:
  UnawaitedTaskCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  const TaskInfo &taskInfo(clang::QualType T);
  bool isDropped(const clang::CallExpr &Call, const TaskInfo &Info,
                 clang::ASTContext &Ctx) const;
  bool isAwaitableIn(const TaskInfo &Info, const clang::FunctionDecl *Coroutine) const;
  const clang::CXXRecordDecl *promiseOf(const clang::FunctionDecl *Coroutine) const;

  const std::vector<std::string> IgnoredFunctions;
  NameSet Ignored;
  llvm::DenseMap<const clang::Type *, TaskInfo> TypeCache;
  /// A template instantiated N times reports once, at the spelling.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace corotidy::checks
