//===--- CoroutineModel.cpp - task types, awaits, calls --------------------===//

#include "CoroutineModel.h"
#include "Roles.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Attr.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <mutex>

using namespace clang;
using namespace corotidy;

namespace {
/// The name D contributes to its rule name: a constructor goes by its class.
const NamedDecl *namingDecl(const NamedDecl *D) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    return Ctor->getParent();
  return D;
}

void appendName(const NamedDecl *D, llvm::SmallVectorImpl<char> &Out) {
  llvm::raw_svector_ostream OS(Out);
  if (const IdentifierInfo *Id = D->getIdentifier())
    OS << Id->getName(); // the common case, without a printing policy
  else
    OS << D->getDeclName();
}
} // namespace

std::string corotidy::ruleName(const NamedDecl *D) {
  D = namingDecl(D);
  llvm::SmallVector<const NamedDecl *, 6> Parts{D};
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS);
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getIdentifier())
        Parts.push_back(RD);
    } else if (isa<FunctionDecl>(DC)) {
      break; // a local class: its enclosing function is no part of its name
    }
  }
  llvm::SmallString<64> Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Name.empty())
      Name += "::";
    appendName(*It, Name);
  }
  return std::string(Name);
}

llvm::StringRef corotidy::ruleLeafName(const NamedDecl *D) {
  const IdentifierInfo *Id = namingDecl(D)->getIdentifier();
  return Id ? Id->getName() : llvm::StringRef();
}

void NameSet::add(const std::vector<std::string> &List) {
  for (const std::string &Name : List)
    add(Name);
}

bool NameSet::matches(const NamedDecl *D) const {
  // A method matched through an override or a base has D's own name too.
  if (!D || Names.empty() || !Names.mayName(D))
    return false;
  if (contains(ruleName(D)))
    return true;
  // A method also matches under the name of a base class that declares it
  // (rules say std::basic_istream::read, the call names std::ifstream).
  if (const auto *M = dyn_cast<CXXMethodDecl>(D)) {
    for (const CXXMethodDecl *Overridden : M->overridden_methods())
      if (matches(Overridden))
        return true;
    const CXXRecordDecl *Class = M->getParent();
    if (!Class->hasDefinition() || !M->getIdentifier())
      return false;
    bool Found = false;
    Class->forallBases([&](const CXXRecordDecl *Base) {
      if (contains(ruleName(Base) + "::" + M->getNameAsString()))
        Found = true;
      return !Found;
    });
    return Found;
  }
  return false;
}

CoroutineModel::CoroutineModel(std::shared_ptr<const RuleSet> R)
    : Rules(std::move(R)) {
  for (const FrameworkRule &F : Rules->Frameworks) {
    for (const TaskTypeRule &T : F.TaskTypes) {
      llvm::StringRef Name = T.Name;
      Name.consume_front("::");
      TaskNames.add(Name);
      TaskRules.insert(Name, &T);
      TaskFramework.insert(Name, &F);
    }
    OffloadNames.add(F.OffloadFunctions);
    CombinatorNames.add(F.Combinators);
    CombinatorNames.add(F.BoundedCombinators);
    BoundedNames.add(F.BoundedCombinators);
    LimiterNames.add(F.Limiters);
    ScopeNames.add(F.Scopes);
    OrderingNames.add(F.OrderingPrimitives);
    ReadinessNames.add(F.ReadinessFunctions);
    for (const SpawnRule &S : F.SpawnFunctions) {
      llvm::StringRef Name = S.Name;
      Name.consume_front("::");
      SpawnRules.insert(Name, &S);
    }
  }
  for (const BlockingRule &B : Rules->Blocking) {
    llvm::StringRef Name = B.Name;
    Name.consume_front("::");
    BlockingNames.add(Name);
    BlockingRules.insert(Name, &B);
  }
  Inference = std::make_unique<RoleInference>(*this, Rules->Inference);
}

CoroutineModel::~CoroutineModel() = default;

