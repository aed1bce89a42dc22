//===--- BlockingSummary.cpp - which functions of a TU block, and how -----===//

#include "BlockingSummary.h"

#include "clang/AST/Attr.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace corotidy {

namespace {

const CXXRecordDecl *recordOfArgument(const Expr *Arg) {
  QualType T = Arg->getType().getNonReferenceType();
  return T->getAsCXXRecordDecl();
}

llvm::ArrayRef<const Expr *> argumentsOf(const Expr &E) {
  if (const auto *Call = dyn_cast<CallExpr>(&E))
    return {Call->getArgs(), Call->getNumArgs()};
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E))
    return {Construct->getArgs(), Construct->getNumArgs()};
  return {};
}

/// A virtual call runs whichever override the object has: only follow it
/// when the target is known statically.
bool isDispatchedVirtually(const CallExpr &Call, const FunctionDecl &Callee) {
  const auto *Method = dyn_cast<CXXMethodDecl>(&Callee);
  if (!Method || !Method->isVirtual() || Method->hasAttr<FinalAttr>() ||
      Method->getParent()->hasAttr<FinalAttr>())
    return false;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    if (const auto *ME =
            dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens()))
      return !ME->hasQualifier(); // Base::f() is a direct call
  return true;
}

/// The expression under parens, implicit casts, temporaries and cleanups.
const Expr *stripped(const Expr *E) {
  while (true) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = Cast->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
}

bool isChronoType(QualType T, llvm::StringRef Name) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && ruleName(RD) == Name;
}

/// `0s`, `0ms`, `seconds(0)`, `milliseconds{}`, `seconds::zero()`, a const
/// variable holding one, and a duration converted from one.
bool isZeroDuration(const Expr *E, const ASTContext &Ctx, unsigned Depth = 0) {
  if (!E || Depth > 4 || E->isValueDependent())
    return false;
  E = stripped(E);
  // A constant duration (`0s`, `seconds(0)`, a constexpr variable): its
  // first field is the count.
  Expr::EvalResult Constant;
  if (E->EvaluateAsRValue(Constant, Ctx) && Constant.Val.isStruct() &&
      Constant.Val.getStructNumFields() > 0) {
    const APValue &Count = Constant.Val.getStructField(0);
    return (Count.isInt() && Count.getInt().isZero()) ||
           (Count.isFloat() && Count.getFloat().isZero());
  }
  auto IsZero = [&](const Expr *Number) {
    Expr::EvalResult R;
    if (Number->isValueDependent() || !Number->EvaluateAsRValue(R, Ctx))
      return false;
    if (R.Val.isInt())
      return R.Val.getInt().isZero();
    if (R.Val.isFloat())
      return R.Val.getFloat().isZero();
    return false;
  };
  if (const auto *Literal = dyn_cast<UserDefinedLiteral>(E))
    return Literal->getCookedLiteral() && IsZero(Literal->getCookedLiteral());
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() == 0)
      return true; // seconds{} is value-initialised: zero
    if (Construct->getNumArgs() != 1)
      return false;
    const Expr *Arg = Construct->getArg(0);
    return isChronoType(Arg->getType(), "std::chrono::duration")
               ? isZeroDuration(Arg, Ctx, Depth + 1)
               : IsZero(Arg);
  }
  if (const auto *List = dyn_cast<InitListExpr>(E))
    return List->getNumInits() == 0 ||
           (List->getNumInits() == 1 &&
            isZeroDuration(List->getInit(0), Ctx, Depth + 1));
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
    return Method && Method->isStatic() && Method->getIdentifier() &&
           Method->getName() == "zero";
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    return Var && Var->getType().isConstQualified() && Var->getInit() &&
           isZeroDuration(Var->getInit(), Ctx, Depth + 1);
  }
  return false;
}

/// `clock::now()`, for any clock.
bool isNow(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(stripped(E));
  const auto *Method =
      Call ? dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee()) : nullptr;
  return Method && Method->isStatic() && Method->getIdentifier() &&
         Method->getName() == "now";
}

/// Names a set of operations holds: "getline", "operator>>".
bool namesOperation(const NameSet &Operations, const FunctionDecl &FD) {
  if (FD.getDeclName().isIdentifier())
    return Operations.contains(FD.getName());
  return FD.getDeclName().getNameKind() == DeclarationName::CXXOperatorName &&
         Operations.contains(FD.getNameAsString());
}

