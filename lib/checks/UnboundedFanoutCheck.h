//===--- UnboundedFanoutCheck.h - async-unbounded-fanout -------------------===//
#pragma once

#include "AsyncCheck.h"
#include "LoopBounds.h"

#include "llvm/ADT/DenseSet.h"

namespace corotidy::checks {

/// Flags a loop over a runtime-sized range that launches one task per
/// element (spawn, co_spawn, task_group::spawn, std::async, or tasks pushed
/// into a container later given to when_all) with no concurrency limit in
/// sight: no limiter awaited in the loop or in the launched coroutine, no
/// bounded combinator, no batching.
///
/// Options: MaxConstantFanout (constant trip counts up to it are fine),
/// DefaultLimit (the limit the when_all_bounded fix-it writes).
class UnboundedFanoutCheck : public AsyncCheck {
public:
  UnboundedFanoutCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// One launch of a task per loop iteration.
  struct Site {
    const clang::CallExpr *Launch = nullptr; ///< spawn call or push_back
    const clang::Expr *Work = nullptr;       ///< the task / callable launched
    /// The container the tasks go into (push_back), or the scope spawned into.
    const clang::VarDecl *Collector = nullptr;
    /// Where the collected tasks are started together (when_all(tasks)).
    const clang::CallExpr *Combinator = nullptr;
  };

  std::optional<Site> launchSite(const clang::CallExpr &Call, clang::ASTContext &Ctx) const;
  const clang::Stmt *fanoutLoop(const Site &S, clang::ASTContext &Ctx,
                                TripCount &Count) const;
  /// A bounded combinator by shape declared beside an inferred one, before
  /// Use, that takes the same range plus an integral limit and returns the
  /// same type: the target of the when_all -> bounded fix-it.
  const clang::FunctionDecl *boundedSibling(const clang::FunctionDecl &Combinator,
                                            clang::SourceLocation Use,
                                            const clang::SourceManager &SM) const;
  bool hasVisibleLimit(const Site &S, const clang::Stmt &Loop,
                       clang::ASTContext &Ctx) const;
  bool isBatched(const Site &S, const clang::Stmt &Loop, clang::ASTContext &Ctx) const;
  void report(const Site &S, const clang::Stmt &Loop, const TripCount &Count,
              const clang::ast_matchers::MatchFinder::MatchResult &Result);

  const unsigned MaxConstantFanout;
  const unsigned DefaultLimit;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace corotidy::checks
