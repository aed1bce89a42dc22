//===--- Independence.h - do two awaited calls depend on each other? -------===//
//
// What a statement or call touches (variables it reads, objects it reaches
// through a reference, pointer or member call), and from that whether two
// awaited calls may run concurrently: the later call must not read what the
// earlier statement defines, and the two must not share a mutable object.
// Purely syntactic and conservative: anything it cannot see through counts
// as a dependence.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace corotidy {

/// An object reached through a reference: a variable or `this`, narrowed by
/// a member path ("this.db_", "svc.cache"). Pointers and the objects they
/// point to are one object (p and *p, p->x and p.x).
struct ObjectRef {
  const clang::ValueDecl *Root = nullptr; ///< null: `this`
  std::string Path;                       ///< ".member.member", empty: whole
  bool Mutable = false;                   ///< reached as non-const

  /// Same root, and one path is the other or a prefix of it.
  bool overlaps(const ObjectRef &Other) const;
  bool isRootedAt(const clang::ValueDecl *D) const { return Root == D; }
};

/// What a statement or an expression touches. Lambdas inside count with what
/// they name and capture; their own suspensions and returns do not.
struct Accesses {
  /// Every variable named (read, written or referenced).
  llvm::SmallPtrSet<const clang::ValueDecl *, 8> Reads;
  /// Objects reached by reference: call arguments bound to references or
  /// pointers, receivers of member calls, assignment targets, address-of.
  llvm::SmallVector<ObjectRef, 4> Objects;
  /// Contains a co_await / co_yield (an ordering point).
  bool Suspends = false;
  /// Leaves or jumps: return, co_return, throw, break, continue, goto, or is
  /// a jump target (label, case).
  bool Exits = false;

  bool reads(const clang::ValueDecl *D) const { return Reads.contains(D); }
  /// Some mutable object access of this overlaps Ref, or (for a mutable
  /// Ref) any access of this does.
  bool conflictsWith(const ObjectRef &Ref) const;
  /// A mutable access here touches a variable of Vars (by name or object).
  bool mutatesAnyOf(const llvm::SmallPtrSetImpl<const clang::ValueDecl *> &Vars) const;
  void add(const Accesses &Other);
};

/// One awaited call of a candidate run.
struct AwaitStep {
  Accesses Call;
  /// Variables the statement declares or assigns with the awaited result.
  llvm::SmallPtrSet<const clang::ValueDecl *, 2> Defines;
  /// Fields of local variables it assigns (`s.users = co_await f();`).
  llvm::SmallVector<ObjectRef, 1> DefinesFields;
};

enum class DependenceKind {
  None,
  ReadsResult,  ///< the later call reads a variable the earlier one defines
  SameTarget,   ///< both statements define the same variable (or field)
  SharedObject, ///< both reach one object, at least one of them mutably
};

struct Dependence {
  DependenceKind Kind = DependenceKind::None;
  const clang::ValueDecl *Var = nullptr; ///< the variable involved, if any
  explicit operator bool() const { return Kind != DependenceKind::None; }
};

class Independence {
public:
  /// Objects of ConcurrencySafeTypes (and of classes derived from them) may
  /// be shared by concurrent calls: their accesses are not recorded.
  explicit Independence(NameSet ConcurrencySafeTypes)
      : ConcurrencySafe(std::move(ConcurrencySafeTypes)) {}

  Accesses accessesOf(const clang::Stmt &S) const;

  /// Why Later may not run concurrently with Earlier (None if it may).
  Dependence dependence(const AwaitStep &Earlier, const AwaitStep &Later) const;

  /// The type (or the type it points to) is listed as concurrency-safe.
  bool isConcurrencySafe(clang::QualType T) const;

private:
  NameSet ConcurrencySafe;
};

/// The object an lvalue expression names (x, this->m, p->m, *p, a[i], sp->m).
std::optional<ObjectRef> objectOf(const clang::Expr *E);

/// `s.a.b` where s is a local variable held by value (not a reference or a
/// pointer, not static): the field it names, rooted at s. The awaited result
/// assigned there is the coroutine's own, like a local variable's.
std::optional<ObjectRef> localFieldOf(const clang::Expr *E);

} // namespace corotidy
