//===--- Roles.cpp - framework roles recognised by their shape -------------===//

#include "Roles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/RecursiveASTVisitor.h"

#include <atomic>
#include <map>
#include <mutex>

using namespace clang;

namespace corotidy {

// --- The per-ASTContext cache ------------------------------------------------

namespace {

/// Answers for one ASTContext and one model. Entries are boxed so that the
/// SpawnRule / BlockingRule handed to checks keep their address.
struct RoleCache {
  llvm::DenseMap<const Decl *, std::unique_ptr<FunctionRoles>> Functions;
  llvm::DenseMap<const Decl *, std::optional<RecordRoles>> Records;
};

using CacheKey = std::pair<const void *, const ASTContext *>;
std::mutex CachesLock;
std::map<CacheKey, std::unique_ptr<RoleCache>> Caches;
/// Bumped whenever an ASTContext dies, so a thread's last-used entry is
/// never trusted across a context that may have been freed.
std::atomic<unsigned> CacheEpoch{0};

void forgetContext(void *Ctx) {
  std::lock_guard<std::mutex> Guard(CachesLock);
  for (auto It = Caches.begin(); It != Caches.end();)
    It = It->first.second == Ctx ? Caches.erase(It) : std::next(It);
  ++CacheEpoch;
}

RoleCache &cacheFor(const RoleInference *Owner, const ASTContext &Ctx) {
  thread_local CacheKey LastKey{nullptr, nullptr};
  thread_local RoleCache *Last = nullptr;
  thread_local unsigned LastEpoch = ~0u;
  CacheKey Key{Owner, &Ctx};
  if (Last && LastKey == Key && LastEpoch == CacheEpoch.load())
    return *Last;
  std::lock_guard<std::mutex> Guard(CachesLock);
  bool KnownContext = llvm::any_of(
      Caches, [&](const auto &Entry) { return Entry.first.second == &Ctx; });
  std::unique_ptr<RoleCache> &Slot = Caches[Key];
  if (!Slot)
    Slot = std::make_unique<RoleCache>();
  if (!KnownContext)
    const_cast<ASTContext &>(Ctx).AddDeallocation(forgetContext,
                                                  const_cast<ASTContext *>(&Ctx));
  LastKey = Key;
  Last = Slot.get();
  LastEpoch = CacheEpoch.load();
  return *Slot;
}

// --- Shape helpers ------------------------------------------------------------

} // namespace

/// D is declared in std, at any depth (std::vector::push_back,
/// std::__exception_ptr::exception_ptr).
static bool isInStd(const Decl *D) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isStdNamespace())
      return true;
  return false;
}

bool isCountType(QualType T, const ASTContext &Ctx) {
  return T->isIntegralType(Ctx) && !T->isBooleanType();
}

bool isImplementationDetail(const Decl *D) {
  if (isInStd(D))
    return true;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      llvm::StringRef Name = NS->getName();
      if (Name == "detail" || Name == "details" || Name == "impl" ||
          Name == "internal" || Name.starts_with("__"))
        return true;
    }
  return false;
}

namespace {

/// The same template type parameter (its depth and position), however
/// the two were reached.
bool sameTemplateParam(const TemplateTypeParmType *A, const TemplateTypeParmType *B) {
  return A->getDepth() == B->getDepth() && A->getIndex() == B->getIndex();
}

/// Functions whose parameters are not what they seem: special members,
/// operators, conversions, lambdas and deduction guides.
bool hasOrdinaryName(const FunctionDecl *FD) {
  if (isa<CXXConstructorDecl, CXXDestructorDecl, CXXConversionDecl,
          CXXDeductionGuideDecl>(FD))
    return false;
  if (FD->isOverloadedOperator() || !FD->getIdentifier())
    return false;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    if (M->getParent()->isLambda())
      return false;
  return true;
}

/// The declaration whose written shape counts: a template's pattern.
const FunctionDecl *patternOf(const FunctionDecl *FD) {
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
    return P;
  return FD;
}

bool isNamedStd(QualType T, llvm::StringRef Name) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD) {
    if (const auto *TST = T.getNonReferenceType()->getAs<TemplateSpecializationType>())
      if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
        return isInStd(TD) && TD->getName() == Name;
    return false;
  }
  return isInStd(RD) && RD->getName() == Name;
}

