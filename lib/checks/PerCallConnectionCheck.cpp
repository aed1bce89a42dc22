//===--- PerCallConnectionCheck.cpp - async-per-call-connection ------------===//

#include "PerCallConnectionCheck.h"

#include "BlockingSummary.h"
#include "LoopBounds.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

constexpr llvm::StringLiteral DefaultRequestTypes = "[Rr]equest";

/// Where the value of E ends up.
struct Destination {
  const VarDecl *Local = nullptr; ///< a local variable that owns it
  bool Escapes = false;           ///< returned, or stored beyond the call
};

bool isLocalVariable(const Expr *E) {
  const auto *Ref = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->hasLocalStorage();
}

/// Follows E up to its full expression: a local variable's initialiser, an
/// assignment, a return, or a statement that drops it.
Destination destinationOf(const Expr &E, ASTContext &Ctx) {
  DynTypedNode Current = DynTypedNode::create(E);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Current);
    if (Parents.empty())
      return {};
    const DynTypedNode &P = Parents[0];
    if (const auto *Var = P.get<VarDecl>()) {
      if (!Var->hasLocalStorage() || Var->getType()->isReferenceType())
        return {nullptr, true};
      return {Var, false};
    }
    const auto *S = P.get<Stmt>();
    if (!S)
      return {};
    if (isa<ReturnStmt, CoreturnStmt, CXXNewExpr>(S))
      return {nullptr, true};
    if (const auto *Assign = dyn_cast<BinaryOperator>(S);
        Assign && Assign->isAssignmentOp())
      return isLocalVariable(Assign->getLHS()) ? Destination{} : Destination{nullptr, true};
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->isAssignmentOp())
      return isLocalVariable(Op->getArg(0)) ? Destination{} : Destination{nullptr, true};
    if (!isa<Expr>(S))
      return {};
    Current = P;
  }
}

/// The variable a handle argument points into (`&db` in sqlite3_open).
Destination handleArgument(const Expr &Arg) {
  const Expr *E = Arg.IgnoreParenImpCasts();
  if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
      AddrOf && AddrOf->getOpcode() == UO_AddrOf)
    E = AddrOf->getSubExpr()->IgnoreParenImpCasts();
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->hasLocalStorage() || Var->getType()->isReferenceType())
    return {nullptr, true};
  return {Var, false};
}

/// The variable is moved out, returned, or assigned to something that
/// outlives the coroutine call.
bool escapesFrom(const VarDecl &Var, const Stmt &Body, ASTContext &Ctx) {
  bool Escapes = false;
  auto Visit = [&](const Stmt *S, auto &Self) -> void {
    if (!S || Escapes)
      return;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == &Var) {
      DynTypedNode Current = DynTypedNode::create(*Ref);
      while (true) {
        DynTypedNodeList Parents = Ctx.getParents(Current);
        if (Parents.empty())
          break;
        const Stmt *P = Parents[0].get<Stmt>();
        if (!P)
          break;
        if (const auto *Call = dyn_cast<CallExpr>(P); Call && Call->isCallToStdMove()) {
          Escapes = true;
          return;
        }
        if (isa<ReturnStmt, CoreturnStmt>(P)) {
          Escapes = true;
          return;
        }
        if (const auto *Assign = dyn_cast<BinaryOperator>(P);
            Assign && Assign->isAssignmentOp() &&
            Assign->getRHS()->IgnoreParenImpCasts() == Ref) {
          Escapes = !isLocalVariable(Assign->getLHS());
          return;
        }
        if (!isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
                 CXXBindTemporaryExpr, ExprWithCleanups>(P))
          break;
        Current = Parents[0];
      }
    }
    for (const Stmt *Child : S->children())
      Self(Child, Self);
  };
  Visit(&Body, Visit);
  return Escapes;
}

/// The innermost loop whose body holds S, below the coroutine's body.
const Stmt *enclosingLoopBody(const Stmt &S, ASTContext &Ctx, const Stmt **LoopOut) {
  DynTypedNode Child = DynTypedNode::create(S);
  while (const Stmt *P = CoroutineModel::parentStmt(Child, Ctx)) {
    if (isa<CoroutineBodyStmt, LambdaExpr>(P))
      return nullptr;
    if (isLoop(*P) && loopBody(*P) == Child.get<Stmt>()) {
      *LoopOut = P;
      return loopBody(*P);
    }
    Child = DynTypedNode::create(*P);
  }
  return nullptr;
}

