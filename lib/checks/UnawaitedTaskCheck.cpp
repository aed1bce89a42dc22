//===--- UnawaitedTaskCheck.cpp - async-unawaited-task ---------------------===//

#include "UnawaitedTaskCheck.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

UnawaitedTaskCheck::UnawaitedTaskCheck(StringRef Name,
                                       tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      IgnoredFunctions(splitList(Options.get("IgnoredFunctions", ""))),
      Ignored(IgnoredFunctions) {}

void UnawaitedTaskCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "IgnoredFunctions", joinList(IgnoredFunctions));
}

void UnawaitedTaskCheck::onStartOfTranslationUnit() {
  TypeCache.clear();
  Reported.clear();
}

void UnawaitedTaskCheck::registerMatchers(MatchFinder *Finder) {
  // Only calls whose value is a class object can be tasks; the rest of the
  // decision needs the model, so it happens in check().
  Finder->addMatcher(
      callExpr(hasType(hasUnqualifiedDesugaredType(recordType()))).bind("call"),
      this);
}

const TaskInfo &UnawaitedTaskCheck::taskInfo(QualType T) {
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto [It, Inserted] = TypeCache.try_emplace(Key);
  if (Inserted)
    It->second = model().classifyType(T);
  return It->second;
}

bool UnawaitedTaskCheck::isDropped(const CallExpr &Call, const TaskInfo &Info,
                                   ASTContext &Ctx) const {
  switch (CoroutineModel::useOf(Call, Ctx)) {
  case ValueUse::Discarded:
    return true;
  case ValueUse::VoidCast:
    // (void) says "I mean to drop it": fine for an eager task, which runs
    // anyway; a lazy one still never runs.
    return Info.Lazy == Laziness::Lazy;
  default:
    return false;
  }
}

bool UnawaitedTaskCheck::canInsertAwait(const CallExpr &Call,
                                        const FunctionDecl *Coroutine,
                                        ASTContext &Ctx) const {
  if (!Coroutine || Call.getBeginLoc().isMacroID())
    return false;
  // co_await is ill-formed inside a catch handler.
  DynTypedNodeList Parents = Ctx.getParents(Call);
  while (!Parents.empty()) {
    if (Parents[0].get<CXXCatchStmt>())
      return false;
    if (Parents[0].get<FunctionDecl>() || Parents[0].get<LambdaExpr>())
      return true;
    Parents = Ctx.getParents(Parents[0]);
  }
  return true;
}

void UnawaitedTaskCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (Call->getType()->isDependentType() || Call->getBeginLoc().isInvalid())
    return;
  const TaskInfo &Info = taskInfo(Call->getType());
  if (!Info || !isDropped(*Call, Info, *Result.Context))
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee && Ignored.matches(Callee))
    return;

  const SourceManager &SM = *Result.SourceManager;
  SourceLocation Loc = SM.getFileLoc(Call->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;

  std::string What = Callee && Callee->getDeclName().isIdentifier()
                         ? ("task returned by '" + Callee->getName() + "'").str()
                         : "task";
  const FunctionDecl *Coroutine =
      CoroutineModel::enclosingCoroutine(*Call, *Result.Context);
  bool Fix = canInsertAwait(*Call, Coroutine, *Result.Context);

  {
    auto D = [&] {
      switch (Info.Lazy) {
      case Laziness::Lazy:
        return diag(Loc, "%0 is never awaited: it is lazy, so it never runs")
               << What;
      case Laziness::Eager:
        return diag(Loc, "%0 is never awaited: it is eager, so it runs "
                         "detached; its exceptions are lost")
               << What;
      case Laziness::Unknown:
        break;
      }
      return diag(Loc, "%0 is never awaited: its result and its exceptions "
                       "are lost")
             << What;
    }();
    if (Fix)
      D << FixItHint::CreateInsertion(Call->getBeginLoc(), "co_await ");
  }
  if (!Fix) {
    if (Coroutine)
      diag(Loc, "await it, store it and await it later, or hand it to "
                "when_all or a task_group",
           DiagnosticIDs::Note);
    else
      diag(Loc, "this function is not a coroutine: return the task, or "
                "hand it to a task_group or spawn with an error handler",
           DiagnosticIDs::Note);
  }
}

} // namespace corotidy::checks
