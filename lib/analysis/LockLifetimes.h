//===--- LockLifetimes.h - thread-lock critical sections and suspensions --===//
//
// A coroutine may share state with other threads through a std::mutex: a
// short critical section that ends before the next co_await is fine, one that
// stays locked across a suspension point stalls (or deadlocks) every other
// user of the mutex and may unlock it from another thread. LockLifetimes finds
// each critical section of a function body (a lock guard's lifetime, or a
// manual lock()...unlock() pair) and the suspension points reached while it is
// held. Which classes are guards and mutexes is rules data (rules/locks.yaml).
//
// The walk is in source order through one function body, so a release on
// one branch only (`if (c) lk.unlock();`) counts as a release: the analysis
// may miss a lock held across an await, it does not invent one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace corotidy {

/// One critical section in a function body.
struct CriticalSection {
  /// The guard's construction or the mutex's lock() call.
  const clang::Expr *Acquisition = nullptr;
  /// The guard variable; null for a manual lock() and a temporary guard.
  const clang::VarDecl *Guard = nullptr;
  /// The locked mutex as written ("m", "this->state_.mu"), for messages.
  std::string Mutex;
  /// The section is known to end in this function: the guard's scope, an
  /// unlock()/release()/move of the guard, or the mutex's unlock().
  bool EndsInFunction = false;
  /// co_await / co_yield expressions reached while it is held, in order.
  llvm::SmallVector<const clang::Expr *, 2> Suspensions;
};

class LockLifetimes {
public:
  explicit LockLifetimes(const RuleSet &Rules);

  /// Is E the construction of a lock guard that takes its mutex, or a call
  /// of a mutex's acquire member (m.lock())?
  bool isAcquisition(const clang::Expr &E) const;

  /// The critical sections of FD's body (memoised per function).
  const std::vector<CriticalSection> &sectionsOf(const clang::FunctionDecl &FD);

  /// The critical section Acquisition (an isAcquisition() expression in FD's
  /// body) starts, or null when the analysis does not follow it.
  const CriticalSection *sectionAt(const clang::Expr &Acquisition,
                                   const clang::FunctionDecl &FD);

  /// Acquisition starts a section that ends in FD before any suspension
  /// point: the "short critical section" async-blocking-call leaves alone.
  bool isShortSection(const clang::Expr &Acquisition, const clang::FunctionDecl &FD);

  /// Forget everything (a new TU).
  void clear() { Memo.clear(); }

private:
  const LockGuardRule *guardRule(const clang::CXXRecordDecl *Record) const;
  const MutexRule *mutexRule(clang::QualType ObjectType) const;

  RuleNameMap<const LockGuardRule *> Guards;
  RuleNameMap<const MutexRule *> Mutexes;
  NameSet NonAcquiringTags;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<CriticalSection>> Memo;

  friend class SectionWalker;
};

} // namespace corotidy