/// Var is used inside a loop nested in Body: the connection serves many
/// requests there (a session loop), it is not made per request.
bool usedInNestedLoop(const VarDecl &Var, const Stmt &Body) {
  auto Uses = [&](const Stmt *S, auto &Self) -> bool {
    if (!S)
      return false;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      return Ref->getDecl() == &Var;
    for (const Stmt *Child : S->children())
      if (Self(Child, Self))
        return true;
    return false;
  };
  auto Find = [&](const Stmt *S, auto &Self) -> bool {
    if (!S || isa<LambdaExpr>(S))
      return false;
    if (isLoop(*S))
      return Uses(loopBody(*S), Uses);
    for (const Stmt *Child : S->children())
      if (Self(Child, Self))
        return true;
    return false;
  };
  return Find(&Body, Find);
}

/// The class std::make_unique<T> / std::make_shared<T> constructs: the
/// construction itself sits in a system header.
const CXXRecordDecl *madeByFactory(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callee->isInStdNamespace() || !Callee->getIdentifier() ||
      !llvm::is_contained({"make_unique", "make_shared"}, Callee->getName()))
    return nullptr;
  const TemplateArgumentList *Args = Callee->getTemplateSpecializationArgs();
  if (!Args || Args->size() == 0 || Args->get(0).getKind() != TemplateArgument::Type)
    return nullptr;
  return Args->get(0).getAsType()->getAsCXXRecordDecl();
}

/// `co_await to_thread([] { return connect(); })`: a connection made on a
/// worker and handed back to the coroutine. Returns the lambda when Site is
/// what such an offloaded lambda returns.
const LambdaExpr *offloadedLambdaReturning(const Expr &Site, const CoroutineModel &Model,
                                           ASTContext &Ctx) {
  const auto *Op = dyn_cast_or_null<CXXMethodDecl>(CoroutineModel::enclosingFunction(Site, Ctx));
  if (!Op || !Op->getParent()->isLambda())
    return nullptr;
  const auto *Return = CoroutineModel::parentStmt(DynTypedNode::create(Site), Ctx);
  while (Return && isa<Expr>(Return))
    Return = CoroutineModel::parentStmt(DynTypedNode::create(*Return), Ctx);
  if (!Return || !isa<ReturnStmt>(Return) ||
      CoroutineModel::ignoreValueWrappers(cast<ReturnStmt>(Return)->getRetValue()) !=
          CoroutineModel::ignoreValueWrappers(&Site))
    return nullptr;
  // Up through the body, the call operator and the closure class.
  const LambdaExpr *Lambda = nullptr;
  for (DynTypedNode N = DynTypedNode::create(*Return); !Lambda;) {
    DynTypedNodeList Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    Lambda = N.get<LambdaExpr>();
  }
  for (const Stmt *P = CoroutineModel::parentStmt(DynTypedNode::create(*Lambda), Ctx);
       P && isa<Expr>(P); P = CoroutineModel::parentStmt(DynTypedNode::create(*P), Ctx))
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return Model.isOffloadFunction(Call->getDirectCallee()) ? Lambda : nullptr;
  return nullptr;
}

} // namespace

PerCallConnectionCheck::PerCallConnectionCheck(StringRef Name,
                                               tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      RequestTypes(Options.get("RequestTypes", DefaultRequestTypes).str()),
      ReusedInNestedLoop(Options.get("ReusedInNestedLoop", true)),
      AnyCoroutine(Options.get("AnyCoroutine", true)),
      RequestPattern(RequestTypes), Callers(model()) {
  std::string Error;
  if (!RequestPattern.isValid(Error))
    configurationDiag("invalid RequestTypes regex '%0': %1") << RequestTypes << Error;
  for (const ConnectionRule &R : model().rules().Connections)
    (R.Constructor ? ClassRules : FunctionRules).insert(R.Name, &R);
}

void PerCallConnectionCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "RequestTypes", RequestTypes);
  Options.store(Opts, "ReusedInNestedLoop", ReusedInNestedLoop);
  Options.store(Opts, "AnyCoroutine", AnyCoroutine);
}