bool isExceptionPtr(QualType T) {
  return !T.isNull() && isNamedStd(T.getNonReferenceType().getUnqualifiedType(),
                                   "exception_ptr");
}

bool isChronoDuration(QualType T) {
  return isNamedStd(T, "duration") || isNamedStd(T, "time_point");
}

/// A function type whose first parameter takes a std::exception_ptr.
bool takesExceptionPtr(const FunctionProtoType *Proto) {
  return Proto && Proto->getNumParams() >= 1 && isExceptionPtr(Proto->getParamType(0));
}

/// T is callable with a std::exception_ptr: a lambda or functor with such
/// an operator(), std::function<R(std::exception_ptr)>, a function pointer.
bool isConcreteErrorHandler(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  if (const auto *Proto = T->getAs<FunctionProtoType>())
    return takesExceptionPtr(Proto);
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  // std::function<void(std::exception_ptr)> and friends, instantiated or not.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type &&
          takesExceptionPtr(Arg.getAsType()->getAs<FunctionProtoType>()))
        return true;
  if (!RD->hasDefinition())
    return false;
  auto Call = RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Call);
  for (const NamedDecl *D : RD->lookup(Call)) {
    const FunctionDecl *FD = D->getAsFunction();
    if (FD && FD->getNumParams() >= 1 && isExceptionPtr(FD->getParamDecl(0)->getType()))
      return true;
  }
  return false;
}

/// Does a constraint expression pair the template parameter Param with
/// std::exception_ptr (std::invocable<F, std::exception_ptr>)?
class HandlerConstraintFinder
    : public RecursiveASTVisitor<HandlerConstraintFinder> {
public:
  explicit HandlerConstraintFinder(const TemplateTypeParmType *Param) : Param(Param) {}
  bool Found = false;
  bool VisitConceptSpecializationExpr(ConceptSpecializationExpr *E) {
    look(E->getTemplateArguments());
    return !Found;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *Spec = dyn_cast<VarTemplateSpecializationDecl>(E->getDecl()))
      look(Spec->getTemplateArgs().asArray());
    llvm::SmallVector<TemplateArgument, 4> Written;
    for (const TemplateArgumentLoc &Loc : E->template_arguments())
      Written.push_back(Loc.getArgument());
    look(Written);
    return !Found;
  }

private:
  void look(llvm::ArrayRef<TemplateArgument> Args) {
    bool HasParam = false, HasExceptionPtr = false;
    llvm::SmallVector<TemplateArgument, 4> Flat;
    for (const TemplateArgument &Arg : Args) // invocable<F, Args...>: a pack
      if (Arg.getKind() == TemplateArgument::Pack)
        Flat.append(Arg.pack_begin(), Arg.pack_end());
      else
        Flat.push_back(Arg);
    for (const TemplateArgument &Arg : Flat) {
      if (Arg.getKind() != TemplateArgument::Type)
        continue;
      QualType T = Arg.getAsType().getNonReferenceType();
      if (const auto *P = T->getAs<TemplateTypeParmType>())
        HasParam |= sameTemplateParam(P, Param);
      HasExceptionPtr |= isExceptionPtr(T);
    }
    Found |= HasParam && HasExceptionPtr;
  }
  const TemplateTypeParmType *Param;
};

