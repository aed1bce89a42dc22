//===--- Independence.cpp - do two awaited calls depend on each other? -----===//

#include "Independence.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace corotidy {

bool ObjectRef::overlaps(const ObjectRef &Other) const {
  if (Root != Other.Root)
    return false;
  const std::string &Short = Path.size() <= Other.Path.size() ? Path : Other.Path;
  const std::string &Long = Path.size() <= Other.Path.size() ? Other.Path : Path;
  if (Long.compare(0, Short.size(), Short) != 0)
    return false;
  return Long.size() == Short.size() || Long[Short.size()] == '.';
}

bool Accesses::conflictsWith(const ObjectRef &Ref) const {
  for (const ObjectRef &Mine : Objects)
    if ((Mine.Mutable || Ref.Mutable) && Mine.overlaps(Ref))
      return true;
  // A mutable reference to a variable this copies or reads by name.
  return Ref.Mutable && Ref.Root && reads(Ref.Root);
}

bool Accesses::mutatesAnyOf(
    const llvm::SmallPtrSetImpl<const ValueDecl *> &Vars) const {
  for (const ObjectRef &Ref : Objects)
    if (Ref.Mutable && Ref.Root && Vars.contains(Ref.Root))
      return true;
  return false;
}

void Accesses::add(const Accesses &Other) {
  Reads.insert(Other.Reads.begin(), Other.Reads.end());
  Objects.append(Other.Objects.begin(), Other.Objects.end());
  Suspends |= Other.Suspends;
  Exits |= Other.Exits;
}

std::optional<ObjectRef> objectOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (isa<VarDecl, BindingDecl>(Ref->getDecl()))
      return ObjectRef{Ref->getDecl(), "", false};
    return std::nullopt;
  }
  if (isa<CXXThisExpr>(E))
    return ObjectRef{nullptr, "", false};
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    std::optional<ObjectRef> Base = objectOf(Member->getBase());
    if (!Base)
      return std::nullopt;
    if (isa<FieldDecl>(Member->getMemberDecl()))
      Base->Path += "." + Member->getMemberDecl()->getNameAsString();
    return Base;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    if (Unary->getOpcode() == UO_Deref || Unary->getOpcode() == UO_AddrOf)
      return objectOf(Unary->getSubExpr());
    return std::nullopt;
  }
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
    return objectOf(Subscript->getBase());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (Op->getOperator()) {
    case OO_Arrow: // smart pointers and containers: the whole object
    case OO_Star:
    case OO_Subscript:
      return objectOf(Op->getArg(0));
    default:
      return std::nullopt;
    }
  }
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    // sp.get(), opt.value(), v.front(): the object they hand out.
    if (Member->getNumArgs() == 0 && Member->getType()->isPointerType())
      return objectOf(Member->getImplicitObjectArgument());
    if (Member->isGLValue())
      return objectOf(Member->getImplicitObjectArgument());
  }
  return std::nullopt;
}

std::optional<ObjectRef> localFieldOf(const Expr *E) {
  const Expr *Base = E ? E->IgnoreParenImpCasts() : nullptr;
  if (!isa_and_nonnull<MemberExpr>(Base))
    return std::nullopt;
  // Only `.` steps down to the variable: `p->x` reaches another object.
  while (const auto *Step = dyn_cast<MemberExpr>(Base)) {
    if (Step->isArrow() || !isa<FieldDecl>(Step->getMemberDecl()))
      return std::nullopt;
    Base = Step->getBase()->IgnoreParenImpCasts();
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(Base);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->isLocalVarDecl() || Var->isStaticLocal() ||
      Var->getType()->isReferenceType())
    return std::nullopt;
  std::optional<ObjectRef> Field = objectOf(E);
  if (!Field || Field->Path.empty())
    return std::nullopt;
  Field->Mutable = true;
  return Field;
}

namespace {

bool isNonConstReference(QualType T) {
  return T->isReferenceType() && !T.getNonReferenceType().isConstQualified();
}

bool isPointerToNonConst(QualType T) {
  return T->isPointerType() && !T->getPointeeType().isConstQualified();
}

class AccessCollector : public RecursiveASTVisitor<AccessCollector> {
public:
  AccessCollector(const Independence &Analysis, Accesses &Out)
      : Analysis(Analysis), Out(Out) {}