void PerCallConnectionCheck::onStartOfTranslationUnit() {
  Candidates.clear();
  CalledInLoop.clear();
  Callers.clear();
  Loops.clear();
  Calls.clear();
  Reported.clear();
}

void PerCallConnectionCheck::registerMatchers(MatchFinder *Finder) {
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  Finder->addMatcher(cxxConstructExpr(NotInSystemHeader).bind("site"), this);
  Finder->addMatcher(callExpr(NotInSystemHeader).bind("site"), this);
  // Coroutines called in a loop run once per element: collected for the
  // decision at the end of the TU.
  // One matcher per loop kind: a stmt(anyOf(...)) matcher would be tried on
  // every statement of the TU instead of only on loops.
  Finder->addMatcher(forStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(whileStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(doStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(cxxForRangeStmt(NotInSystemHeader).bind("loop"), this);
}

const ConnectionRule *PerCallConnectionCheck::ruleFor(const Expr &Site) const {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&Site)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isCopyOrMoveConstructor())
      return nullptr;
    return ClassRules.lookup(Ctor->getParent());
  }
  const auto *Call = cast<CallExpr>(&Site);
  if (const CXXRecordDecl *Made = madeByFactory(*Call))
    return ClassRules.lookup(Made);
  return FunctionRules.lookup(Call->getDirectCallee());
}

void PerCallConnectionCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  Context = Result.Context;
  // Loops and calls matter only to decide about a connection made in a
  // coroutine: kept as they are, looked at only if the TU makes one.
  if (const auto *Loop = Result.Nodes.getNodeAs<Stmt>("loop")) {
    Loops.push_back(Loop);
    return;
  }
  const auto *Site = Result.Nodes.getNodeAs<Expr>("site");
  if (const auto *Call = dyn_cast<CallExpr>(Site); Call && Call->getDirectCallee())
    Calls.push_back(Call);
  if (const ConnectionRule *Rule = ruleFor(*Site))
    visitSite(*Site, *Rule, *Result.Context);
}

void PerCallConnectionCheck::recordLoopCalls(const Stmt &Loop) {
  forEachEvaluatedCall(loopBody(Loop), [&](const Expr &E) {
    if (const auto *Call = dyn_cast<CallExpr>(&E))
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        CalledInLoop.try_emplace(Callee->getCanonicalDecl(), Call);
    return true;
  });
}

void PerCallConnectionCheck::visitSite(const Expr &Site, const ConnectionRule &Rule,
                                       ASTContext &Ctx) {
  const FunctionDecl *Coroutine = CoroutineModel::enclosingCoroutine(Site, Ctx);
  // Made on a worker and handed back: the coroutine's local owns it.
  const LambdaExpr *Offloaded = Coroutine ? nullptr
                                          : offloadedLambdaReturning(Site, model(), Ctx);
  if (Offloaded)
    Coroutine = CoroutineModel::enclosingCoroutine(*Offloaded, Ctx);
  if (!Coroutine || !Coroutine->getBody())
    return;
  const Stmt &Body = *Coroutine->getBody();
  const auto *Call = dyn_cast<CallExpr>(&Site);
  Destination Dest = Offloaded ? destinationOf(*Offloaded, Ctx)
                     : Call && Rule.HandleArg
                         ? (*Rule.HandleArg < Call->getNumArgs()
                                ? handleArgument(*Call->getArg(*Rule.HandleArg))
                                : Destination{nullptr, true})
                         : destinationOf(Site, Ctx);
  if (Dest.Escapes || (Dest.Local && escapesFrom(*Dest.Local, Body, Ctx)))
    return;
  if (!Rule.WithCalls.empty()) {
    NameSet With(Rule.WithCalls);
    bool Found = false;
    forEachEvaluatedCall(&Body, [&](const Expr &E) {
      const auto *C = dyn_cast<CallExpr>(&E);
      Found = C && With.matches(C->getDirectCallee());
      return !Found;
    });
    if (!Found)
      return;
  }
  // Per iteration: the handle (or the temporary) lives in a loop's body.
  const Stmt *Anchor = &Site;
  if (Dest.Local && Ctx.getParents(*Dest.Local).size() == 1)
    if (const auto *Decl = Ctx.getParents(*Dest.Local)[0].get<DeclStmt>())
      Anchor = Decl;
  const Stmt *Loop = nullptr;
  if (const Stmt *LoopBody = enclosingLoopBody(*Anchor, Ctx, &Loop)) {
    if (!(ReusedInNestedLoop && Dest.Local && usedInNestedLoop(*Dest.Local, *LoopBody)))
      reportInLoop({&Site, Coroutine, &Rule}, *Loop);
    return;
  }
  if (Dest.Local && ReusedInNestedLoop && usedInNestedLoop(*Dest.Local, Body))
    return;
  Candidates.push_back({&Site, Coroutine, &Rule});
}