/// A parameter of a function template whose type is a template parameter
/// that a constraint says is callable with std::exception_ptr, or that is
/// named like a handler (on_error, handler) when unconstrained.
bool isDependentErrorHandler(const FunctionDecl *Pattern, const ParmVarDecl *P) {
  const auto *Param = P->getType().getNonReferenceType()->getAs<TemplateTypeParmType>();
  if (!Param)
    return false;
  llvm::SmallVector<const Expr *, 4> Constraints;
  if (const Expr *Trailing = Pattern->getTrailingRequiresClause())
    Constraints.push_back(Trailing);
  if (const FunctionTemplateDecl *FTD = Pattern->getDescribedFunctionTemplate()) {
    llvm::SmallVector<const Expr *, 4> Associated;
    FTD->getAssociatedConstraints(Associated);
    Constraints.append(Associated.begin(), Associated.end());
  }
  for (const Expr *C : Constraints) {
    HandlerConstraintFinder Finder(Param);
    Finder.TraverseStmt(const_cast<Expr *>(C));
    if (Finder.Found)
      return true;
  }
  if (!Constraints.empty())
    return false;
  std::string Name = P->getName().lower();
  return llvm::StringRef(Name).contains("error") ||
         llvm::StringRef(Name).contains("handler");
}

/// A parameter passes a task in by value or rvalue reference (a forwarding
/// reference counts: its pattern says T&&).
bool takesOwnership(const ParmVarDecl *P, const ParmVarDecl *PatternParam) {
  QualType T = P->getType();
  if (!T->isReferenceType() || T->isRValueReferenceType())
    return true;
  return PatternParam && PatternParam->getType()->isRValueReferenceType();
}

/// Does the body directly call something the rules say blocks?
class DirectBlockingFinder : public RecursiveASTVisitor<DirectBlockingFinder> {
public:
  explicit DirectBlockingFinder(const CoroutineModel &Model) : Model(Model) {}
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *Call) {
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      Found |= Model.blockingRule(*Member) != nullptr;
    else
      Found |= Model.blockingRule(Call->getDirectCallee()) != nullptr;
    return !Found;
  }

private:
  const CoroutineModel &Model;
};

/// The parameter of FD's pattern that FD's parameter I was instantiated
/// from (a pack in the pattern expands into several).
const ParmVarDecl *patternParam(const FunctionDecl *FD, unsigned I) {
  const FunctionDecl *Pattern = patternOf(FD);
  if (Pattern == FD)
    return I < FD->getNumParams() ? FD->getParamDecl(I) : nullptr;
  unsigned PackSize = FD->getNumParams() + 1 - Pattern->getNumParams();
  unsigned Index = 0;
  for (const ParmVarDecl *P : Pattern->parameters()) {
    unsigned Width = P->isParameterPack() ? PackSize : 1;
    if (I < Index + Width)
      return P;
    Index += Width;
  }
  return nullptr;
}

/// Does a concept require awaitability: its constraint, or a concept it
/// names, asks for await_ready() or operator co_await? (libcoro's
/// concepts::awaitable, cppcoro's is_awaitable as a concept, a home-made one.)
class AwaitConceptFinder : public RecursiveASTVisitor<AwaitConceptFinder> {
public:
  bool Found = false;
  void look(const ConceptDecl *Concept) {
    if (!Concept || Found || !Seen.insert(Concept).second)
      return;
    if (const Expr *E = Concept->getConstraintExpr())
      TraverseStmt(const_cast<Expr *>(E));
  }
  bool VisitConceptSpecializationExpr(ConceptSpecializationExpr *E) {
    look(E->getNamedConcept());
    return !Found;
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *E) {
    return note(E->getMember());
  }
  bool VisitMemberExpr(MemberExpr *E) { return note(E->getMemberDecl()->getDeclName()); }
  bool VisitUnresolvedMemberExpr(UnresolvedMemberExpr *E) { return note(E->getName()); }
  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *E) { return note(E->getName()); }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return note(E->getDecl()->getDeclName()); }

private:
  bool note(DeclarationName Name) {
    Found |= Name.getCXXOverloadedOperator() == OO_Coawait ||
             (Name.isIdentifier() && Name.getAsIdentifierInfo()->getName() == "await_ready");
    return !Found;
  }
  llvm::SmallPtrSet<const ConceptDecl *, 8> Seen;
};