llvm::Expected<std::shared_ptr<const CoroutineModel>>
CoroutineModel::get(llvm::StringRef Overlay) {
  static std::mutex Lock;
  static llvm::StringMap<std::shared_ptr<const CoroutineModel>> Cache;
  std::lock_guard<std::mutex> Guard(Lock);
  auto Builtin = builtinRules();
  if (!Builtin)
    return Builtin.takeError();
  // The cache is keyed by overlay text; a changed rules directory (tests)
  // is caught by comparing the built-in set the entry was made from.
  auto It = Cache.find(Overlay);
  if (It != Cache.end() && It->second->BuiltinSource == Builtin->get())
    return It->second;
  std::shared_ptr<const RuleSet> Rules = *Builtin;
  if (!Overlay.trim().empty()) {
    auto Parsed = parseRules(Overlay, RulesOptionName);
    if (!Parsed)
      return Parsed.takeError();
    auto Merged = std::make_shared<RuleSet>(**Builtin);
    Merged->merge(std::move(*Parsed));
    Rules = std::move(Merged);
  }
  auto Model = std::make_shared<CoroutineModel>(std::move(Rules));
  Model->BuiltinSource = Builtin->get();
  Cache[Overlay] = Model;
  return Model;
}

// --- Types -----------------------------------------------------------------

namespace {

/// The record whose members we can read: the definition, or for a class
/// template specialisation that was never instantiated, its pattern.
const CXXRecordDecl *readableRecord(const CXXRecordDecl *RD) {
  if (!RD)
    return nullptr;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    return Def;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    auto Pattern = Spec->getSpecializedTemplateOrPartial();
    if (auto *Partial =
            Pattern.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
      return Partial->getDefinition();
    if (auto *Template = Pattern.dyn_cast<ClassTemplateDecl *>())
      return Template->getTemplatedDecl()->getDefinition();
  }
  // A member class of a class template specialisation (Lazy<int>::promise_type)
  // is only instantiated when used as a coroutine's promise: read its pattern.
  if (const CXXRecordDecl *Pattern = RD->getInstantiatedFromMemberClass())
    return readableRecord(Pattern);
  return nullptr;
}

/// The record a (possibly dependent) type names.
const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return RD;
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const auto *CTD = dyn_cast_or_null<ClassTemplateDecl>(
            TST->getTemplateName().getAsTemplateDecl()))
      return CTD->getTemplatedDecl();
  if (const auto *Inj = T->getAs<InjectedClassNameType>())
    return Inj->getDecl();
  return nullptr;
}

/// Looks a member up in a record and its bases, each record once: a pattern
/// can name itself as a dependent base (template <class T, class... Rest>
/// struct chain : chain<Rest...>, as Catch2 has), and recordOf reads that
/// base as the same pattern.
const NamedDecl *
findMemberOnce(const CXXRecordDecl *RD, IdentifierInfo &Id,
               llvm::SmallPtrSetImpl<const CXXRecordDecl *> &Visited) {
  RD = readableRecord(RD);
  if (!RD || !Visited.insert(RD).second)
    return nullptr;
  for (const NamedDecl *D : RD->lookup(&Id))
    return D;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (const NamedDecl *D = findMemberOnce(recordOf(Base.getType()), Id, Visited))
      return D;
  return nullptr;
}

/// Looks a member up by name in a record and its bases.
const NamedDecl *findMember(const CXXRecordDecl *RD, llvm::StringRef Name) {
  if (!RD)
    return nullptr;
  llvm::SmallPtrSet<const CXXRecordDecl *, 8> Visited;
  return findMemberOnce(RD, RD->getASTContext().Idents.get(Name), Visited);
}

const CXXRecordDecl *typeMemberRecord(const NamedDecl *D) {
  if (!D)
    return nullptr;
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    return RD;
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D))
    return recordOf(TD->getUnderlyingType());
  return nullptr;
}

bool isAwaitable(const CXXRecordDecl *RD) {
  if (findMember(RD, "await_ready"))
    return true;
  RD = readableRecord(RD);
  if (!RD)
    return false;
  auto OpName = RD->getASTContext().DeclarationNames.getCXXOperatorName(
      OO_Coawait);
  return !RD->lookup(OpName).empty();
}

/// Template of a record, if it is a specialisation or a templated pattern.
const ClassTemplateDecl *templateOf(const CXXRecordDecl *RD) {
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return Spec->getSpecializedTemplate()->getCanonicalDecl();
  if (const ClassTemplateDecl *CTD = RD->getDescribedClassTemplate())
    return CTD->getCanonicalDecl();
  return nullptr;
}

