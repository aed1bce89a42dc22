//===--- Roles.h - framework roles recognised by their shape ---------------===//
//
// Most teams write their own coroutine framework, so the rules cannot name
// every when_all, spawn, task_group, sync_wait or mutex. RoleInference reads
// a declaration's shape instead:
//   combinator   takes a pack, several, or a range of tasks (or, in a template,
//                a pack or range a concept constrains awaitable); returns an
//                awaitable
//   bounded      a combinator that also takes an integral limit, or a range, a
//                limit and a callable that produces tasks
//   spawn        not a coroutine, takes a task by value or rvalue reference,
//                returns nothing awaitable; a parameter callable with
//                std::exception_ptr is its error handler
//   scope        a class with a spawn-shaped member and an awaitable join: a
//                member taking no argument, not named like a hop, a sleep or
//                an acquisition (Inference.NonJoinNames: schedule(), yield())
//   sync-wait    not a coroutine, takes a task of T and returns T
//   ordering     a member named like an acquisition (rules: Inference.
//                AcquisitionNames) or a sleep-shaped function (takes a
//                std::chrono duration or time_point) that returns an awaitable
//   limiter      the acquisition of a counting semaphore: a class
//                constructible from an integral permit count, with an
//                acquisition returning an awaitable and a release-named member
//                (Inference.ReleaseNames) taking nothing or a count, or an
//                acquisition yielding a guard.
//                A mutex (no count) is no limiter.
// The rules always win; these answers fill the gaps. Answers are cached per
// declaration for the life of its ASTContext.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"

#include <optional>

namespace corotidy {

/// The roles a function has by its shape.
struct FunctionRoles {
  bool Combinator = false;
  bool Bounded = false;
  /// Awaiting its result orders execution (a lock, a sleep, a hop).
  bool Ordering = false;
  /// Awaiting it takes a permit of a counting semaphore: it caps concurrency.
  bool Limiter = false;
  /// Set for a spawn: HandlerArg and Scoped filled in, Name is the rule name.
  std::optional<SpawnRule> Spawn;
  /// Set for a sync-wait: category sync-wait, no fix-it.
  std::optional<BlockingRule> SyncWait;
};

/// The roles a class has by its shape.
struct RecordRoles {
  /// task_group-like: a spawn-shaped member and an awaitable join.
  bool Scope = false;
  /// Has an acquisition-named member returning an awaitable (a mutex).
  bool Ordering = false;
  /// A counting semaphore: its acquisition members are limiters.
  bool CountingSemaphore = false;
};

/// Declared in std or in an implementation namespace (detail, impl,
/// internal, __*): no role is inferred there, and --infer-rules skips it.
bool isImplementationDetail(const clang::Decl *D);

/// An integral type other than bool: what a concurrency limit or a count of
/// permits is written as (a bool is a flag, not a count).
bool isCountType(clang::QualType T, const clang::ASTContext &Ctx);

class RoleInference {
public:
  RoleInference(const CoroutineModel &Model, const InferenceRule &Rule);

  /// Roles of a function (or an instantiation: its pattern's shape counts).
  /// Empty when inference is switched off for it.
  const FunctionRoles &rolesOf(const clang::FunctionDecl *FD) const;
  const RecordRoles &rolesOf(const clang::CXXRecordDecl *RD) const;

  /// A rules entry (Inference.Off) names D, a class or namespace around it.
  bool isSwitchedOff(const clang::Decl *D) const;

  /// A type whose object is kept only for its destructor (a lock guard):
  /// a class, not a task, with a user-provided destructor.
  bool isGuardType(clang::QualType T) const;

private:
  FunctionRoles computeRoles(const clang::FunctionDecl *FD) const;
  RecordRoles computeRoles(const clang::CXXRecordDecl *RD) const;
  bool isSpawnShaped(const clang::FunctionDecl *FD) const;
  bool isSyncWaitShaped(const clang::FunctionDecl *FD) const;
  bool blocksDirectly(const clang::FunctionDecl *FD) const;
  bool hasSyncWaitTemplateSibling(const clang::FunctionDecl *FD) const;
  bool isCombinatorShaped(const clang::FunctionDecl *FD) const;
  bool isBoundedShaped(const clang::FunctionDecl *FD) const;
  bool isOrderingShaped(const clang::FunctionDecl *FD) const;
  bool isAcquisition(const clang::FunctionDecl *FD) const;
  bool isCountingSemaphoreShaped(const clang::CXXRecordDecl *Def) const;
  std::optional<unsigned> handlerIndex(const clang::FunctionDecl *FD) const;
  std::optional<unsigned> overloadHandlerIndex(const clang::FunctionDecl *FD) const;
  bool returnsAwaitable(const clang::FunctionDecl *FD) const;
  bool isTaskRange(clang::QualType T) const;

  const CoroutineModel &Model;
  NameSet Off;
  llvm::StringSet<> AcquisitionNames;
  llvm::StringSet<> ReleaseNames;
  llvm::StringSet<> NonJoinNames;
};

} // namespace corotidy