bool requiresAwaitable(const ConceptDecl *Concept) {
  AwaitConceptFinder Finder;
  Finder.look(Concept);
  return Finder.Found;
}

/// Does T mention the template type parameter Param (range_value_t<R>,
/// typename R::value_type)?
class ParamMentionFinder : public RecursiveASTVisitor<ParamMentionFinder> {
public:
  explicit ParamMentionFinder(const TemplateTypeParmType *Param) : Param(Param) {}
  bool Found = false;
  bool VisitTemplateTypeParmType(TemplateTypeParmType *T) {
    Found |= sameTemplateParam(T, Param);
    return !Found;
  }

private:
  const TemplateTypeParmType *Param;
};

bool mentions(QualType T, const TemplateTypeParmType *Param) {
  ParamMentionFinder Finder(Param);
  Finder.TraverseType(T);
  return Finder.Found;
}

/// The types a function template constrains to be awaitable: the argument
/// of each awaitable-concept check in its constraints (`awaitable... As`,
/// `requires awaitable<range_value_t<R>>`), and the default of a template
/// parameter so constrained (`awaitable A = range_value_t<R>`).
class AwaitableConstraints : public RecursiveASTVisitor<AwaitableConstraints> {
public:
  explicit AwaitableConstraints(const FunctionDecl *Pattern) {
    const FunctionTemplateDecl *Template = Pattern->getDescribedFunctionTemplate();
    if (!Template)
      return;
    llvm::SmallVector<const Expr *, 4> Constraints;
    Template->getAssociatedConstraints(Constraints);
    for (const Expr *C : Constraints)
      TraverseStmt(const_cast<Expr *>(C));
    for (const NamedDecl *P : *Template->getTemplateParameters())
      if (const auto *Param = dyn_cast<TemplateTypeParmDecl>(P);
          Param && Param->hasDefaultArgument() && Param->getTypeConstraint() &&
          requiresAwaitable(Param->getTypeConstraint()->getNamedConcept()))
        Types.push_back(Param->getDefaultArgument().getArgument().getAsType());
  }
  bool VisitConceptSpecializationExpr(ConceptSpecializationExpr *E) {
    const ASTTemplateArgumentListInfo *Written = E->getTemplateArgsAsWritten();
    if (Written && Written->NumTemplateArgs > 0 &&
        Written->arguments()[0].getArgument().getKind() == TemplateArgument::Type &&
        requiresAwaitable(E->getNamedConcept()))
      Types.push_back(Written->arguments()[0].getArgument().getAsType());
    return true;
  }

  /// P is a pack whose elements are constrained awaitable.
  bool awaitablePack(const ParmVarDecl *P) const {
    const auto *Pack = P->getType()->getAs<PackExpansionType>();
    const auto *Param = Pack ? Pack->getPattern().getNonReferenceType()
                                   ->getAs<TemplateTypeParmType>()
                             : nullptr;
    return Param && llvm::any_of(Types, [&](QualType T) {
             const auto *Constrained = T->getAs<TemplateTypeParmType>();
             return Constrained && sameTemplateParam(Constrained, Param);
           });
  }

  /// P's type R is a template parameter whose elements (a type built from
  /// R, never R itself: that is one awaitable) are constrained awaitable.
  bool awaitableRange(const ParmVarDecl *P) const {
    const auto *Param =
        P->getType().getNonReferenceType()->getAs<TemplateTypeParmType>();
    return Param && !P->isParameterPack() && llvm::any_of(Types, [&](QualType T) {
             return !T->getAs<TemplateTypeParmType>() && mentions(T, Param);
           });
  }

private:
  llvm::SmallVector<QualType, 4> Types;
};

} // namespace

// --- RoleInference ------------------------------------------------------------

