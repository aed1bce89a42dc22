//===--- LoopBounds.cpp - how many times does a loop run? ------------------===//

#include "LoopBounds.h"
#include "CoroutineModel.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace corotidy {

namespace {

bool isStdArray(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && ruleName(RD) == "std::array";
}

std::optional<uint64_t> constantValue(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  if (R.Val.getInt().isNegative())
    return 0;
  return R.Val.getInt().getZExtValue();
}

/// The variable a counted condition tests: `i < N`, `N > i`, `i != N`.
const VarDecl *countedVar(const Expr *E) {
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<VarDecl>(Ref->getDecl());
  return nullptr;
}

/// The number of elements of a braced list a container is built from:
/// `std::vector<T>{a, b, c}`, `std::vector<T> v = {a, b}`.
std::optional<uint64_t> initializerListSize(const Expr *Init) {
  if (!Init)
    return std::nullopt;
  Init = Init->IgnoreImplicit();
  if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Init))
    Init = Cast->getSubExpr()->IgnoreImplicit();
  const auto *Construct = dyn_cast<CXXConstructExpr>(Init);
  if (!Construct || Construct->getNumArgs() == 0)
    return std::nullopt;
  const auto *List = dyn_cast<CXXStdInitializerListExpr>(
      Construct->getArg(0)->IgnoreImplicit());
  const auto *Elements =
      List ? dyn_cast<InitListExpr>(List->getSubExpr()->IgnoreImplicit()) : nullptr;
  if (!Elements)
    return std::nullopt;
  return Elements->getNumInits();
}

/// Every use of Var in Body is the range of a range-for: nothing can add
/// elements to it.
bool onlyIteratedOver(const VarDecl &Var, const Stmt *Body) {
  struct Uses : RecursiveASTVisitor<Uses> {
    const VarDecl *Var;
    llvm::SmallPtrSet<const Expr *, 4> Ranges, All;
    bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
      if (const Expr *Range = For->getRangeInit())
        Ranges.insert(Range->IgnoreParenImpCasts());
      return true;
    }
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (Ref->getDecl() == Var)
        All.insert(Ref);
      return true;
    }
  } Visitor;
  Visitor.Var = &Var;
  Visitor.TraverseStmt(const_cast<Stmt *>(Body));
  return llvm::all_of(Visitor.All,
                      [&](const Expr *Ref) { return Visitor.Ranges.contains(Ref); });
}

/// A local container built from a braced list and never changed:
/// `const std::vector<std::string> zones{"north", "south"};`, or one only
/// ever iterated over.
std::optional<uint64_t> fixedListCount(const Expr *Range) {
  const auto *Ref = dyn_cast<DeclRefExpr>(Range->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->isLocalVarDecl() || Var->isStaticLocal() ||
      Var->getType()->isReferenceType())
    return std::nullopt;
  std::optional<uint64_t> Count = initializerListSize(Var->getInit());
  if (!Count)
    return std::nullopt;
  if (Var->getType().isConstQualified())
    return Count;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Var->getParentFunctionOrMethod());
  if (!Fn || !Fn->getBody() || !onlyIteratedOver(*Var, Fn->getBody()))
    return std::nullopt;
  return Count;
}

TripCount forRange(const CXXForRangeStmt &For, const ASTContext &Ctx) {
  TripCount T;
  T.IsRange = true;
  const Expr *Range = For.getRangeInit();
  if (!Range)
    return T;
  T.Bound = Range;
  QualType RT = Range->getType().getNonReferenceType();
  if (const auto *Init = dyn_cast<InitListExpr>(Range->IgnoreParenImpCasts())) {
    T.K = TripCount::Constant;
    T.Count = Init->getNumInits();
    return T;
  }
  if (const auto *List =
          dyn_cast<CXXStdInitializerListExpr>(Range->IgnoreParenImpCasts())) {
    if (const auto *Init = dyn_cast<InitListExpr>(
            List->getSubExpr()->IgnoreParenImpCasts()->IgnoreImplicit())) {
      T.K = TripCount::Constant;
      T.Count = Init->getNumInits();
      return T;
    }
  }
  if (const auto *Array = Ctx.getAsConstantArrayType(RT)) {
    T.K = TripCount::Constant;
    T.Count = Array->getSize().getZExtValue();
    return T;
  }
  if (isStdArray(RT)) {
    T.K = TripCount::FixedSize;
    return T;
  }
  if (RT->isDependentType() && !RT->getAsCXXRecordDecl())
    return T; // a template parameter: could be anything
  if (std::optional<uint64_t> Count = fixedListCount(Range)) {
    T.K = TripCount::Constant;
    T.Count = *Count;
    return T;
  }
  T.K = TripCount::Runtime;
  return T;
}

/// `argc` of main: the number of command-line arguments.
bool isMainArgumentCount(const Expr *Bound) {
  const auto *Ref = dyn_cast<DeclRefExpr>(Bound->IgnoreParenImpCasts());
  const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  if (!Param || Param->getFunctionScopeIndex() != 0)
    return false;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Param->getDeclContext());
  return Fn && Fn->isMain();
}

TripCount counted(const ForStmt &For, const ASTContext &Ctx) {
  TripCount T;
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      For.getCond() ? For.getCond()->IgnoreParenImpCasts() : nullptr);
  if (!Cond || !Cond->isComparisonOp() || Cond->getOpcode() == BO_EQ)
    return T;
  const Expr *Bound = nullptr;
  const VarDecl *Var = nullptr;
  if ((Var = countedVar(Cond->getLHS())) &&
      (Cond->getOpcode() == BO_LT || Cond->getOpcode() == BO_LE ||
       Cond->getOpcode() == BO_NE))
    Bound = Cond->getRHS();
  else if ((Var = countedVar(Cond->getRHS())) &&
           (Cond->getOpcode() == BO_GT || Cond->getOpcode() == BO_GE ||
            Cond->getOpcode() == BO_NE))
    Bound = Cond->getLHS();
  if (!Bound || !Var || !Var->getType()->isIntegerType())
    return T;
  T.Bound = Bound;
  if (isMainArgumentCount(Bound))
    return T; // one task per command-line argument: a handful, not a fan-out
  std::optional<uint64_t> Limit = constantValue(Bound, Ctx);
  if (!Limit) {
    T.K = TripCount::Runtime;
    return T;
  }
  // A constant bound: the count is bound - start when the start is known.
  uint64_t Start = 0;
  if (Var->getInit()) {
    std::optional<uint64_t> S = constantValue(Var->getInit(), Ctx);
    if (!S)
      return T; // `for (i = n; i < 8; ++i)`: cannot say
    Start = *S;
  }
  T.K = TripCount::Constant;
  T.Count = *Limit > Start ? *Limit - Start : 0;
  if (Cond->getOpcode() == BO_LE || Cond->getOpcode() == BO_GE)
    ++T.Count;
  return T;
}

} // namespace

bool isLoop(const Stmt &S) {
  return isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

const Stmt *loopBody(const Stmt &Loop) {
  if (const auto *For = dyn_cast<ForStmt>(&Loop))
    return For->getBody();
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Loop))
    return Range->getBody();
  if (const auto *While = dyn_cast<WhileStmt>(&Loop))
    return While->getBody();
  if (const auto *Do = dyn_cast<DoStmt>(&Loop))
    return Do->getBody();
  return nullptr;
}

TripCount tripCountOf(const Stmt &Loop, const ASTContext &Ctx) {
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Loop))
    return forRange(*Range, Ctx);
  if (const auto *For = dyn_cast<ForStmt>(&Loop))
    return counted(*For, Ctx);
  return {};
}

} // namespace corotidy