/// Finds std::coroutine_traits<R, ...>::promise_type for records that get
/// their promise from a traits specialisation (asio::awaitable does).
const CXXRecordDecl *promiseFromTraits(const CXXRecordDecl *Task) {
  ASTContext &Ctx = Task->getASTContext();
  auto Std = Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get("std"));
  for (const NamedDecl *StdDecl : Std) {
    const auto *NS = dyn_cast<NamespaceDecl>(StdDecl);
    if (!NS)
      continue;
    for (const NamedDecl *D :
         NS->lookup(&Ctx.Idents.get("coroutine_traits"))) {
      const auto *Traits = dyn_cast<ClassTemplateDecl>(D);
      if (!Traits)
        continue;
      llvm::SmallVector<ClassTemplatePartialSpecializationDecl *, 4> Partials;
      const_cast<ClassTemplateDecl *>(Traits)->getPartialSpecializations(
          Partials);
      auto FirstArgNames = [&](const TemplateArgumentList &Args) {
        if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
          return false;
        return CoroutineModel::isSameTaskFamily(recordOf(Args[0].getAsType()), Task);
      };
      for (ClassTemplatePartialSpecializationDecl *P : Partials)
        if (FirstArgNames(P->getTemplateArgs()))
          return typeMemberRecord(findMember(P, "promise_type"));
      for (const ClassTemplateSpecializationDecl *S : Traits->specializations())
        if (S->isExplicitSpecialization() && FirstArgNames(S->getTemplateArgs()))
          return typeMemberRecord(findMember(S, "promise_type"));
    }
  }
  return nullptr;
}

/// A function body that is a single `return true;` / `return false;`.
std::optional<bool> returnsConstantBool(const FunctionDecl *FD) {
  if (!FD)
    return std::nullopt;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def) {
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      Def = Pattern->getDefinition();
  }
  if (!Def || !Def->getBody())
    return std::nullopt;
  const auto *Body = dyn_cast<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return std::nullopt;
  if (const auto *Lit =
          dyn_cast<CXXBoolLiteralExpr>(Ret->getRetValue()->IgnoreImpCasts()))
    return Lit->getValue();
  return std::nullopt;
}

/// The type an initial_suspend() returns, looking into `auto` bodies.
QualType initialSuspendType(const FunctionDecl *FD) {
  QualType T = FD->getReturnType();
  if (!T->isUndeducedAutoType() && !T->isDependentType())
    return T;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody())
    return T;
  if (const auto *Body = dyn_cast<CompoundStmt>(Def->getBody()))
    for (const Stmt *S : Body->body())
      if (const auto *Ret = dyn_cast<ReturnStmt>(S))
        if (Ret->getRetValue())
          return Ret->getRetValue()->getType();
  return T;
}

} // namespace

bool CoroutineModel::isSameTaskFamily(const CXXRecordDecl *A,
                                      const CXXRecordDecl *B) {
  if (!A || !B)
    return false;
  if (A->getCanonicalDecl() == B->getCanonicalDecl())
    return true;
  const ClassTemplateDecl *TemplateA = templateOf(A);
  return TemplateA && TemplateA == templateOf(B);
}

const CXXRecordDecl *
CoroutineModel::promiseOf(const CXXRecordDecl *TaskRecord) const {
  if (!TaskRecord)
    return nullptr;
  if (const CXXRecordDecl *P =
          typeMemberRecord(findMember(TaskRecord, "promise_type")))
    return P;
  return promiseFromTraits(TaskRecord);
}

bool CoroutineModel::isAwaitableType(QualType T) const {
  return isAwaitable(recordOf(T));
}

bool CoroutineModel::isKnownToRules(const CXXRecordDecl *Record) const {
  return TaskNames.matches(Record) || ScopeNames.matches(Record) ||
         OrderingNames.matches(Record);
}

Laziness CoroutineModel::lazinessOf(const CXXRecordDecl *TaskRecord) const {
  const CXXRecordDecl *Promise = promiseOf(TaskRecord);
  const auto *Initial = dyn_cast_or_null<FunctionDecl>(
      findMember(Promise, "initial_suspend"));
  if (!Initial)
    return Laziness::Unknown;
  const CXXRecordDecl *Awaiter = recordOf(initialSuspendType(Initial));
  if (!Awaiter)
    return Laziness::Unknown;
  llvm::StringRef Name = Awaiter->getName();
  if (Name == "suspend_always")
    return Laziness::Lazy;
  if (Name == "suspend_never")
    return Laziness::Eager;
  std::optional<bool> Ready = returnsConstantBool(
      dyn_cast_or_null<FunctionDecl>(findMember(Awaiter, "await_ready")));
  if (!Ready)
    return Laziness::Unknown;
  return *Ready ? Laziness::Eager : Laziness::Lazy;
}