RoleInference::RoleInference(const CoroutineModel &Model, const InferenceRule &Rule)
    : Model(Model), Off(Rule.Off) {
  for (const std::string &Name : Rule.AcquisitionNames)
    AcquisitionNames.insert(Name);
  for (const std::string &Name : Rule.ReleaseNames)
    ReleaseNames.insert(Name);
  for (const std::string &Name : Rule.NonJoinNames)
    NonJoinNames.insert(Name);
}

bool RoleInference::isSwitchedOff(const Decl *D) const {
  if (Off.empty())
    return false;
  if (Off.contains("*"))
    return true; // Off: ['*'] switches inference off everywhere
  for (; D; D = dyn_cast_or_null<Decl>(D->getDeclContext())) {
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      if (Off.matches(ND))
        return true;
    if (isa<TranslationUnitDecl>(D))
      break;
  }
  return false;
}

// Both lookups mark an entry in progress before computing it: a shape may
// ask about its own declaration again (a recursive helper); the map may grow
// meanwhile, so the slot is looked up afresh afterwards.
const FunctionRoles &RoleInference::rolesOf(const FunctionDecl *FD) const {
  static const FunctionRoles None;
  if (!FD)
    return None;
  RoleCache &Cache = cacheFor(this, FD->getASTContext());
  const Decl *Key = FD->getCanonicalDecl();
  if (auto It = Cache.Functions.find(Key); It != Cache.Functions.end())
    return It->second ? *It->second : None;
  Cache.Functions[Key] = nullptr;
  auto Roles = std::make_unique<FunctionRoles>(computeRoles(FD));
  std::unique_ptr<FunctionRoles> &Slot = Cache.Functions[Key];
  Slot = std::move(Roles);
  return *Slot;
}

const RecordRoles &RoleInference::rolesOf(const CXXRecordDecl *RD) const {
  static const RecordRoles None;
  if (!RD)
    return None;
  RoleCache &Cache = cacheFor(this, RD->getASTContext());
  const Decl *Key = RD->getCanonicalDecl();
  if (auto It = Cache.Records.find(Key); It != Cache.Records.end())
    return It->second ? *It->second : None;
  Cache.Records[Key] = std::nullopt;
  RecordRoles Roles = computeRoles(RD);
  return *(Cache.Records[Key] = Roles);
}

bool RoleInference::returnsAwaitable(const FunctionDecl *FD) const {
  QualType T = FD->getReturnType();
  if (T->isVoidType())
    return false;
  if (Model.classifyType(T))
    return true;
  return Model.isAwaitableType(T);
}

bool RoleInference::isTaskRange(QualType T) const {
  T = T.getNonReferenceType();
  if (Model.classifyType(T))
    return false;
  auto HasTaskArgument = [&](llvm::ArrayRef<TemplateArgument> Args) {
    return llvm::any_of(Args, [&](const TemplateArgument &Arg) {
      return Arg.getKind() == TemplateArgument::Type &&
             bool(Model.classifyType(Arg.getAsType()));
    });
  };
  if (const auto *Spec =
          dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl()))
    return HasTaskArgument(Spec->getTemplateArgs().asArray());
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    return HasTaskArgument(TST->template_arguments());
  return false;
}

bool RoleInference::isCombinatorShaped(const FunctionDecl *FD) const {
  unsigned Tasks = 0;
  bool PackOrRange = false;
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    if (isTaskRange(P->getType())) {
      PackOrRange = true;
      continue;
    }
    QualType T = P->getType();
    if (const auto *Pack = T->getAs<PackExpansionType>())
      T = Pack->getPattern();
    if (!Model.classifyType(T))
      continue;
    ++Tasks;
    const ParmVarDecl *Written = patternParam(FD, I);
    PackOrRange |= P->isParameterPack() || (Written && Written->isParameterPack());
  }
  // libcoro's when_all(awaitable... as) and when_all(range r): a template
  // whose constraints make each element awaitable, not a named task type.
  const FunctionDecl *Pattern = patternOf(FD);
  if (!PackOrRange && Pattern->getDescribedFunctionTemplate()) {
    AwaitableConstraints Awaitable(Pattern);
    PackOrRange = llvm::any_of(Pattern->parameters(), [&](const ParmVarDecl *P) {
      return Awaitable.awaitablePack(P) || Awaitable.awaitableRange(P);
    });
  }
  if (!PackOrRange && Tasks < 2)
    return false; // one task in, one out: a transform (with_timeout, retry)
  QualType Ret = FD->getReturnType();
  return returnsAwaitable(FD) || Ret->isUndeducedAutoType() ||
         (Ret->isDependentType() && !Ret->isVoidType());
}

