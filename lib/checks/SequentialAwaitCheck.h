//===--- SequentialAwaitCheck.h - async-sequential-await -------------------===//
#pragma once

#include "AsyncCheck.h"
#include "Independence.h"

#include "llvm/ADT/DenseSet.h"

namespace corotidy::checks {

/// Flags runs of independent awaited task calls in one block (and awaits in
/// loops whose iterations do not depend on each other): their latencies add
/// up where when_all would wait only for the slowest. Fix-it: one when_all
/// (or the framework's combinator) with structured bindings / std::tie.
///
/// Options: IncludeVoidAwaits, ConcurrencySafeTypes, WhenAllFunction,
/// WhenAllHeader, MinRunLength, LoopAwaits, FieldTargets.
class SequentialAwaitCheck : public AsyncCheck {
public:
  SequentialAwaitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

  enum class StepForm { Declare, Assign, Discard };
  struct Step {
    const clang::Stmt *Statement = nullptr;
    const clang::CoawaitExpr *Await = nullptr;
    const clang::CallExpr *Call = nullptr;
    StepForm Form = StepForm::Discard;
    const clang::VarDecl *Var = nullptr; ///< declared or assigned
    const clang::Expr *Target = nullptr; ///< the assigned lvalue (Assign)
    bool DeclaredAuto = false;           ///< `auto x = ...` exactly
    AwaitStep Access;
  };

private:
  const clang::CallExpr *awaitedTaskCall(const clang::CoawaitExpr *Await,
                                        const clang::VarDecl *Bound = nullptr) const;
  std::optional<Step> awaitStep(const clang::Stmt *S) const;
  /// One entry per statement of the block: its await step, if it is one.
  using BlockSteps = llvm::SmallVector<std::optional<Step>, 8>;
  void checkBlock(const clang::CompoundStmt &Block, BlockSteps &Steps,
                  const clang::FunctionDecl &Coroutine, clang::ASTContext &Ctx);
  void checkLoop(const clang::Stmt &Loop, const clang::FunctionDecl &Coroutine,
                 clang::ASTContext &Ctx);
  void reportRun(llvm::ArrayRef<Step> Run, const clang::FunctionDecl &Coroutine,
                 clang::ASTContext &Ctx);
  std::optional<std::vector<clang::FixItHint>>
  runFix(llvm::ArrayRef<Step> Run, const clang::FunctionDecl &Coroutine,
         clang::ASTContext &Ctx);

  const bool IncludeVoidAwaits;
  const std::vector<std::string> ConcurrencySafeTypes;
  const std::string WhenAllFunction;
  const std::string WhenAllHeader;
  const unsigned MinRunLength;
  const bool LoopAwaits;
  const bool FieldTargets;
  Independence Analysis;
  /// A template instantiated N times reports once, at the spelling.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace corotidy::checks
