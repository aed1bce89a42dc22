//===--- CoroutineCallers.h - who calls a coroutine, does it run once? ----===//
//
// A coroutine that runs once (started from main, or handed to a sync-wait
// such as asyncrt::run or sync_wait) may set up expensive state freely; one
// that runs per unit of work pays for it on every call. CoroutineCallers
// records, over one translation unit, who calls each task-returning function
// and whether that call is an entry point, and answers whether a coroutine
// is visibly run once. Callers outside the TU are unknown: "not visibly run
// once" is the answer then, never a guess.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

namespace corotidy {

/// The call is (inside) an argument of a sync-wait (a blocking rule of
/// category sync-wait: asyncrt::run, sync_wait, block_on, one by shape): the
/// coroutine it starts runs to completion once.
bool isSyncWaitArgument(const clang::CallExpr &Call, const CoroutineModel &Model,
                        clang::ASTContext &Ctx);

class CoroutineCallers {
public:
  explicit CoroutineCallers(const CoroutineModel &Model) : Model(Model) {}

  /// Records Call if its callee returns a task: who makes it, and whether it
  /// is an entry (made in main, or passed to a sync-wait).
  void record(const clang::CallExpr &Call, clang::ASTContext &Ctx);

  /// Coroutine is called from main or a sync-wait, or only from coroutines
  /// that are. A cycle of calls (recursion) is not an entry by itself.
  bool runsOnce(const clang::FunctionDecl *Coroutine) const;

  /// Forgets every call (at the start of a translation unit).
  void clear() { Callers.clear(); }

  /// The declaration calls are recorded under: every instantiation of a
  /// template and every redeclaration share it.
  static const clang::FunctionDecl *canonicalPattern(const clang::FunctionDecl *FD);

private:
  struct CallerSite {
    const clang::FunctionDecl *Caller;
    bool Entry;
  };

  bool runsOnce(const clang::FunctionDecl *Coroutine,
                llvm::SmallPtrSetImpl<const clang::FunctionDecl *> &Seen) const;

  const CoroutineModel &Model;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<CallerSite, 2>> Callers;
};

} // namespace corotidy
