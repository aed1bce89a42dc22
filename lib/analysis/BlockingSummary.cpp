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

} // namespace

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
  return !Opts.FlagShortCriticalSections && Locks.isShortSection(Site, FD);
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
  if (!Rule || Opts.Ignored.contains(Rule->Name) || Opts.Ignored.matches(Callee))
    return nullptr;
  if (hasNonBlockingArgument(E) || hasNonBlockingEnumerator(E, *Rule))
    return nullptr;
  return Rule;
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
