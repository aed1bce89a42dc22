//===--- CoroutineCallers.cpp - who calls a coroutine, does it run once? --===//

#include "CoroutineCallers.h"

using namespace clang;

namespace corotidy {

bool isSyncWaitArgument(const CallExpr &Call, const CoroutineModel &Model, ASTContext &Ctx) {
  // Up through the enclosing expressions of the same statement:
  // `run(main_task(x))`, or a conversion or wrapper call in between.
  for (const Stmt *P = CoroutineModel::parentStmt(DynTypedNode::create(Call), Ctx);
       P && isa<Expr>(P); P = CoroutineModel::parentStmt(DynTypedNode::create(*P), Ctx))
    if (const auto *Outer = dyn_cast<CallExpr>(P)) {
      const auto *Member = dyn_cast<CXXMemberCallExpr>(Outer);
      const BlockingRule *Rule = Member ? Model.blockingRule(*Member)
                                        : Model.blockingRule(Outer->getDirectCallee());
      if (Rule && Rule->Category == "sync-wait")
        return true;
    }
  return false;
}

const FunctionDecl *CoroutineCallers::canonicalPattern(const FunctionDecl *FD) {
  const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();
  return (Pattern ? Pattern : FD)->getCanonicalDecl();
}

void CoroutineCallers::record(const CallExpr &Call, ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Model.classifyType(Callee->getReturnType()))
    return;
  const FunctionDecl *Caller = CoroutineModel::enclosingFunction(Call, Ctx);
  if (!Caller)
    return;
  bool Entry = Caller->isMain() || isSyncWaitArgument(Call, Model, Ctx);
  Callers[canonicalPattern(Callee)].push_back({canonicalPattern(Caller), Entry});
}

bool CoroutineCallers::runsOnce(const FunctionDecl *Coroutine) const {
  llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
  return Coroutine && runsOnce(canonicalPattern(Coroutine), Seen);
}

bool CoroutineCallers::runsOnce(const FunctionDecl *Coroutine,
                                llvm::SmallPtrSetImpl<const FunctionDecl *> &Seen) const {
  // A function met again on this walk is part of a cycle: no entry that way.
  if (!Seen.insert(Coroutine).second)
    return false;
  auto It = Callers.find(Coroutine);
  if (It == Callers.end())
    return false;
  return llvm::any_of(It->second, [&](const CallerSite &C) {
    return C.Entry || (CoroutineModel::isCoroutine(C.Caller) && runsOnce(C.Caller, Seen));
  });
}

} // namespace corotidy