TaskInfo CoroutineModel::classifyType(QualType T) const {
  TaskInfo Info;
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return Info;
  if (TaskRules.mayName(RD)) {
    std::string Name = ruleName(RD);
    if (const TaskTypeRule *Rule = TaskRules.lookup(Name)) {
      Info.IsTask = true;
      Info.Record = RD;
      Info.Framework = TaskFramework.lookup(Name);
      Info.Lazy = Rule->Lazy != Laziness::Unknown ? Rule->Lazy : lazinessOf(RD);
      return Info;
    }
  }
  const CXXRecordDecl *Readable = readableRecord(RD);
  bool Attributed = (Readable && Readable->hasAttr<CoroReturnTypeAttr>()) ||
                    RD->hasAttr<CoroReturnTypeAttr>();
  if (!Attributed && !(promiseOf(RD) && isAwaitable(RD)))
    return Info;
  Info.IsTask = true;
  Info.Record = RD;
  Info.Lazy = lazinessOf(RD);
  return Info;
}

// --- Functions ---------------------------------------------------------------

namespace {
class SuspensionFinder : public RecursiveASTVisitor<SuspensionFinder> {
public:
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; } // its own function
  bool VisitCoawaitExpr(CoawaitExpr *) { return !(Found = true); }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) {
    return !(Found = true);
  }
  bool VisitCoyieldExpr(CoyieldExpr *) { return !(Found = true); }
  bool VisitCoreturnStmt(CoreturnStmt *) { return !(Found = true); }
};
} // namespace

bool CoroutineModel::isCoroutine(const FunctionDecl *FD) {
  if (!FD)
    return false;
  const Stmt *Body = FD->getBody();
  if (!Body)
    return false;
  if (isa<CoroutineBodyStmt>(Body))
    return true;
  // Uninstantiated templates may keep a plain body: look for suspensions.
  if (!FD->isDependentContext())
    return false;
  SuspensionFinder Finder;
  Finder.TraverseStmt(const_cast<Stmt *>(Body));
  return Finder.Found;
}

const Stmt *CoroutineModel::parentStmt(const DynTypedNode &N, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(N);
  return Parents.empty() ? nullptr : Parents[0].get<Stmt>();
}

const FunctionDecl *CoroutineModel::enclosingFunction(const Stmt &S,
                                                      ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(S);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (const auto *FD = P.get<FunctionDecl>())
      return FD;
    if (const auto *Lambda = P.get<LambdaExpr>())
      return Lambda->getCallOperator();
    if (P.get<BlockExpr>() || P.get<ObjCMethodDecl>())
      return nullptr;
    Parents = Ctx.getParents(P);
  }
  return nullptr;
}

const FunctionDecl *CoroutineModel::enclosingCoroutine(const Stmt &S,
                                                       ASTContext &Ctx) {
  const FunctionDecl *FD = enclosingFunction(S, Ctx);
  return isCoroutine(FD) ? FD : nullptr;
}

const FrameworkRule *
CoroutineModel::frameworkOf(const FunctionDecl *Coroutine) const {
  if (!Coroutine)
    return nullptr;
  return classifyType(Coroutine->getReturnType()).Framework;
}

bool CoroutineModel::acceptsAsyncrtFixes(const FunctionDecl *Coroutine) const {
  const FrameworkRule *F = frameworkOf(Coroutine);
  return F && F->AcceptsAsyncrtAwaitables;
}

// --- Calls -------------------------------------------------------------------

SourceLocation CoroutineModel::callStart(const CallExpr &Call) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call)) {
    OverloadedOperatorKind Kind = Op->getOperator();
    bool OperandFirst = Op->getNumArgs() == 2 || Kind == OO_Call ||
                        Kind == OO_Subscript || Kind == OO_Arrow;
    if (OperandFirst && Op->getNumArgs() > 0)
      return Op->getArg(0)->getBeginLoc();
  }
  return Call.getBeginLoc();
}

SourceLocation CoroutineModel::callEnd(const CallExpr &Call) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call)) {
    OverloadedOperatorKind Kind = Op->getOperator();
    if (Kind == OO_Call || Kind == OO_Subscript)
      return Op->getRParenLoc();
    if (Kind == OO_PlusPlus || Kind == OO_MinusMinus)
      return Op->getNumArgs() == 2 ? Op->getOperatorLoc() : Op->getArg(0)->getEndLoc();
    if (Op->getNumArgs() > 0)
      return Op->getArg(Op->getNumArgs() - 1)->getEndLoc();
  }
  return Call.getEndLoc();
}