bool RoleInference::isBoundedShaped(const FunctionDecl *FD) const {
  bool Integral = false, Range = false, Producer = false;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType().getNonReferenceType();
    if (isCountType(T, FD->getASTContext()))
      Integral = true;
    else if (isTaskRange(T))
      Range = true;
    else if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
             RD && RD->hasDefinition()) {
      auto Call = RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Call);
      for (const NamedDecl *D : RD->lookup(Call))
        if (const FunctionDecl *Op = D->getAsFunction())
          Producer |= bool(Model.classifyType(Op->getReturnType()));
    }
  }
  if (!Integral)
    return false;
  if (Range && returnsAwaitable(FD))
    return true;
  // for_each_bounded(items, n, fn): a limit and a callable that makes tasks.
  return Producer && FD->getNumParams() >= 3 && returnsAwaitable(FD);
}

bool RoleInference::isSpawnShaped(const FunctionDecl *FD) const {
  if (CoroutineModel::isCoroutine(FD) || !hasOrdinaryName(FD))
    return false;
  if (returnsAwaitable(FD) || isSyncWaitShaped(FD))
    return false;
  // The task must be in the written signature: `template <class T> void
  // f(T)` takes anything, so it is no spawn even when given a task.
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    const ParmVarDecl *Written = patternParam(FD, I);
    if (Written && Model.classifyType(P->getType()) &&
        Model.classifyType(Written->getType()) && takesOwnership(P, Written))
      return true;
  }
  return false;
}

bool RoleInference::blocksDirectly(const FunctionDecl *FD) const {
  DirectBlockingFinder Blocks(Model);
  if (const Stmt *Body = FD->getBody())
    Blocks.TraverseStmt(const_cast<Stmt *>(Body));
  return Blocks.Found;
}

bool RoleInference::hasSyncWaitTemplateSibling(const FunctionDecl *FD) const {
  // `template <class T> T sync_wait(task<T>)` next to `void
  // sync_wait(task<void>)`: the overload set is one sync-wait.
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  for (const NamedDecl *D : DC->lookup(FD->getDeclName()))
    if (const auto *Template = dyn_cast<FunctionTemplateDecl>(D);
        Template && isSyncWaitShaped(Template->getTemplatedDecl()))
      return true;
  return false;
}

bool RoleInference::isSyncWaitShaped(const FunctionDecl *FD) const {
  if (CoroutineModel::isCoroutine(FD) || !hasOrdinaryName(FD) || returnsAwaitable(FD))
    return false;
  const FunctionDecl *Pattern = patternOf(FD);
  ASTContext &Ctx = FD->getASTContext();
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    const ParmVarDecl *Written = patternParam(FD, I);
    if (!Written || !Model.classifyType(P->getType()) || !takesOwnership(P, Written))
      continue;
    // Compare T with the written return type: in the pattern, task<T> → T.
    QualType TaskType = Written->getType().getNonReferenceType();
    QualType Result;
    if (const auto *TST = TaskType->getAs<TemplateSpecializationType>()) {
      if (!TST->template_arguments().empty() &&
          TST->template_arguments()[0].getKind() == TemplateArgument::Type)
        Result = TST->template_arguments()[0].getAsType();
    } else if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                   TaskType->getAsCXXRecordDecl())) {
      const TemplateArgumentList &Args = Spec->getTemplateArgs();
      if (Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type)
        Result = Args[0].getAsType();
    }
    if (Result.isNull())
      continue;
    QualType Ret = Pattern->getReturnType().getNonReferenceType().getUnqualifiedType();
    if (!Ctx.hasSameType(Ret, Result.getUnqualifiedType()))
      continue;
    // task<void> → void is also the shape of a spawn: a sync-wait blocks,
    // or is the void overload of a sync-wait template.
    if (Ret->isVoidType() && Pattern == FD && !blocksDirectly(FD) &&
        !hasSyncWaitTemplateSibling(FD))
      continue;
    return true;
  }
  return false;
}