  bool shouldVisitLambdaBody() const { return true; }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    for (const LambdaCapture &Capture : Lambda->captures()) {
      if (Capture.capturesThis())
        addObject(ObjectRef{nullptr, "", true}, QualType());
      else if (Capture.capturesVariable() &&
               Capture.getCaptureKind() == LCK_ByRef) {
        ValueDecl *Var = Capture.getCapturedVar();
        Out.Reads.insert(Var);
        addObject(ObjectRef{Var, "", true}, Var->getType());
      }
    }
    ++LambdaDepth;
    bool Result = RecursiveASTVisitor::TraverseLambdaExpr(Lambda);
    --LambdaDepth;
    return Result;
  }

  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (isa<VarDecl, BindingDecl>(Ref->getDecl()))
      Out.Reads.insert(Ref->getDecl());
    return true;
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) { return suspends(!E->isImplicit()); }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) { return suspends(true); }
  bool VisitCoyieldExpr(CoyieldExpr *) { return suspends(true); }
  bool VisitCoreturnStmt(CoreturnStmt *S) { return exits(!S->isImplicit()); }
  bool VisitReturnStmt(ReturnStmt *) { return exits(true); }
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return exits(true); }
  bool VisitBreakStmt(BreakStmt *) { return exits(true); }
  bool VisitContinueStmt(ContinueStmt *) { return exits(true); }
  bool VisitGotoStmt(GotoStmt *) { return exits(true); }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) { return exits(true); }
  bool VisitLabelStmt(LabelStmt *) { return exits(true); }
  bool VisitSwitchCase(SwitchCase *) { return exits(true); }

  bool VisitBinaryOperator(BinaryOperator *Op) {
    if (Op->isAssignmentOp())
      addMutable(Op->getLHS());
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *Op) {
    if (Op->isIncrementDecrementOp())
      addMutable(Op->getSubExpr());
    else if (Op->getOpcode() == UO_AddrOf)
      addAccess(Op->getSubExpr(), !Op->getSubExpr()->getType().isConstQualified());
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    unsigned FirstArg = 0;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
      if (const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Callee)) {
        // The left operand is the object of a member operator.
        bool Assigns = Op->isAssignmentOp() ||
                       Op->getOperator() == OO_PlusPlus ||
                       Op->getOperator() == OO_MinusMinus;
        addAccess(Op->getArg(0), Assigns || !Method->isConst());
        FirstArg = 1;
      }
    } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
      if (const CXXMethodDecl *Method = Member->getMethodDecl();
          Method && !Method->isStatic())
        addAccess(Member->getImplicitObjectArgument(), !Method->isConst());
    }
    const FunctionProtoType *Proto = nullptr;
    if (Callee)
      Proto = Callee->getType()->getAs<FunctionProtoType>();
    else if (const Expr *CalleeExpr = Call->getCallee()) {
      QualType T = CalleeExpr->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      Proto = T->getAs<FunctionProtoType>();
    }
    for (unsigned I = FirstArg; I < Call->getNumArgs(); ++I) {
      unsigned Param = I - FirstArg;
      if (!Proto) {
        addAccess(Call->getArg(I), true); // unknown callee: assume the worst
        continue;
      }
      if (Param < Proto->getNumParams())
        addArgument(Call->getArg(I), Proto->getParamType(Param));
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    for (unsigned I = 0; I < Construct->getNumArgs() && I < Ctor->getNumParams(); ++I)
      addArgument(Construct->getArg(I), Ctor->getParamDecl(I)->getType());
    return true;
  }

private:
  bool suspends(bool Explicit) {
    if (Explicit && LambdaDepth == 0)
      Out.Suspends = true;
    return true;
  }
  bool exits(bool Explicit) {
    if (Explicit && LambdaDepth == 0)
      Out.Exits = true;
    return true;
  }

  void addArgument(const Expr *Arg, QualType Param) {
    if (Param->isReferenceType())
      addAccess(Arg, isNonConstReference(Param));
    else if (Param->isPointerType())
      addAccess(Arg, isPointerToNonConst(Param));
  }

  void addMutable(const Expr *E) { addAccess(E, true); }

  void addAccess(const Expr *E, bool Mutable) {
    std::optional<ObjectRef> Ref = objectOf(E);
    if (!Ref)
      return;
    Ref->Mutable = Mutable;
    addObject(std::move(*Ref), E->IgnoreParenImpCasts()->getType());
  }

  void addObject(ObjectRef Ref, QualType Type) {
    if (!Type.isNull() && Analysis.isConcurrencySafe(Type))
      return;
    Out.Objects.push_back(std::move(Ref));
  }

  const Independence &Analysis;
  Accesses &Out;
  unsigned LambdaDepth = 0;
};

} // namespace

Accesses Independence::accessesOf(const Stmt &S) const {
  Accesses Out;
  AccessCollector(*this, Out).TraverseStmt(const_cast<Stmt *>(&S));
  return Out;
}

bool Independence::isConcurrencySafe(QualType T) const {
  if (ConcurrencySafe.empty() || T.isNull())
    return false;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *Record = T->getAsCXXRecordDecl();
  if (!Record)
    return false;
  if (ConcurrencySafe.matches(Record))
    return true;
  if (!Record->hasDefinition())
    return false;
  bool Safe = false;
  Record->forallBases([&](const CXXRecordDecl *Base) {
    Safe = ConcurrencySafe.matches(Base);
    return !Safe;
  });
  return Safe;
}

Dependence Independence::dependence(const AwaitStep &Earlier,
                                    const AwaitStep &Later) const {
  for (const ValueDecl *Var : Earlier.Defines) {
    if (Later.Call.reads(Var))
      return {DependenceKind::ReadsResult, Var};
    if (Later.Defines.contains(Var))
      return {DependenceKind::SameTarget, Var};
  }
  // A field stands for its variable, except that two different fields of
  // one variable are two targets.
  for (const ObjectRef &Field : Earlier.DefinesFields) {
    if (Later.Call.reads(Field.Root))
      return {DependenceKind::ReadsResult, Field.Root};
    if (Later.Defines.contains(Field.Root) ||
        llvm::any_of(Later.DefinesFields,
                     [&](const ObjectRef &Other) { return Field.overlaps(Other); }))
      return {DependenceKind::SameTarget, Field.Root};
  }
  for (const ObjectRef &Field : Later.DefinesFields)
    if (Earlier.Defines.contains(Field.Root))
      return {DependenceKind::SameTarget, Field.Root};
  for (const ObjectRef &Ref : Earlier.Call.Objects)
    if (Later.Call.conflictsWith(Ref))
      return {DependenceKind::SharedObject, Ref.Root};
  for (const ObjectRef &Ref : Later.Call.Objects)
    if (Ref.Mutable && Ref.Root && Earlier.Call.reads(Ref.Root))
      return {DependenceKind::SharedObject, Ref.Root};
  return {};
}

} // namespace corotidy
