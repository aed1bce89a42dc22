//===--- DroppedExceptionCheck.cpp - async-dropped-exception ---------------===//

#include "DroppedExceptionCheck.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

constexpr llvm::StringLiteral DefaultErrorHandler =
    "[](std::exception_ptr e) { if (e) std::rethrow_exception(e); }";

/// The class a member or specialisation was instantiated from, so that a
/// template's promise type is one entity however often it is instantiated.
const CXXRecordDecl *patternOf(const CXXRecordDecl *RD) {
  while (RD) {
    if (const CXXRecordDecl *Member = RD->getInstantiatedFromMemberClass()) {
      RD = Member;
      continue;
    }
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
        Spec && !Spec->isExplicitSpecialization()) {
      RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
      continue;
    }
    break;
  }
  return RD ? RD->getCanonicalDecl() : nullptr;
}

/// Does this unhandled_exception() body do anything with the exception?
/// Conservative: any call, throw or non-trivial construction may store,
/// rethrow, report or terminate, so it counts as handling.
bool mayHandle(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CallExpr, CXXThrowExpr, CXXNewExpr, CXXDeleteExpr,
          CXXUnresolvedConstructExpr, UnresolvedLookupExpr,
          UnresolvedMemberExpr, CXXDependentScopeMemberExpr, AsmStmt>(S))
    return true;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S))
    if (!Construct->getConstructor()->isTrivial())
      return true;
  for (const Stmt *Child : S->children())
    if (mayHandle(Child))
      return true;
  return false;
}

/// True if the launched work completes with no value (awaitable<void>), so a
/// handler taking only the std::exception_ptr fits its completion signature.
bool completesWithoutValue(const Launch &L, const CoroutineModel &Model) {
  if (!L.Work)
    return false;
  QualType T = L.Work->getType();
  if (const auto *Lambda = dyn_cast<LambdaExpr>(CoroutineModel::ignoreValueWrappers(L.Work)))
    T = Lambda->getCallOperator()->getReturnType();
  TaskInfo Info = Model.classifyType(T);
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(Info.Record);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  return Spec->getTemplateArgs()[0].getAsType()->isVoidType();
}

std::string calleeName(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  return Callee && Callee->getDeclName().isIdentifier() ? Callee->getName().str()
                                                         : "the launch";
}

} // namespace

DroppedExceptionCheck::DroppedExceptionCheck(StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      ErrorHandler(Options.get("ErrorHandler", DefaultErrorHandler).str()),
      IgnoringHandlers(Options.get("IgnoringHandlers", true)) {}

void DroppedExceptionCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "ErrorHandler", ErrorHandler);
  Options.store(Opts, "IgnoringHandlers", IgnoringHandlers);
}

void DroppedExceptionCheck::onStartOfTranslationUnit() {
  Reported.clear();
  Swallowing.clear();
  Users.clear();
  SM = nullptr;
}

void DroppedExceptionCheck::registerMatchers(MatchFinder *Finder) {
  // Nothing in a system header is ever reported: skip it before any work.
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  // Launches: which calls are spawns is data, decided in check().
  Finder->addMatcher(callExpr(NotInSystemHeader).bind("call"), this);
  // Eager tasks and futures kept in a variable nobody looks at.
  Finder->addMatcher(varDecl(hasLocalStorage(), unless(parmVarDecl()),
                             hasInitializer(expr()), NotInSystemHeader)
                         .bind("var"),
                     this);
  Finder->addMatcher(
      cxxMethodDecl(hasName("unhandled_exception"), isDefinition())
          .bind("handler"),
      this);
  Finder->addMatcher(functionDecl(hasBody(coroutineBodyStmt())).bind("coroutine"),
                     this);
}

bool DroppedExceptionCheck::firstReport(const SourceManager &SM,
                                        SourceLocation Loc) {
  return Loc.isValid() && Reported.insert(SM.getFileLoc(Loc)).second;
}

void DroppedExceptionCheck::addHandlerIncludes(DiagnosticBuilder &D,
                                               const SourceManager &SM,
                                               SourceLocation Loc) {
  if (StringRef(ErrorHandler).contains("std::"))
    if (auto Include = includeFix(SM, Loc, "<exception>"))
      D << *Include;
}

void DroppedExceptionCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call"))
    return checkLaunch(*Call, Result);
  if (const auto *Var = Result.Nodes.getNodeAs<VarDecl>("var"))
    return checkStoredVariable(*Var, Result);
  if (const auto *Handler = Result.Nodes.getNodeAs<CXXMethodDecl>("handler"))
    return notePromise(*Handler);
  if (const auto *Coroutine = Result.Nodes.getNodeAs<FunctionDecl>("coroutine"))
    return countCoroutine(*Coroutine, *Result.SourceManager);
}

void DroppedExceptionCheck::checkLaunch(const CallExpr &Call,
                                        const MatchFinder::MatchResult &Result) {
  if (Call.getBeginLoc().isInvalid() || Call.isTypeDependent())
    return;
  std::optional<Launch> L = classifyLaunch(Call, model());
  if (!L)
    return;
  const SourceManager &SM = *Result.SourceManager;
  const LangOptions &LO = Result.Context->getLangOpts();
  std::string Name = calleeName(Call);
  SourceLocation Loc = CoroutineModel::callStart(Call);
  bool InMacro = Call.getBeginLoc().isMacroID() || Call.getEndLoc().isMacroID();

  // A launched coroutine that catches everything itself loses nothing.
  if (handlesOwnExceptions(launchedFunction(L->Work)))
    return;

  switch (L->Route) {
  case ErrorRoute::Handler:
    if (!IgnoringHandlers || !handlerIgnoresError(L->Handler) ||
        !firstReport(SM, Loc))
      return;
    diag(Loc, "the error handler passed to '%0' never reads its "
              "std::exception_ptr: a failure vanishes silently, as with "
              "a detached launch")
        << Name;
    diag(L->Handler->getBeginLoc(),
         "rethrow or report the exception here (or catch inside the task)",
         DiagnosticIDs::Note);
    return;
  case ErrorRoute::Scope:
  case ErrorRoute::Promise:
    return;
  case ErrorRoute::Result: {
    ValueUse Use = CoroutineModel::useOf(Call, *Result.Context);
    if (Use != ValueUse::Discarded && Use != ValueUse::VoidCast)
      return; // kept: checkStoredVariable looks at variables
    if (!firstReport(SM, Loc))
      return;
    diag(Loc, "the future returned by '%0' is discarded: the task's exception "
              "is stored in it and lost")
        << Name;
    return;
  }
  case ErrorRoute::NoChannel:
    if (!firstReport(SM, Loc))
      return;
    diag(Loc, "'%0' has no error channel: an exception escaping the launched "
              "task vanishes silently")
        << Name;
    diag(Loc, "catch inside the task, or launch it into a scope that joins "
              "(a task_group)",
         DiagnosticIDs::Note);
    return;
  case ErrorRoute::MissingHandler: {
    // A defaulted token whose result the caller keeps (a future, a deferred
    // operation) carries the error in that result.
    if (L->Handler && !Call.getType()->isVoidType() &&
        CoroutineModel::useOf(Call, *Result.Context) != ValueUse::Discarded)
      return;
    if (!firstReport(SM, Loc))
      return;
    unsigned Written = 0;
    for (const Expr *Arg : Call.arguments())
      Written += !isa<CXXDefaultArgExpr>(Arg);
    bool Fix = !InMacro && L->Framework &&
               L->Framework->AcceptsAsyncrtAwaitables && Written > 0 &&
               Written == *L->Rule->HandlerArg;
    {
      auto D = diag(Loc, "'%0' without an error handler loses the task's "
                         "exception: a failure vanishes silently")
               << Name;
      if (Fix) {
        SourceLocation AfterLast = Lexer::getLocForEndOfToken(
            Call.getArg(Written - 1)->getEndLoc(), 0, SM, LO);
        D << FixItHint::CreateInsertion(AfterLast, ", " + ErrorHandler);
        addHandlerIncludes(D, SM, Loc);
      }
    }
    if (!Fix)
      diag(Loc, "pass an error handler: %0", DiagnosticIDs::Note)
          << ErrorHandler;
    return;
  }
  case ErrorRoute::DetachedToken: {
    if (!firstReport(SM, Loc))
      return;
    bool Explicit = L->Handler && !isa<CXXDefaultArgExpr>(L->Handler);
    std::string Token =
        Explicit ? Lexer::getSourceText(CharSourceRange::getTokenRange(
                                            L->Handler->getSourceRange()),
                                        SM, LO)
                       .str()
                 : "the default token";
    if (Token.empty()) { // spelled inside a macro: name it as the rules do
      const Expr *E = L->Handler->IgnoreParenImpCasts();
      if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
        Token = ruleName(Ref->getDecl());
      else if (const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl())
        Token = ruleName(RD);
    }
    bool Fix = Explicit && !InMacro && !L->Handler->getBeginLoc().isMacroID() &&
               completesWithoutValue(*L, model());
    {
      auto D = diag(Loc, "'%0' launches the coroutine detached: '%1' discards "
                         "its exception, so a failure vanishes silently")
               << Name << Token;
      if (Fix) {
        D << FixItHint::CreateReplacement(
            CharSourceRange::getTokenRange(L->Handler->getSourceRange()),
            ErrorHandler);
        addHandlerIncludes(D, SM, Loc);
      }
    }
    if (!Fix)
      diag(Loc, "pass a completion handler that takes the std::exception_ptr "
                "(and the result, if there is one) and rethrows or reports it",
           DiagnosticIDs::Note);
    return;
  }
  }
}

