//===--- PerCallConnectionCheck.h - async-per-call-connection --------------===//
#pragma once

#include "AsyncCheck.h"
#include "CoroutineCallers.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Regex.h"

namespace corotidy::checks {

/// Flags a client, session, connection or pool whose construction is
/// expensive (rules: Connections, e.g. httplib::Client, pqxx::connection,
/// redisConnect) made and dropped inside a coroutine on every loop iteration,
/// or on every call of a coroutine that runs per request: one that takes a
/// request (its parameter's type matches RequestTypes) or that is called
/// inside a loop of the same file. Not when it is static, moved out,
/// returned or stored into a member or a global. No fix-it; a note says to
/// create it once and share it.
///
/// With AnyCoroutine (the default), any other coroutine counts as run per
/// unit of work unless it is visibly run once: called from main, passed to a
/// sync-wait (asyncrt::run, sync_wait), or called only from such coroutines.
///
/// Options: RequestTypes (regex on parameter types), ReusedInNestedLoop
/// (bool: a connection used in an inner loop serves many requests),
/// AnyCoroutine (bool: every coroutine not visibly run once is per call).
class PerCallConnectionCheck : public AsyncCheck {
public:
  PerCallConnectionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// A construction that is dropped at the end of its coroutine; whether the
  /// coroutine runs per request is known at the end of the TU.
  struct Candidate {
    const clang::Expr *Site;
    const clang::FunctionDecl *Coroutine;
    const ConnectionRule *Rule;
  };

  const ConnectionRule *ruleFor(const clang::Expr &Site) const;
  void visitSite(const clang::Expr &Site, const ConnectionRule &Rule, clang::ASTContext &Ctx);
  void recordLoopCalls(const clang::Stmt &Loop);
  const clang::ParmVarDecl *requestParameter(const clang::FunctionDecl &Coroutine) const;
  void reportInLoop(const Candidate &C, const clang::Stmt &Loop);
  /// Request and LoopCall say why the coroutine runs per call (both null:
  /// any coroutine not visibly run once).
  void reportPerCall(const Candidate &C, const clang::ParmVarDecl *Request,
                     const clang::CallExpr *LoopCall);
  void noteShare(clang::SourceLocation Loc);

  const std::string RequestTypes;
  const bool ReusedInNestedLoop;
  const bool AnyCoroutine;
  llvm::Regex RequestPattern;
  RuleNameMap<const ConnectionRule *> ClassRules, FunctionRules;
  std::vector<Candidate> Candidates;
  /// Functions called inside a loop body, with one such call.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::CallExpr *> CalledInLoop;
  /// Who calls each task-returning function: whether a coroutine runs once.
  CoroutineCallers Callers;
  /// Every loop and direct call of the TU, turned into CalledInLoop and
  /// Callers at its end only if it makes a connection (most TUs do not).
  std::vector<const clang::Stmt *> Loops;
  std::vector<const clang::CallExpr *> Calls;
  clang::ASTContext *Context = nullptr;
  llvm::DenseSet<clang::SourceLocation> Reported;
  const clang::SourceManager *SM = nullptr;
};

} // namespace corotidy::checks