/// The object an operation works on: the receiver of a member call, else
/// the first argument (`std::getline(in, s)`, `in >> x`).
const Expr *operandObject(const CallExpr &Call) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return Member->getImplicitObjectArgument();
  return Call.getNumArgs() > 0 ? Call.getArg(0) : nullptr;
}

/// A variable of the program (not of a system header) with static or
/// thread storage that can be modified.
bool isMutableGlobal(const VarDecl &Var) {
  if (!Var.hasGlobalStorage() || Var.getType().isConstQualified() ||
      Var.isConstexpr())
    return false;
  const SourceManager &SM = Var.getASTContext().getSourceManager();
  // The standard streams and the C library's globals synchronise themselves.
  return !SM.isInSystemHeader(SM.getExpansionLoc(Var.getLocation()));
}

/// A parameter another thread may read without racing the caller: a value,
/// or a reference or pointer to const.
bool isSharableParameter(const ParmVarDecl &Param) {
  QualType T = Param.getType();
  if (T->isReferenceType())
    return T.getNonReferenceType().isConstQualified();
  if (T->isPointerType())
    return T->getPointeeType().isConstQualified();
  return true;
}

bool isDeclaredInSystemHeader(const Decl &D) {
  const SourceManager &SM = D.getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(D.getLocation()));
}

} // namespace

bool isZeroTimeoutPoll(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return false;
  StringRef Name = FD->getName();
  bool For = Name.ends_with("_for"), Until = Name.ends_with("_until");
  if (!For && !Until)
    return false;
  const ASTContext &Ctx = FD->getASTContext();
  for (const Expr *Arg : Call.arguments()) {
    if (For && isChronoType(Arg->getType(), "std::chrono::duration"))
      return isZeroDuration(Arg, Ctx);
    if (Until && isChronoType(Arg->getType(), "std::chrono::time_point"))
      return isNow(Arg);
  }
  return false;
}

namespace {

const VarDecl *receiverVariable(const CallExpr &Call) {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  const Expr *Object = Member ? Member->getImplicitObjectArgument() : nullptr;
  const auto *Ref = Object ? dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts()) : nullptr;
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// `Future.wait_for(0s) == std::future_status::ready` (Equal) or `!=`.
bool isReadyPollOf(const Expr *Cond, const VarDecl &Future, bool Equal) {
  Cond = Cond ? Cond->IgnoreParenImpCasts() : nullptr;
  const auto *Compare = dyn_cast_or_null<BinaryOperator>(Cond);
  if (!Compare || Compare->getOpcode() != (Equal ? BO_EQ : BO_NE))
    return false;
  auto IsReady = [](const Expr *E) {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return Ref && isa<EnumConstantDecl>(Ref->getDecl()) &&
           Ref->getDecl()->getName() == "ready";
  };
  auto IsPoll = [&](const Expr *E) {
    const auto *Call = dyn_cast<CallExpr>(stripped(E));
    return Call && receiverVariable(*Call) == &Future && isZeroTimeoutPoll(*Call);
  };
  return (IsPoll(Compare->getLHS()) && IsReady(Compare->getRHS())) ||
         (IsPoll(Compare->getRHS()) && IsReady(Compare->getLHS()));
}

/// A statement that always leaves: return, co_return, throw, or a block
/// ending in one.
bool leaves(const Stmt *S) {
  if (const auto *Block = dyn_cast_or_null<CompoundStmt>(S))
    return !Block->body_empty() && leaves(Block->body_back());
  if (const auto *E = dyn_cast_or_null<Expr>(S))
    return isa<CXXThrowExpr>(E->IgnoreParenImpCasts());
  return isa_and_nonnull<ReturnStmt, CoreturnStmt>(S);
}

} // namespace

bool isGetAfterReadyPoll(const CallExpr &Call, ASTContext &Ctx) {
  const FunctionDecl *FD = Call.getDirectCallee();
  const VarDecl *Future = receiverVariable(Call);
  if (!FD || !FD->getIdentifier() || FD->getName() != "get" || !Future)
    return false;
  DynTypedNode Child = DynTypedNode::create(Call);
  DynTypedNodeList Parents = Ctx.getParents(Call);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (P.get<Decl>() && !P.get<VarDecl>())
      return false; // the enclosing function
    if (const auto *If = P.get<IfStmt>();
        If && If->getThen() == Child.get<Stmt>() &&
        isReadyPollOf(If->getCond(), *Future, /*Equal=*/true))
      return true;
    if (const auto *Block = P.get<CompoundStmt>())
      for (const Stmt *S : Block->body()) {
        if (S == Child.get<Stmt>())
          break;
        const auto *If = dyn_cast<IfStmt>(S);
        if (If && !If->getElse() && leaves(If->getThen()) &&
            isReadyPollOf(If->getCond(), *Future, /*Equal=*/false))
          return true;
      }
    Child = P;
    Parents = Ctx.getParents(P);
  }
  return false;
}

