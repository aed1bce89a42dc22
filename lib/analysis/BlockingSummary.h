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
    /// `wait_for(0s)` / `wait_until(clock::now())` poll: not blocking.
    bool ZeroTimeoutPolls = true;
    /// Operations on a file stream the same function declares that block
    /// like its construction (`std::getline(in, line)`, `in >> x`): leaf
    /// names of functions, members and operators ("getline", "operator>>").
    NameSet FileStreamOperations;
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
  /// The same, whatever the options say.
  bool endsBeforeSuspension(const clang::Expr &Site, const clang::FunctionDecl &FD) {
    return Locks.isShortSection(Site, FD);
  }

  /// How FD blocks (transitively), or null if no blocking call is reachable
  /// within MaxCallDepth. FD must be followable.
  const BlockingPath *pathFrom(const clang::FunctionDecl *FD);

  /// The rule of the file stream a read like `std::getline(in, line)`,
  /// `in >> x` or `in.read(b, n)` works on, when that stream is a local
  /// variable of the calling function (so it was opened there: a file, not
  /// a string stream or std::cin). Null otherwise.
  const BlockingRule *fileStreamRule(const clang::Expr &CallOrConstruct) const;

  /// Whether FD (a followable function) can run on another thread as it is:
  /// a free function or static member whose parameters are values or
  /// references/pointers to const, that names no mutable global, static or
  /// thread_local variable of the program, and whose calls are blocking-rule
  /// functions, library functions, or functions safe in the same sense.
  bool isSafeToOffload(const clang::FunctionDecl *FD);

  /// Forget everything (a new TU).
  void clear() {
    Memo.clear();
    Scratch.clear();
    OffloadSafe.clear();
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
  /// A call or construction isSafeToOffload accepts in a helper's body.
  bool isOffloadableCall(const clang::Expr &CallOrConstruct);
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
  /// isSafeToOffload's answers (false while a function is being looked at:
  /// a recursive helper is not offloaded).
  llvm::DenseMap<const clang::FunctionDecl *, bool> OffloadSafe;
};

/// A timed wait whose timeout is zero: `f.wait_for(0s)`,
/// `cv.wait_for(lock, std::chrono::seconds{0})`, `f.wait_until(clock::now())`
/// (a function named *_for or *_until given a zero std::chrono::duration or
/// a clock's now()). It polls and returns at once.
bool isZeroTimeoutPoll(const clang::CallExpr &Call);

/// `f.get()` on a future the code has just polled ready, so it returns at
/// once: inside `if (f.wait_for(0s) == std::future_status::ready) ...`, or
/// after `if (f.wait_for(0s) != std::future_status::ready) return ...;` in
/// the same block.
bool isGetAfterReadyPoll(const clang::CallExpr &Call, clang::ASTContext &Ctx);

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