bool RoleInference::isAcquisition(const FunctionDecl *FD) const {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  return M && hasOrdinaryName(FD) && AcquisitionNames.contains(FD->getName()) &&
         returnsAwaitable(FD) && !Model.isKnownToRules(M->getParent()) &&
         !Model.classifyType(FD->getASTContext().getRecordType(M->getParent()));
}

/// release() or release(n): a permit, or a count of them, given back;
/// post(handle) on an executor gives back nothing.
static bool givesCountBack(const CXXMethodDecl *M) {
  if (M->getMinRequiredArguments() == 0)
    return true;
  QualType T = M->getParamDecl(0)->getType().getNonReferenceType();
  return M->getNumParams() == 1 && isCountType(T, M->getASTContext());
}

bool RoleInference::isCountingSemaphoreShaped(const CXXRecordDecl *Def) const {
  // semaphore(std::size_t permits): a count, not a flag or a size of a
  // buffer of something else; a mutex has no such constructor.
  bool Counted = llvm::any_of(Def->ctors(), [](const CXXConstructorDecl *C) {
    if (C->isCopyOrMoveConstructor() || C->getNumParams() == 0 ||
        C->getMinRequiredArguments() > 1)
      return false;
    QualType T = C->getParamDecl(0)->getType().getNonReferenceType();
    return isCountType(T, C->getASTContext()) && !T->isCharType();
  });
  if (!Counted)
    return false;
  bool Release = false, Acquire = false, GuardedAcquire = false;
  for (const CXXMethodDecl *M : Def->methods()) {
    if (!hasOrdinaryName(M))
      continue;
    Release |= ReleaseNames.contains(M->getName()) && givesCountBack(M);
    if (!isAcquisition(M))
      continue;
    Acquire = true;
    // acquire() -> task<permit>: the permit gives itself back.
    const CXXRecordDecl *Result = Model.classifyType(M->getReturnType()).Record;
    if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(Result))
      for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
        GuardedAcquire |= Arg.getKind() == TemplateArgument::Type &&
                          isGuardType(Arg.getAsType());
  }
  return Acquire && (Release || GuardedAcquire);
}

bool RoleInference::isOrderingShaped(const FunctionDecl *FD) const {
  if (!hasOrdinaryName(FD) || !returnsAwaitable(FD))
    return false;
  // mutex.lock(), pool.schedule(): on a type the rules do not describe.
  if (isAcquisition(FD))
    return true;
  // sleep_for(d), sleep_until(tp), scheduler.yield_for(io, d).
  bool Duration = false;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    if (Model.classifyType(T))
      return false; // with_timeout(t, d) transforms a task
    if (isChronoDuration(T.getNonReferenceType().getUnqualifiedType())) {
      Duration = true;
      continue;
    }
    // Besides the time, only an executor, scheduler or io context.
    QualType Object = T.getNonReferenceType();
    bool Context = (T->isLValueReferenceType() && !Object.isConstQualified() &&
                    Object->isRecordType()) ||
                   T->isPointerType();
    if (!Context)
      return false;
  }
  return Duration;
}

std::optional<unsigned> RoleInference::handlerIndex(const FunctionDecl *FD) const {
  const FunctionDecl *Pattern = patternOf(FD);
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    if (Model.classifyType(P->getType()))
      continue;
    if (isConcreteErrorHandler(P->getType()))
      return I;
    if (const ParmVarDecl *Written = patternParam(FD, I);
        Written && isDependentErrorHandler(Pattern, Written))
      return I;
  }
  return std::nullopt;
}