const SpawnRule *CoroutineModel::spawnRule(const FunctionDecl *Callee) const {
  if (const SpawnRule *Rule = SpawnRules.lookup(Callee))
    return Rule;
  const auto &Spawn = Inference->rolesOf(Callee).Spawn;
  return Spawn ? &*Spawn : nullptr;
}

bool CoroutineModel::isOffloadFunction(const FunctionDecl *Callee) const {
  return OffloadNames.matches(Callee);
}

bool CoroutineModel::isCombinator(const FunctionDecl *Callee) const {
  return CombinatorNames.matches(Callee) || Inference->rolesOf(Callee).Combinator;
}

bool CoroutineModel::isBoundedCombinator(const FunctionDecl *Callee) const {
  if (BoundedNames.matches(Callee))
    return true;
  // A combinator the rules name is unbounded unless they say otherwise.
  return !CombinatorNames.matches(Callee) && Inference->rolesOf(Callee).Bounded;
}

bool CoroutineModel::isLimiter(const FunctionDecl *Callee) const {
  return LimiterNames.matches(Callee) || Inference->rolesOf(Callee).Limiter;
}

bool CoroutineModel::isScopeType(const CXXRecordDecl *Record) const {
  return ScopeNames.matches(Record) ||
         (Record && !isKnownToRules(Record) && Inference->rolesOf(Record).Scope);
}

bool CoroutineModel::isOrderingPrimitive(const NamedDecl *D) const {
  if (!D)
    return false;
  if (OrderingNames.matches(D))
    return true;
  // A member of an ordering type (semaphore::acquire) orders too.
  if (const auto *M = dyn_cast<CXXMethodDecl>(D))
    if (OrderingNames.matches(M->getParent()))
      return true;
  // By shape: a sleep, an acquisition, a scope's join.
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (SpawnRules.lookup(FD) || CombinatorNames.matches(FD))
      return false;
    if (Inference->rolesOf(FD).Ordering)
      return true;
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
      return isScopeType(M->getParent()) && !spawnRule(M);
  }
  return false;
}

const BlockingRule *
CoroutineModel::memberBlockingRule(const CXXRecordDecl *Class,
                                   llvm::StringRef Method) const {
  if (!Class || !BlockingRules.mayName(Method))
    return nullptr;
  std::string Suffix = ("::" + Method).str();
  auto Lookup = [&](const CXXRecordDecl *RD) -> const BlockingRule * {
    const BlockingRule *R = BlockingRules.lookup(llvm::StringRef(ruleName(RD) + Suffix));
    return R && !R->Constructor ? R : nullptr;
  };
  if (const BlockingRule *R = Lookup(Class))
    return R;
  const BlockingRule *Found = nullptr;
  if (const CXXRecordDecl *Def = Class->getDefinition())
    Def->forallBases([&](const CXXRecordDecl *Base) {
      Found = Lookup(Base);
      return !Found;
    });
  return Found;
}

const BlockingRule *
CoroutineModel::blockingRule(const FunctionDecl *Callee) const {
  if (!Callee)
    return nullptr;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee)) {
    const BlockingRule *R = BlockingRules.lookup(Ctor->getParent());
    return R && R->Constructor ? R : nullptr;
  }
  if (const BlockingRule *R = BlockingRules.lookup(Callee))
    return R->Constructor ? nullptr : R;
  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee); M && M->getIdentifier())
    if (const BlockingRule *R = memberBlockingRule(M->getParent(), M->getName()))
      return R;
  if (SpawnRules.lookup(Callee))
    return nullptr;
  const auto &SyncWait = Inference->rolesOf(Callee).SyncWait;
  return SyncWait ? &*SyncWait : nullptr;
}

const BlockingRule *
CoroutineModel::blockingRule(const CXXMemberCallExpr &Call) const {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  if (const BlockingRule *R = blockingRule(Method))
    return R;
  // Rules name the class users see (std::future::wait); the library may
  // declare the method in a base (libstdc++'s __basic_future::wait), so look
  // at the class of the object the call is made on.
  const Expr *Object = Call.getImplicitObjectArgument();
  if (!Method || !Method->getIdentifier() || !Object)
    return nullptr;
  QualType ObjectType = Object->IgnoreParenImpCasts()->getType();
  if (ObjectType->isPointerType())
    ObjectType = ObjectType->getPointeeType();
  return memberBlockingRule(ObjectType->getAsCXXRecordDecl(), Method->getName());
}