bool isUnevaluatedOperand(const Stmt &S) {
  if (isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, RequiresExpr>(S))
    return true;
  if (const auto *Typeid = dyn_cast<CXXTypeidExpr>(&S))
    return !Typeid->isPotentiallyEvaluated();
  return false;
}

void forEachEvaluatedCall(const Stmt *S,
                          llvm::function_ref<bool(const Expr &)> Visit) {
  // An explicit stack keeps deep expressions off the C++ stack; children are
  // pushed in reverse so calls come out in source order.
  llvm::SmallVector<const Stmt *, 32> Work;
  Work.push_back(S);
  while (!Work.empty()) {
    const Stmt *Current = Work.pop_back_val();
    if (!Current || isUnevaluatedOperand(*Current))
      continue;
    if (const auto *Lambda = dyn_cast<LambdaExpr>(Current)) {
      // The body runs only when the lambda is called; its captures run now.
      for (const Expr *Init : llvm::reverse(Lambda->capture_inits()))
        Work.push_back(Init);
      continue;
    }
    if (isa<CallExpr, CXXConstructExpr>(Current))
      if (!Visit(*cast<Expr>(Current)))
        return;
    llvm::SmallVector<const Stmt *, 8> Children(Current->children());
    for (const Stmt *Child : llvm::reverse(Children))
      Work.push_back(Child);
  }
}

bool isInUnevaluatedOperand(const Expr &E, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(E);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (const auto *S = P.get<Stmt>(); S && isUnevaluatedOperand(*S))
      return true;
    // decltype(...) and other operands spelled inside a type.
    if (P.get<TypeLoc>())
      return true;
    if (P.get<Decl>() && !P.get<VarDecl>())
      return false;
    Parents = Ctx.getParents(P);
  }
  return false;
}

BlockingSummary::BlockingSummary(const CoroutineModel &Model, Options Opts)
    : Model(Model), Opts(std::move(Opts)), Locks(Model.rules()) {
  for (const BlockingRule &R : Model.rules().Blocking)
    if (!R.ByParameter.empty())
      SignatureRules.insert(R.Name, &R);
}

/// `Status Greeter::Stub::SayHello(ClientContext *, ...)`: generated code
/// recognised by what it returns and takes.
const BlockingRule *BlockingSummary::signatureRule(const FunctionDecl &Callee) const {
  if (SignatureRules.empty())
    return nullptr;
  const CXXRecordDecl *Returned = Callee.getReturnType()->getAsCXXRecordDecl();
  const BlockingRule *Rule = Returned ? SignatureRules.lookup(Returned) : nullptr;
  if (!Rule)
    return nullptr;
  for (const ParmVarDecl *Param : Callee.parameters())
    if (Param->getType()->isPointerType())
      if (const CXXRecordDecl *RD = Param->getType()->getPointeeCXXRecordDecl();
          RD && ruleName(RD) == Rule->ByParameter)
        return Rule;
  return nullptr;
}

bool BlockingSummary::isShortLockSection(const Expr &Site, const FunctionDecl &FD) {
  return !Opts.FlagShortCriticalSections && endsBeforeSuspension(Site, FD);
}

/// QDBus::NoBlock in `iface.call(QDBus::NoBlock, "m")`: an enumerator the
/// rule names is an argument. Unscoped enumerators match with or without
/// their enum's name.
bool BlockingSummary::hasNonBlockingEnumerator(const Expr &E,
                                               const BlockingRule &Rule) const {
  if (Rule.NonBlockingArguments.empty())
    return false;
  for (const Expr *Arg : argumentsOf(E)) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts());
    const auto *Enumerator =
        Ref ? dyn_cast<EnumConstantDecl>(Ref->getDecl()) : nullptr;
    if (!Enumerator)
      continue;
    std::string Scoped = ruleName(Enumerator);
    const auto *Enum = cast<EnumDecl>(Enumerator->getDeclContext());
    std::string Outer = Enum->isScoped() ? Scoped
                        : isa<NamedDecl>(Enum->getDeclContext())
                            ? ruleName(cast<NamedDecl>(Enum->getDeclContext())) +
                                  "::" + Enumerator->getName().str()
                            : Enumerator->getName().str();
    for (const std::string &Name : Rule.NonBlockingArguments)
      if (Name == Scoped || Name == Outer)
        return true;
  }
  return false;
}

