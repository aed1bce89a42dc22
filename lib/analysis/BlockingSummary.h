//===--- BlockingSummary.h - which functions of a TU block, and how -------===//
//
// The rules name the functions that block (blocking.yaml). A coroutine that
// calls a helper defined in the same TU which calls one of them blocks just
// the same. BlockingSummary answers "does this call block the thread, and
// through which chain of calls?" for calls of the rules' functions and of
// user functions whose bodies it can read, memoised per TU.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"
#include "LockLifetimes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace corotidy {

/// One call on the way from a function to a blocking call: Caller's body
/// holds Site, which calls Callee.
struct BlockingStep {
  const clang::FunctionDecl *Caller = nullptr;
  const clang::Expr *Site = nullptr;
  const clang::FunctionDecl *Callee = nullptr;
};

/// How a function blocks: Steps[0].Caller is the function asked about, the
/// last step's Site is the blocking call, and Rule says what it is.
struct BlockingPath {
  llvm::SmallVector<BlockingStep, 4> Steps;
  const BlockingRule *Rule = nullptr;
};

class BlockingSummary {
public:
  struct Options {
    /// Never treated as blocking (the check's IgnoredFunctions).
    NameSet Ignored;
    /// A call or construction with an argument of one of these types does
    /// not block (std::defer_lock_t, std::try_to_lock_t, std::adopt_lock_t).
    NameSet NonBlockingArgumentTypes;
    /// Longest chain of user functions followed from a call.
    unsigned MaxCallDepth = 8;
    /// Report a thread lock taken for a critical section that ends before
    /// the next suspension point (off: it is how coroutines share state
    /// with threads; async-lock-across-await reports the long ones).
    bool FlagShortCriticalSections = false;
  };

  BlockingSummary(const CoroutineModel &Model, Options Opts);

  /// The rule a call or construction matches directly, or null. Knows the
  /// exceptions: ignored names, non-blocking tag arguments, and constructors
  /// that acquire nothing (default, copy and move constructors).
  const BlockingRule *directRule(const clang::Expr &CallOrConstruct) const;

  /// The function a call or construction runs whose body may be summarised:
  /// defined outside system headers, not a coroutine, not a rules function,
  /// not dispatched virtually. Null otherwise.
  const clang::FunctionDecl *followableCallee(const clang::Expr &CallOrConstruct) const;

  /// Site, in FD's body, takes a thread lock for a critical section that
  /// ends before the next suspension point, and the options leave those
  /// alone.
  bool isShortLockSection(const clang::Expr &Site, const clang::FunctionDecl &FD);

  /// How FD blocks (transitively), or null if no blocking call is reachable
  /// within MaxCallDepth. FD must be followable.
  const BlockingPath *pathFrom(const clang::FunctionDecl *FD);

  /// Forget everything (a new TU).
  void clear() {
    Memo.clear();
    Scratch.clear();
    Locks.clear();
  }

private:
  enum class State { InProgress, Blocks, Clean };
  struct Entry {
    State S = State::InProgress;
    std::unique_ptr<BlockingPath> Path;
  };
  struct Result {
    const BlockingPath *Path = nullptr;
    /// A negative answer that depended on an unfinished function (a cycle)
    /// or on the depth limit: valid here, but not to be remembered.
    bool Provisional = false;
  };

  Result summarise(const clang::FunctionDecl *FD, unsigned Depth);
  bool hasNonBlockingArgument(const clang::Expr &CallOrConstruct) const;

  bool hasNonBlockingEnumerator(const clang::Expr &CallOrConstruct,
                                const BlockingRule &Rule) const;
  const BlockingRule *signatureRule(const clang::FunctionDecl &Callee) const;

  const CoroutineModel &Model;
  Options Opts;
  LockLifetimes Locks;
  /// Rules by signature (ByParameter), keyed by the returned class.
  RuleNameMap<const BlockingRule *> SignatureRules;
  llvm::DenseMap<const clang::FunctionDecl *, Entry> Memo;
  /// Provisional negatives of the current query, with the depth they were
  /// reached at (a shallower visit may still find a path).
  llvm::DenseMap<const clang::FunctionDecl *, unsigned> Scratch;
};

/// The calls and constructions a function body evaluates when it runs, in
/// source order: lambda bodies, local classes and unevaluated operands
/// (sizeof, decltype, noexcept) are skipped; lambda init-captures are kept.
void forEachEvaluatedCall(const clang::Stmt *Body,
                          llvm::function_ref<bool(const clang::Expr &)> Visit);

/// S is an operand that is never evaluated: sizeof, noexcept, a
/// requires-expression, typeid of a non-polymorphic type.
bool isUnevaluatedOperand(const clang::Stmt &S);

/// True if E sits in an unevaluated operand (sizeof, noexcept, typeid of a
/// non-polymorphic type, a requires-expression) below Ctx's enclosing function.
bool isInUnevaluatedOperand(const clang::Expr &E, clang::ASTContext &Ctx);

} // namespace corotidy