namespace {
/// Skips the implicit wrappers clang puts around a value on its way up.
bool isTransparentParent(const DynTypedNode &N) {
  if (const auto *E = N.get<Expr>()) {
    if (isa<ImplicitCastExpr, ParenExpr, ExprWithCleanups,
            MaterializeTemporaryExpr, CXXBindTemporaryExpr, ConstantExpr,
            FullExpr>(E))
      return true;
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
      return Construct->getNumArgs() == 1 &&
             Construct->getConstructor()->isCopyOrMoveConstructor();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
      return Cast->getCastKind() == CK_NoOp ||
             Cast->getCastKind() == CK_ConstructorConversion;
  }
  return false;
}
} // namespace

namespace {
class ReadinessCollector : public RecursiveASTVisitor<ReadinessCollector> {
public:
  ReadinessCollector(const NameSet &Readiness,
                     llvm::SmallPtrSet<const VarDecl *, 4> &Fds)
      : Readiness(Readiness), Fds(Fds) {}
  bool VisitCallExpr(CallExpr *Call) {
    if (Call->getNumArgs() == 0 || !Readiness.matches(Call->getDirectCallee()))
      return true;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(
            CoroutineModel::ignoreValueWrappers(Call->getArg(0))))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
        Fds.insert(Var);
    return true;
  }

private:
  const NameSet &Readiness;
  llvm::SmallPtrSet<const VarDecl *, 4> &Fds;
};
} // namespace

llvm::SmallPtrSet<const VarDecl *, 4>
CoroutineModel::fdsAwaitedForReadiness(const FunctionDecl &Coroutine) const {
  llvm::SmallPtrSet<const VarDecl *, 4> Fds;
  if (!ReadinessNames.empty() && Coroutine.getBody())
    ReadinessCollector(ReadinessNames, Fds)
        .TraverseStmt(const_cast<Stmt *>(Coroutine.getBody()));
  return Fds;
}

bool CoroutineModel::isInOffloadedCallable(const Stmt &S,
                                           ASTContext &Ctx) const {
  DynTypedNodeList Parents = Ctx.getParents(S);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (P.get<FunctionDecl>() && !P.get<CXXMethodDecl>())
      return false;
    if (const auto *Lambda = P.get<LambdaExpr>()) {
      DynTypedNodeList Up = Ctx.getParents(*Lambda);
      while (!Up.empty() && isTransparentParent(Up[0]))
        Up = Ctx.getParents(Up[0]);
      if (!Up.empty())
        if (const auto *Call = Up[0].get<CallExpr>())
          if (isOffloadFunction(Call->getDirectCallee()))
            return true;
    }
    Parents = Ctx.getParents(P);
  }
  return false;
}

// --- Awaits and values -------------------------------------------------------

bool CoroutineModel::isExplicitAwait(const Expr *E) {
  if (const auto *Await = dyn_cast_or_null<CoawaitExpr>(E))
    return !Await->isImplicit();
  return isa_and_nonnull<CoyieldExpr, DependentCoawaitExpr>(E);
}

AwaitKind CoroutineModel::classifyAwait(const CoawaitExpr &Await,
                                        const VarDecl *Bound) const {
  const Expr *Operand = ignoreValueWrappers(Await.getOperand());
  // `auto guard = co_await m.lock();` with guard never read: it exists for
  // its lifetime, so the await orders what follows.
  if (Bound && !Bound->isReferenced() && Inference->isGuardType(Bound->getType()))
    return AwaitKind::OrderingPrimitive;
  if (const auto *Call = dyn_cast<CallExpr>(Operand)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    bool IsMove = Callee && Callee->isInStdNamespace() &&
                  Callee->getName() == "move" && Call->getNumArgs() == 1;
    if (!IsMove) {
      if (isCombinator(Callee))
        return AwaitKind::Combinator;
      if (isOrderingPrimitive(Callee))
        return AwaitKind::OrderingPrimitive;
      if (classifyType(Call->getType()))
        return AwaitKind::TaskCall;
    }
  }
  if (const CXXRecordDecl *RD = recordOf(Operand->getType()))
    if (isOrderingPrimitive(RD))
      return AwaitKind::OrderingPrimitive;
  if (classifyType(Operand->getType()))
    return AwaitKind::TaskObject;
  return AwaitKind::Other;
}