const ParmVarDecl *
PerCallConnectionCheck::requestParameter(const FunctionDecl &Coroutine) const {
  if (RequestTypes.empty())
    return nullptr;
  for (const ParmVarDecl *Param : Coroutine.parameters()) {
    QualType T = Param->getType().getNonReferenceType().getUnqualifiedType();
    if (RequestPattern.match(T.getAsString()))
      return Param;
  }
  return nullptr;
}

void PerCallConnectionCheck::onEndOfTranslationUnit() {
  if (!Candidates.empty()) {
    for (const Stmt *Loop : Loops)
      recordLoopCalls(*Loop);
    for (const CallExpr *Call : Calls)
      Callers.record(*Call, *Context);
  }
  Loops.clear();
  Calls.clear();
  for (const Candidate &C : Candidates) {
    const FunctionDecl *Canonical = CoroutineCallers::canonicalPattern(C.Coroutine);
    const CallExpr *LoopCall = CalledInLoop.lookup(Canonical);
    if (!LoopCall)
      LoopCall = CalledInLoop.lookup(C.Coroutine->getCanonicalDecl());
    const ParmVarDecl *Request = requestParameter(*C.Coroutine);
    if (Request || LoopCall || (AnyCoroutine && !Callers.runsOnce(Canonical)))
      reportPerCall(C, Request, LoopCall);
  }
  Candidates.clear();
}

void PerCallConnectionCheck::reportInLoop(const Candidate &C, const Stmt &Loop) {
  SourceLocation Loc = SM->getFileLoc(C.Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  diag(Loc, "'%0' (%1) is created and dropped on every iteration of this loop in %2; "
            "each one pays its setup (connection, handshake, login) again")
      << C.Rule->Name << C.Rule->Description << describeCoroutine(*C.Coroutine);
  diag(SM->getFileLoc(Loop.getBeginLoc()), "the loop starts here", DiagnosticIDs::Note);
  noteShare(Loc);
}

void PerCallConnectionCheck::reportPerCall(const Candidate &C,
                                           const ParmVarDecl *Request,
                                           const CallExpr *LoopCall) {
  SourceLocation Loc = SM->getFileLoc(C.Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  // Without a request or a loop: any coroutine runs per unit of work.
  diag(Loc, "'%0' (%1) is created and dropped on every call of %2, which runs once "
            "per %select{request|loop iteration|unit of work}3; each call pays its "
            "setup (connection, handshake, login) again")
      << C.Rule->Name << C.Rule->Description << describeCoroutine(*C.Coroutine)
      << (Request ? 0 : LoopCall ? 1 : 2);
  if (Request)
    diag(SM->getFileLoc(Request->getLocation()), "it takes a request here",
         DiagnosticIDs::Note);
  else if (LoopCall)
    diag(SM->getFileLoc(LoopCall->getBeginLoc()), "called in a loop here",
         DiagnosticIDs::Note);
  noteShare(Loc);
}

void PerCallConnectionCheck::noteShare(SourceLocation Loc) {
  diag(Loc, "create it once (in main, a constructor or a static) and share it, "
            "or take one from a pool",
       DiagnosticIDs::Note);
}

} // namespace corotidy::checks