bool BlockingSummary::hasNonBlockingArgument(const Expr &E) const {
  if (Opts.NonBlockingArgumentTypes.empty())
    return false;
  for (const Expr *Arg : argumentsOf(E))
    if (const CXXRecordDecl *RD = recordOfArgument(Arg))
      if (Opts.NonBlockingArgumentTypes.matches(RD))
        return true;
  return false;
}

const BlockingRule *BlockingSummary::directRule(const Expr &E) const {
  const BlockingRule *Rule = nullptr;
  const NamedDecl *Callee = nullptr;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isCopyOrMoveConstructor())
      return nullptr;
    // A default-constructed lock or stream holds nothing yet.
    if (llvm::all_of(argumentsOf(E),
                     [](const Expr *Arg) { return isa<CXXDefaultArgExpr>(Arg); }))
      return nullptr;
    Rule = Model.blockingRule(Ctor);
    Callee = Ctor->getParent();
  } else if (const auto *Call = dyn_cast<CallExpr>(&E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return nullptr;
    const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
    Rule = Member ? Model.blockingRule(*Member) : Model.blockingRule(FD);
    if (!Rule)
      Rule = signatureRule(*FD);
    Callee = FD;
  }
  if (!Rule && (Rule = fileStreamRule(E)))
    Callee = cast<CallExpr>(E).getDirectCallee();
  if (!Rule || Opts.Ignored.contains(Rule->Name) || Opts.Ignored.matches(Callee))
    return nullptr;
  if (hasNonBlockingArgument(E) || hasNonBlockingEnumerator(E, *Rule))
    return nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(&E);
      Call && Opts.ZeroTimeoutPolls && isZeroTimeoutPoll(*Call))
    return nullptr;
  return Rule;
}

const BlockingRule *BlockingSummary::fileStreamRule(const Expr &E) const {
  const auto *Call = dyn_cast<CallExpr>(&E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || Opts.FileStreamOperations.empty() ||
      !namesOperation(Opts.FileStreamOperations, *FD))
    return nullptr;
  const Expr *Object = operandObject(*Call);
  const auto *Ref =
      Object ? dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts()) : nullptr;
  const auto *Stream = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Stream || !Stream->hasLocalStorage() || isa<ParmVarDecl>(Stream) ||
      Stream->getType()->isReferenceType())
    return nullptr;
  const CXXRecordDecl *RD = Stream->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return nullptr;
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (const BlockingRule *Rule = Model.blockingRule(Ctor))
      return Rule->Category == "file" ? Rule : nullptr;
  return nullptr;
}

bool BlockingSummary::isSafeToOffload(const FunctionDecl *FD) {
  if (!FD)
    return false;
  auto [It, Inserted] = OffloadSafe.try_emplace(FD, false);
  if (!Inserted)
    return It->second;
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD); Method && !Method->isStatic())
    return false;
  if (!llvm::all_of(FD->parameters(), [](const ParmVarDecl *P) {
        return isSharableParameter(*P);
      }))
    return false;
  bool Safe = true;
  llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
  while (Safe && !Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
        Safe = !isMutableGlobal(*Var);
    if (isa<CXXThisExpr>(S))
      Safe = false;
    if (isa<CallExpr, CXXConstructExpr>(S))
      Safe = Safe && isOffloadableCall(*cast<Expr>(S));
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      Work.push_back(Lambda->getBody());
      continue; // its children repeat the captures and the body
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return OffloadSafe[FD] = Safe;
}