const Expr *CoroutineModel::ignoreValueWrappers(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
      E = Default->getExpr();
    else if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      E = Cleanups->getSubExpr();
    else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Temp->getSubExpr();
    else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr();
    else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
             Construct && Construct->getNumArgs() == 1 &&
             Construct->getConstructor()->isCopyOrMoveConstructor())
      E = Construct->getArg(0);
    else
      return E;
  }
  return E;
}

bool CoroutineModel::isInCatchHandler(const Stmt &S, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(S);
  while (!Parents.empty()) {
    if (Parents[0].get<CXXCatchStmt>())
      return true;
    if (Parents[0].get<FunctionDecl>() || Parents[0].get<LambdaExpr>())
      return false;
    Parents = Ctx.getParents(Parents[0]);
  }
  return false;
}

ValueUse CoroutineModel::useOf(const Expr &E, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(E);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return ValueUse::Other;
    const DynTypedNode &P = Parents[0];
    if (isTransparentParent(P)) {
      Node = P;
      continue;
    }
    const Stmt *Child = Node.get<Stmt>();
    if (const auto *Cast = P.get<ExplicitCastExpr>()) {
      if (Cast->getTypeAsWritten()->isVoidType())
        return ValueUse::VoidCast;
      Node = P; // a cast to another type passes the value on
      continue;
    }
    if (P.get<CoawaitExpr>() || P.get<CoyieldExpr>() ||
        P.get<DependentCoawaitExpr>())
      return ValueUse::Awaited;
    if (P.get<ReturnStmt>() || P.get<CoreturnStmt>())
      return ValueUse::Returned;
    if (const auto *BO = P.get<BinaryOperator>()) {
      if (BO->isCommaOp()) {
        if (BO->getLHS()->IgnoreParens() == Child)
          return ValueUse::Discarded;
        Node = P;
        continue;
      }
      return BO->isAssignmentOp() ? ValueUse::Stored : ValueUse::Other;
    }
    if (const auto *CO = P.get<ConditionalOperator>()) {
      if (CO->getCond() == Child)
        return ValueUse::Other;
      Node = P;
      continue;
    }
    if (const auto *Op = P.get<CXXOperatorCallExpr>()) {
      if (Op->isAssignmentOp())
        return ValueUse::Stored;
      return ValueUse::PassedOn;
    }
    if (P.get<CallExpr>() || P.get<CXXConstructExpr>() ||
        P.get<InitListExpr>() || P.get<ParenListExpr>() ||
        P.get<CXXUnresolvedConstructExpr>())
      return ValueUse::PassedOn;
    if (P.get<VarDecl>() || P.get<FieldDecl>() || P.get<CXXCtorInitializer>())
      return ValueUse::Stored;
    if (P.get<LambdaExpr>())
      return ValueUse::Stored; // an init-capture
    if (const auto *S = P.get<Stmt>()) {
      if (isa<CompoundStmt, LabelStmt, DefaultStmt, AttributedStmt>(S))
        return ValueUse::Discarded;
      if (const auto *Case = dyn_cast<CaseStmt>(S))
        return Case->getSubStmt() == Child ? ValueUse::Discarded
                                           : ValueUse::Other;
      if (const auto *If = dyn_cast<IfStmt>(S))
        return (If->getThen() == Child || If->getElse() == Child)
                   ? ValueUse::Discarded
                   : ValueUse::Other;
      if (const auto *For = dyn_cast<ForStmt>(S))
        return (For->getBody() == Child || For->getInit() == Child ||
                For->getInc() == Child)
                   ? ValueUse::Discarded
                   : ValueUse::Other;
      if (const auto *While = dyn_cast<WhileStmt>(S))
        return While->getBody() == Child ? ValueUse::Discarded
                                         : ValueUse::Other;
      if (const auto *Do = dyn_cast<DoStmt>(S))
        return Do->getBody() == Child ? ValueUse::Discarded : ValueUse::Other;
      if (const auto *Range = dyn_cast<CXXForRangeStmt>(S))
        return Range->getBody() == Child ? ValueUse::Discarded
                                         : ValueUse::Other;
    }
    return ValueUse::Other;
  }
}