std::optional<unsigned>
RoleInference::overloadHandlerIndex(const FunctionDecl *FD) const {
  if (std::optional<unsigned> Own = handlerIndex(FD))
    return Own;
  // spawn(t) next to spawn(t, on_error): the one-argument call left the
  // handler out.
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  for (const NamedDecl *D : DC->lookup(FD->getDeclName())) {
    const FunctionDecl *Sibling = D->getAsFunction();
    if (!Sibling || Sibling->getCanonicalDecl() == patternOf(FD)->getCanonicalDecl() ||
        !isSpawnShaped(Sibling))
      continue;
    if (std::optional<unsigned> Index = handlerIndex(Sibling))
      return Index;
  }
  return std::nullopt;
}

bool RoleInference::isGuardType(QualType T) const {
  if (T.isNull() || T->isDependentType() || T->isReferenceType())
    return false;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || isSwitchedOff(RD) || Model.classifyType(T) ||
      Model.isAwaitableType(T))
    return false;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  return Dtor && Dtor->isUserProvided();
}

FunctionRoles RoleInference::computeRoles(const FunctionDecl *FD) const {
  FunctionRoles R;
  if (isImplementationDetail(FD) || isSwitchedOff(FD))
    return R;
  R.Combinator = isCombinatorShaped(FD);
  R.Bounded = isBoundedShaped(FD);
  R.Combinator |= R.Bounded;
  if (R.Combinator)
    return R;
  if (isSyncWaitShaped(FD)) {
    BlockingRule Rule;
    Rule.Name = ruleName(FD);
    Rule.Category = "sync-wait";
    Rule.Fix = "none";
    R.SyncWait = std::move(Rule);
  } else if (isSpawnShaped(FD)) {
    SpawnRule Rule;
    Rule.Name = ruleName(FD);
    Rule.HandlerArg = overloadHandlerIndex(FD);
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
      Rule.Scoped = Model.isScopeType(M->getParent());
    R.Spawn = std::move(Rule);
  } else {
    R.Ordering = isOrderingShaped(FD);
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && isAcquisition(FD))
      R.Limiter = rolesOf(M->getParent()).CountingSemaphore;
  }
  return R;
}

RecordRoles RoleInference::computeRoles(const CXXRecordDecl *RD) const {
  RecordRoles R;
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def)
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Def = Spec->getSpecializedTemplate()->getTemplatedDecl()->getDefinition();
  if (!Def || Def->isLambda() || isImplementationDetail(Def) || isSwitchedOff(Def))
    return R;
  QualType Type = Def->getASTContext().getRecordType(Def);
  if (Model.classifyType(Type) || Model.isAwaitableType(Type))
    return R;
  bool Spawn = false, Join = false, Acquire = false, OtherAwaitable = false;
  for (const Decl *D : Def->decls()) {
    const FunctionDecl *M = D->getAsFunction();
    if (!M || !hasOrdinaryName(M) || !isa<CXXMethodDecl>(M))
      continue;
    if (isSpawnShaped(M)) {
      Spawn = true;
      continue;
    }
    if (!returnsAwaitable(M))
      continue;
    // co_await group.join(); pool.schedule() hops onto the pool and waits
    // for none of its tasks (libcoro's thread_pool is no scope).
    Join |= M->getMinRequiredArguments() == 0 && !NonJoinNames.contains(M->getName());
    bool Acquisition = AcquisitionNames.contains(M->getName());
    Acquire |= Acquisition;
    OtherAwaitable |= !Acquisition;
  }
  // A type orders as a whole (a mutex, a semaphore) only if acquiring is all
  // it awaits; otherwise only its acquisition members do.
  R.Ordering = Acquire && !OtherAwaitable;
  R.Scope = Spawn && Join;
  R.Ordering |= R.Scope;
  R.CountingSemaphore = Acquire && isCountingSemaphoreShaped(Def);
  return R;
}

} // namespace corotidy
