//===--- Launches.h - detached launches and where their errors go ---------===//
//
// A launch is a call to a spawn function named in the rules (co_spawn,
// asyncrt::spawn, task_group::spawn, std::async). Where its exceptions end up
// is decided by the rule: a handler argument, a detached token, a scope that
// joins, or the returned object.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "clang/AST/Expr.h"

#include <optional>

namespace corotidy {

/// Where a launch's exceptions go.
enum class ErrorRoute {
  Handler,      ///< a handler argument receives them
  DetachedToken,///< the handler argument is a token that discards them
  MissingHandler, ///< the function takes a handler, but none was passed
  NoChannel,    ///< the function has no way to report them
  Scope,        ///< a scope's join() rethrows them
  Result,       ///< the returned object carries them (std::async's future)
  Promise,      ///< no channel, but the task's promise reports or rethrows them
};

struct Launch {
  const clang::CallExpr *Call = nullptr;
  const SpawnRule *Rule = nullptr;
  /// The framework whose rules name the spawn function.
  const FrameworkRule *Framework = nullptr;
  ErrorRoute Route = ErrorRoute::NoChannel;
  /// The handler argument, for Handler and DetachedToken (a
  /// CXXDefaultArgExpr when the caller left it out).
  const clang::Expr *Handler = nullptr;
  /// The argument that is (or produces) the launched work: a task-typed
  /// expression or a callable; null if none is recognisable.
  const clang::Expr *Work = nullptr;
};

/// The launch a call makes, if its callee is a spawn function.
std::optional<Launch> classifyLaunch(const clang::CallExpr &Call,
                                     const CoroutineModel &Model);

/// The function whose body the launched work runs, when it is visible: the
/// callee of `spawn(f(x))`, or a lambda's call operator.
const clang::FunctionDecl *launchedFunction(const clang::Expr *Work);

/// The launched function handles its own failures: its body is one try
/// block whose handlers include catch (...) or catch (std::exception&), and
/// no handler rethrows. Its exceptions never reach the launch's error route.
bool handlesOwnExceptions(const clang::FunctionDecl *Launched);

/// An error handler that never looks at the error: a lambda (or a function
/// named by reference) whose std::exception_ptr parameter is unnamed or
/// never used (`[](std::exception_ptr) {}`); for a generic lambda, its first
/// parameter. Such a handler loses the exception like a detached token.
bool handlerIgnoresError(const clang::Expr *Handler);

/// The promise of this task type does something with an escaping exception
/// that outlives the frame: throws, terminates, or hands it to a function
/// that is not one of its own members (a logger, a reporter). Storing it in
/// the promise (which a detached frame takes with it) routes nothing.
bool promiseRoutesErrors(const clang::CXXRecordDecl *Task,
                         const CoroutineModel &Model);

/// The framework whose rules list this spawn rule.
const FrameworkRule *frameworkOfSpawnRule(const RuleSet &Rules,
                                          const SpawnRule *Rule);

} // namespace corotidy
