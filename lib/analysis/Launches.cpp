//===--- Launches.cpp - detached launches and where their errors go -------===//

#include "Launches.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace corotidy {

namespace {

/// The token is named by the referenced variable (asio::detached) or by the
/// class of a temporary (asio::detached_t{}).
bool isDetachedToken(const Expr *Arg, const SpawnRule &Rule) {
  if (Rule.DetachedTokens.empty() || !Arg)
    return false;
  NameSet Tokens(Rule.DetachedTokens);
  const Expr *E = CoroutineModel::ignoreValueWrappers(Arg);
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (Tokens.matches(Ref->getDecl()))
      return true;
  if (const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl())
    return Tokens.matches(RD);
  return false;
}

/// The argument that carries the work: the first task-typed argument, else
/// the first lambda.
const Expr *workArgument(const CallExpr &Call, const CoroutineModel &Model) {
  for (const Expr *Arg : Call.arguments())
    if (!Arg->isTypeDependent() && Model.classifyType(Arg->getType()))
      return Arg;
  for (const Expr *Arg : Call.arguments())
    if (isa<LambdaExpr>(CoroutineModel::ignoreValueWrappers(Arg)))
      return Arg;
  return nullptr;
}

} // namespace

namespace {
class ErrorRouteFinder : public RecursiveASTVisitor<ErrorRouteFinder> {
public:
  bool Found = false;
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return !(Found = true); }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || isa<CXXMethodDecl>(Callee))
      return true; // the promise's own bookkeeping
    if (Callee->isInStdNamespace()) {
      llvm::StringRef Name = Callee->getIdentifier() ? Callee->getName() : "";
      Found = Name == "terminate" || Name == "abort" || Name == "rethrow_exception" ||
              Name == "quick_exit" || Name == "exit";
    } else {
      Found = !Callee->getIdentifier() || !Callee->getName().starts_with("__");
    }
    return !Found;
  }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
};
} // namespace

bool promiseRoutesErrors(const CXXRecordDecl *Task, const CoroutineModel &Model) {
  const CXXRecordDecl *Promise = Model.promiseOf(Task);
  if (!Promise || !Promise->hasDefinition())
    return false;
  Promise = Promise->getDefinition();
  for (const CXXMethodDecl *M : Promise->methods()) {
    if (!M->getIdentifier() || M->getName() != "unhandled_exception")
      continue;
    const FunctionDecl *Def = M->getDefinition();
    if (!Def)
      if (const FunctionDecl *Pattern = M->getTemplateInstantiationPattern())
        Def = Pattern->getDefinition();
    if (!Def || !Def->getBody())
      return false;
    ErrorRouteFinder Finder;
    Finder.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    return Finder.Found;
  }
  return false;
}

const FrameworkRule *frameworkOfSpawnRule(const RuleSet &Rules,
                                          const SpawnRule *Rule) {
  for (const FrameworkRule &F : Rules.Frameworks)
    for (const SpawnRule &S : F.SpawnFunctions)
      if (&S == Rule)
        return &F;
  return nullptr;
}

std::optional<Launch> classifyLaunch(const CallExpr &Call,
                                     const CoroutineModel &Model) {
  const SpawnRule *Rule = Model.spawnRule(Call.getDirectCallee());
  if (!Rule)
    return std::nullopt;
  Launch L;
  L.Call = &Call;
  L.Rule = Rule;
  L.Framework = frameworkOfSpawnRule(Model.rules(), Rule);
  L.Work = workArgument(Call, Model);
  if (Rule->Scoped) {
    L.Route = ErrorRoute::Scope;
  } else if (Rule->ErrorsInResult) {
    L.Route = ErrorRoute::Result;
  } else if (!Rule->HandlerArg) {
    // A spawn recognised by its shape says nothing about errors: the task's
    // promise may report them itself.
    TaskInfo Task = L.Work ? Model.classifyType(L.Work->getType()) : TaskInfo();
    L.Route = !L.Framework && Task && promiseRoutesErrors(Task.Record, Model)
                  ? ErrorRoute::Promise
                  : ErrorRoute::NoChannel;
  } else if (*Rule->HandlerArg >= Call.getNumArgs() ||
             isa<CXXDefaultArgExpr>(Call.getArg(*Rule->HandlerArg))) {
    // Not written: a defaulted handler is no handler the caller chose.
    L.Handler = *Rule->HandlerArg < Call.getNumArgs()
                    ? Call.getArg(*Rule->HandlerArg)
                    : nullptr;
    L.Route = L.Handler && isDetachedToken(L.Handler, *Rule)
                  ? ErrorRoute::DetachedToken
                  : ErrorRoute::MissingHandler;
  } else {
    L.Handler = Call.getArg(*Rule->HandlerArg);
    L.Route = isDetachedToken(L.Handler, *Rule) ? ErrorRoute::DetachedToken
                                                : ErrorRoute::Handler;
  }
  return L;
}

