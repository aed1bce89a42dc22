//===--- LockAcrossAwaitCheck.h - async-lock-across-await ------------------===//
#pragma once

#include "AsyncCheck.h"
#include "LockLifetimes.h"

#include "llvm/ADT/DenseSet.h"

namespace corotidy::checks {

/// Flags a thread lock held across a co_await / co_yield: a lock guard
/// (rules/locks.yaml: std::lock_guard, unique_lock, scoped_lock, shared_lock)
/// alive and locked at a suspension point, or a manual m.lock() ... m.unlock()
/// pair around one. Reported at the guard's declaration (or the lock() call)
/// with a note at each suspension point. No fix-it: where to end the critical
/// section is the author's decision.
///
/// Options: IgnoredMutexes (";"-list of mutexes as written, e.g. "log_mu_"),
/// ManualPairs (bool: also report lock()...unlock() pairs).
class LockAcrossAwaitCheck : public AsyncCheck {
public:
  LockAcrossAwaitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  bool isReported(const CriticalSection &Section) const;
  void report(const CriticalSection &Section, const clang::FunctionDecl &Coroutine,
              const clang::SourceManager &SM);

  const std::vector<std::string> IgnoredMutexes;
  const bool ManualPairs;
  LockLifetimes Locks;
  /// A template instantiated N times reports once, at the spelling.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace corotidy::checks
