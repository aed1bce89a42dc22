//===--- UnawaitedTaskCheck.cpp - async-unawaited-task ---------------------===//

#include "UnawaitedTaskCheck.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

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
  // Nothing in a system header is ever reported: skip it before any work.
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  // Only calls whose value is a class object can be tasks; the rest of the
  // decision needs the model, so it happens in check().
  Finder->addMatcher(
      callExpr(NotInSystemHeader,
               hasType(hasUnqualifiedDesugaredType(recordType())))
          .bind("call"),
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

namespace {

enum class Lookup { Found, Missing, Unknown };

/// Whether RD or one of its bases declares Name; Unknown when a class on the
/// way has no definition to read (a dependent base, say).
Lookup lookupMember(const CXXRecordDecl *RD, DeclarationName Name) {
  if (!RD || !(RD = RD->getDefinition()))
    return Lookup::Unknown;
  if (!RD->lookup(Name).empty())
    return Lookup::Found;
  Lookup Result = Lookup::Missing;
  for (const CXXBaseSpecifier &Base : RD->bases()) {
    Lookup InBase = lookupMember(Base.getType()->getAsCXXRecordDecl(), Name);
    if (InBase == Lookup::Found)
      return InBase;
    if (InBase == Lookup::Unknown)
      Result = InBase;
  }
  return Result;
}

/// await_suspend takes any coroutine: coroutine_handle<> or coroutine_handle<P>
/// for a template parameter P. asio::awaitable's takes only asio's own frames.
bool acceptsAnyCoroutine(const FunctionDecl *AwaitSuspend) {
  if (!AwaitSuspend || AwaitSuspend->getNumParams() != 1)
    return false;
  QualType Handle =
      AwaitSuspend->getParamDecl(0)->getType().getNonReferenceType().getCanonicalType();
  QualType Promise;
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          Handle->getAsCXXRecordDecl())) {
    if (Spec->getTemplateArgs().size() == 1 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      Promise = Spec->getTemplateArgs()[0].getAsType();
  } else if (const auto *Dependent = Handle->getAs<TemplateSpecializationType>()) {
    if (Dependent->template_arguments().size() == 1 &&
        Dependent->template_arguments()[0].getKind() == TemplateArgument::Type)
      Promise = Dependent->template_arguments()[0].getAsType();
  }
  return !Promise.isNull() &&
         (Promise->isVoidType() || Promise->getAs<TemplateTypeParmType>());
}

/// The task can be awaited by any coroutine: it has an operator co_await
/// (its awaiter's details are out of reach), or an await_suspend that takes
/// any coroutine handle.
bool hasGenericAwaiter(const CXXRecordDecl *Task) {
  if (!Task || !(Task = Task->getDefinition()))
    return false;
  ASTContext &Ctx = Task->getASTContext();
  if (lookupMember(Task, Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait)) ==
      Lookup::Found)
    return true;
  for (const NamedDecl *D : Task->lookup(&Ctx.Idents.get("await_suspend"))) {
    const FunctionDecl *FD = D->getAsFunction();
    if (acceptsAnyCoroutine(FD))
      return true;
  }
  return false;
}

/// `co_await a && b` would await only `a`.
bool needsParens(const CallExpr &Call) {
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
  return Op && Op->isInfixBinaryOp();
}

std::string describeTask(const FunctionDecl *Callee) {
  if (!Callee)
    return "task";
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee);
      Method && Method->getParent()->isLambda())
    return "task returned by the lambda";
  return "task returned by '" + Callee->getNameAsString() + "'";
}

} // namespace

const CXXRecordDecl *
UnawaitedTaskCheck::promiseOf(const FunctionDecl *Coroutine) const {
  if (const auto *Body = dyn_cast_or_null<CoroutineBodyStmt>(Coroutine->getBody()))
    if (const VarDecl *Promise = Body->getPromiseDecl();
        Promise && !Promise->getType()->isDependentType())
      return Promise->getType()->getAsCXXRecordDecl();
  // In a template's pattern the promise is dependent (coroutine_traits takes
  // the parameter types): read the return type's.
  TaskInfo Returned = model().classifyType(Coroutine->getReturnType());
  return Returned ? model().promiseOf(Returned.Record) : nullptr;
}

bool UnawaitedTaskCheck::isAwaitableIn(const TaskInfo &Info,
                                       const FunctionDecl *Coroutine) const {
  // A framework's tasks can be awaited in its own coroutines.
  if (CoroutineModel::isSameTaskFamily(
          Info.Record,
          model().classifyType(Coroutine->getReturnType()).Record))
    return true;
  const CXXRecordDecl *Promise = promiseOf(Coroutine);
  if (!Promise)
    return false;
  bool Generic = hasGenericAwaiter(Info.Record);
  switch (lookupMember(Promise,
                       &Coroutine->getASTContext().Idents.get("await_transform"))) {
  case Lookup::Missing:
    return Generic;
  case Lookup::Unknown:
    return false;
  case Lookup::Found:
    // await_transform decides what may be awaited; the rules say whether a
    // framework's accepts any awaitable (asyncrt's does).
    return Generic && model().acceptsAsyncrtFixes(Coroutine);
  }
  return false;
}

void UnawaitedTaskCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  // A call returning a reference (a getter) leaves the task with its owner.
  if (!Call->isPRValue() || Call->getType()->isDependentType() ||
      Call->getBeginLoc().isInvalid())
    return;
  const TaskInfo &Info = taskInfo(Call->getType());
  if (!Info || !isDropped(*Call, Info, *Result.Context))
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee && Ignored.matches(Callee))
    return;

  const SourceManager &SM = *Result.SourceManager;
  SourceLocation Start = CoroutineModel::callStart(*Call);
  SourceLocation Loc = SM.getFileLoc(Start);
  if (!Reported.insert(Loc).second)
    return;

  ASTContext &Ctx = *Result.Context;
  const FunctionDecl *Coroutine = CoroutineModel::enclosingCoroutine(*Call, Ctx);
  bool InHandler = Coroutine && CoroutineModel::isInCatchHandler(*Call, Ctx);
  bool Fix = Coroutine && !InHandler && !Start.isMacroID() &&
             !CoroutineModel::callEnd(*Call).isMacroID() &&
             isAwaitableIn(Info, Coroutine);

  {
    std::string What = describeTask(Callee);
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
      return diag(Loc, "%0 is never awaited: it never runs if it is lazy, "
                       "and loses its exceptions if it is eager")
             << What;
    }();
    if (Fix && needsParens(*Call)) {
      D << FixItHint::CreateInsertion(Start, "co_await (")
        << FixItHint::CreateInsertion(
               Lexer::getLocForEndOfToken(CoroutineModel::callEnd(*Call), 0, SM,
                                          getLangOpts()),
               ")");
    } else if (Fix) {
      D << FixItHint::CreateInsertion(Start, "co_await ");
    }
  }
  if (Fix)
    return;
  if (!Coroutine)
    diag(Loc, "this function is not a coroutine: return the task, or hand it "
              "to a task_group or spawn with an error handler",
         DiagnosticIDs::Note);
  else if (InHandler)
    diag(Loc, "co_await is not allowed in a catch handler: store the task and "
              "await it after the handler",
         DiagnosticIDs::Note);
  else
    diag(Loc, "await it, store it and await it later, or hand it to when_all "
              "or a task_group",
         DiagnosticIDs::Note);
}

} // namespace corotidy::checks