const FunctionDecl *launchedFunction(const Expr *Work) {
  const Expr *E = CoroutineModel::ignoreValueWrappers(Work);
  if (!E)
    return nullptr;
  if (const auto *Lambda = dyn_cast<LambdaExpr>(E))
    return Lambda->getCallOperator();
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (const auto *Lambda =
            dyn_cast<LambdaExpr>(CoroutineModel::ignoreValueWrappers(Call->getCallee())))
      return Lambda->getCallOperator();
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return nullptr;
    if (const FunctionDecl *Def = Callee->getDefinition())
      return Def;
    if (const FunctionDecl *Pattern = Callee->getTemplateInstantiationPattern())
      return Pattern->getDefinition();
  }
  return nullptr;
}

namespace {
class ThrowFinder : public RecursiveASTVisitor<ThrowFinder> {
public:
  bool Found = false;
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return !(Found = true); }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
};

/// catch (...) or catch (std::exception [const] [&]) that does not throw.
bool catchesEverything(const CXXCatchStmt &Handler) {
  if (const VarDecl *Caught = Handler.getExceptionDecl()) {
    const CXXRecordDecl *Record =
        Caught->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!Record || ruleName(Record) != "std::exception")
      return false;
  }
  ThrowFinder Throws;
  Throws.TraverseStmt(Handler.getHandlerBlock());
  return !Throws.Found;
}
} // namespace

/// The body a function's author wrote: for a coroutine, inside the
/// compiler's CoroutineBodyStmt. Null without a visible compound body.
static const CompoundStmt *writtenBody(const FunctionDecl *FD) {
  if (!FD || !FD->hasBody())
    return nullptr;
  const Stmt *Body = FD->getBody();
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Body))
    Body = Coro->getBody();
  return dyn_cast_or_null<CompoundStmt>(Body);
}

bool handlesOwnExceptions(const FunctionDecl *Launched) {
  // A forwarding lambda ([self] { return self->run(); }) hands over to the
  // coroutine it calls: look through a couple of those.
  const CompoundStmt *Block = writtenBody(Launched);
  for (unsigned Hops = 0; Block && Block->size() == 1 && Hops < 3; ++Hops) {
    const auto *Return = dyn_cast<ReturnStmt>(Block->body_front());
    if (!Return || !Return->getRetValue())
      break;
    const auto *Call = dyn_cast<CallExpr>(
        CoroutineModel::ignoreValueWrappers(Return->getRetValue()));
    Block = writtenBody(Call ? Call->getDirectCallee() : nullptr);
  }
  if (!Block || Block->size() != 1)
    return false;
  const auto *Try = dyn_cast<CXXTryStmt>(Block->body_front());
  if (!Try)
    return false;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    if (catchesEverything(*Try->getHandler(I)))
      return true;
  return false;
}

namespace {

bool isExceptionPtr(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = ruleName(RD); // libstdc++ declares it in a namespace of its own
  return Name == "std::exception_ptr" || Name == "std::__exception_ptr::exception_ptr";
}

/// The function a handler argument runs: a lambda's call operator (the
/// template pattern of a generic one), or a function named by reference.
const FunctionDecl *handlerFunction(const Expr *Handler) {
  const Expr *E = CoroutineModel::ignoreValueWrappers(Handler);
  // A lambda converted to the parameter's type (std::function, a handler
  // class) on the way in.
  if (const auto *Convert = dyn_cast<CXXConstructExpr>(E);
      Convert && Convert->getNumArgs() == 1)
    E = CoroutineModel::ignoreValueWrappers(Convert->getArg(0));
  if (const auto *Lambda = dyn_cast<LambdaExpr>(E))
    return Lambda->getCallOperator();
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_AddrOf)
    E = Unary->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl()))
      return FD->getDefinition();
  return nullptr;
}

} // namespace

bool handlerIgnoresError(const Expr *Handler) {
  const FunctionDecl *FD = Handler ? handlerFunction(Handler) : nullptr;
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return false;
  const ParmVarDecl *Error = nullptr;
  for (const ParmVarDecl *P : FD->parameters())
    if (isExceptionPtr(P->getType())) {
      Error = P;
      break;
    }
  if (!Error && FD->getDescribedFunctionTemplate() && FD->getNumParams() > 0)
    Error = FD->getParamDecl(0); // [](auto e) { ... }: the error comes first
  return Error && !Error->isReferenced() && !Error->isUsed();
}

} // namespace corotidy