void DroppedExceptionCheck::checkStoredVariable(
    const VarDecl &Var, const MatchFinder::MatchResult &Result) {
  if (Var.isReferenced() || isa<DecompositionDecl>(Var) ||
      Var.getType()->isDependentType() || Var.getType()->isReferenceType() ||
      Var.getLocation().isInvalid())
    return;
  const SourceManager &SM = *Result.SourceManager;
  TaskInfo Info = model().classifyType(Var.getType());
  if (Info && Info.Lazy == Laziness::Eager) {
    if (firstReport(SM, Var.getLocation()))
      diag(Var.getLocation(), "eager task '%0' is never awaited or checked: "
                              "it runs detached and its exception is lost")
          << Var.getName();
    return;
  }
  const auto *Call = dyn_cast_or_null<CallExpr>(CoroutineModel::ignoreValueWrappers(Var.getInit()));
  if (!Call)
    return;
  std::optional<Launch> L = classifyLaunch(*Call, model());
  if (!L || L->Route != ErrorRoute::Result)
    return;
  if (firstReport(SM, Var.getLocation()))
    diag(Var.getLocation(), "'%0' holds the future of '%1' and is never "
                            "checked: the task's exception is lost")
        << Var.getName() << calleeName(*Call);
}

void DroppedExceptionCheck::notePromise(const CXXMethodDecl &Handler) {
  const CXXRecordDecl *Promise = patternOf(Handler.getParent());
  if (!Promise || Swallowing.count(Promise) || !SM ||
      SM->isInSystemHeader(Promise->getLocation()))
    return;
  const CXXMethodDecl *Def = &Handler;
  if (const auto *Pattern = dyn_cast_or_null<CXXMethodDecl>(
          Handler.getTemplateInstantiationPattern()))
    Def = Pattern;
  // Only promise types: they also say how a coroutine starts.
  const CXXRecordDecl *Owner = Def->getParent();
  if (Owner->lookup(&Owner->getASTContext().Idents.get("initial_suspend"))
          .empty())
    return;
  if (!Def->hasBody() || mayHandle(Def->getBody()))
    return;
  Swallowing[Promise] = Def;
}

void DroppedExceptionCheck::countCoroutine(const FunctionDecl &Coroutine,
                                           const SourceManager &SM) {
  const auto *Body = dyn_cast<CoroutineBodyStmt>(Coroutine.getBody());
  if (!Body || !Body->getPromiseDecl())
    return;
  const CXXRecordDecl *Promise =
      patternOf(Body->getPromiseDecl()->getType()->getAsCXXRecordDecl());
  if (Promise)
    Users[Promise].insert(SM.getFileLoc(Coroutine.getLocation()));
}

void DroppedExceptionCheck::onEndOfTranslationUnit() {
  for (const auto &[Promise, Handler] : Swallowing) {
    auto It = Users.find(Promise);
    unsigned Count = It == Users.end() ? 0 : It->second.size();
    diag(Handler->getLocation(),
         "promise type '%0' swallows exceptions: its unhandled_exception() "
         "neither stores, rethrows nor terminates, so %select{every coroutine "
         "using it loses its errors|%1 coroutine in this file loses its "
         "errors|%1 coroutines in this file lose their errors}2")
        << ruleName(Promise) << Count << (Count == 0 ? 0 : Count == 1 ? 1 : 2);
  }
  Swallowing.clear();
  Users.clear();
}

} // namespace corotidy::checks