bool BlockingSummary::isOffloadableCall(const Expr &CallOrConstruct) {
  if (directRule(CallOrConstruct))
    return true;
  const FunctionDecl *Callee = nullptr;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&CallOrConstruct))
    Callee = Construct->getConstructor();
  else if (const auto *Call = dyn_cast<CallExpr>(&CallOrConstruct)) {
    Callee = Call->getDirectCallee();
    if (Callee && isDispatchedVirtually(*Call, *Callee))
      return false;
  }
  if (!Callee)
    return false; // through a pointer or a callable object: unknown code
  if (isDeclaredInSystemHeader(*Callee))
    return true; // library code: works on what it is given
  // A class of the program: its members may reach anything.
  if (isa<CXXMethodDecl>(Callee) && !cast<CXXMethodDecl>(Callee)->isStatic())
    return isa<CXXConstructorDecl>(Callee) &&
           cast<CXXConstructorDecl>(Callee)->isTrivial();
  const FunctionDecl *Def = Callee->getDefinition();
  return Def && !CoroutineModel::isCoroutine(Def) && isSafeToOffload(Def);
}

const FunctionDecl *
BlockingSummary::followableCallee(const Expr &E) const {
  const FunctionDecl *Callee = nullptr;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E)) {
    Callee = Construct->getConstructor();
  } else if (const auto *Call = dyn_cast<CallExpr>(&E)) {
    Callee = Call->getDirectCallee();
    if (Callee && isDispatchedVirtually(*Call, *Callee))
      return nullptr;
  }
  if (!Callee || Model.blockingRule(Callee) || Opts.Ignored.matches(Callee))
    return nullptr;
  const FunctionDecl *Def = Callee->getDefinition();
  if (!Def || !Def->doesThisDeclarationHaveABody() || Def->isDefaulted())
    return nullptr;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return nullptr;
  if (CoroutineModel::isCoroutine(Def))
    return nullptr; // its own blocking calls are reported in it
  return Def;
}

const BlockingPath *BlockingSummary::pathFrom(const FunctionDecl *FD) {
  Scratch.clear();
  return summarise(FD, 0).Path;
}

BlockingSummary::Result BlockingSummary::summarise(const FunctionDecl *FD,
                                                   unsigned Depth) {
  if (auto It = Memo.find(FD); It != Memo.end()) {
    switch (It->second.S) {
    case State::InProgress:
      return {nullptr, true};
    case State::Clean:
      return {nullptr, false};
    case State::Blocks:
      if (Depth + It->second.Path->Steps.size() > Opts.MaxCallDepth)
        return {nullptr, true};
      return {It->second.Path.get(), false};
    }
  }
  // A provisional "clean" from this query, reached no shallower than now.
  if (auto It = Scratch.find(FD); It != Scratch.end() && It->second <= Depth)
    return {nullptr, true};
  if (Depth >= Opts.MaxCallDepth)
    return {nullptr, true};

  Memo[FD].S = State::InProgress;
  std::unique_ptr<BlockingPath> Found;
  bool Provisional = false;
  auto VisitCall = [&](const Expr &Site) {
    if (const BlockingRule *Rule = directRule(Site);
        Rule && !isShortLockSection(Site, *FD)) {
      Found = std::make_unique<BlockingPath>();
      const FunctionDecl *Target = nullptr;
      if (const auto *Call = dyn_cast<CallExpr>(&Site))
        Target = Call->getDirectCallee();
      else
        Target = cast<CXXConstructExpr>(Site).getConstructor();
      Found->Steps.push_back({FD, &Site, Target});
      Found->Rule = Rule;
      return false;
    }
    const FunctionDecl *Callee = followableCallee(Site);
    if (!Callee)
      return true;
    Result Inner = summarise(Callee, Depth + 1);
    Provisional |= Inner.Provisional;
    if (!Inner.Path)
      return true;
    Found = std::make_unique<BlockingPath>();
    Found->Steps.push_back({FD, &Site, Callee});
    Found->Steps.append(Inner.Path->Steps.begin(), Inner.Path->Steps.end());
    Found->Rule = Inner.Path->Rule;
    return false;
  };
  bool Continue = true;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Continue && Init->getInit())
        forEachEvaluatedCall(Init->getInit(), [&](const Expr &Site) {
          return Continue = VisitCall(Site);
        });
  if (Continue)
    forEachEvaluatedCall(FD->getBody(), VisitCall);

  Entry &E = Memo[FD];
  if (Found) {
    E.S = State::Blocks;
    E.Path = std::move(Found);
    return {E.Path.get(), false};
  }
  if (Provisional) {
    Memo.erase(FD);
    Scratch[FD] = Depth;
    return {nullptr, true};
  }
  E.S = State::Clean;
  return {nullptr, false};
}

} // namespace corotidy
