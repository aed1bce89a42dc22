//===--- LockLifetimes.cpp - thread-lock critical sections ----------------===//

#include "LockLifetimes.h"

#include "BlockingSummary.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace corotidy {

namespace {

/// The construction a guard variable's initialiser performs, through
/// `auto g = std::lock_guard(m)` and other spellings; null for a copy, a move
/// or a call.
const CXXConstructExpr *constructionOf(const Expr *Init) {
  while (Init) {
    Init = CoroutineModel::ignoreValueWrappers(Init);
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Init)) {
      Init = Cast->getSubExpr();
      continue;
    }
    const auto *Construct = dyn_cast<CXXConstructExpr>(Init);
    if (!Construct || !Construct->getConstructor() ||
        Construct->getConstructor()->isCopyOrMoveConstructor() ||
        Construct->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(Construct->getArg(0)))
      return nullptr;
    return Construct;
  }
  return nullptr;
}

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

bool listHas(const std::vector<std::string> &Names, StringRef Name) {
  return llvm::is_contained(Names, Name);
}

bool isSuspension(const Stmt &S) {
  if (const auto *Await = dyn_cast<CoawaitExpr>(&S))
    return !Await->isImplicit();
  return isa<CoyieldExpr, DependentCoawaitExpr>(S);
}

/// A variable a member call is made on (`lk.unlock()`), if it is one.
const VarDecl *objectVariable(const CXXMemberCallExpr &Call) {
  const Expr *Object = Call.getImplicitObjectArgument();
  if (!Object)
    return nullptr;
  const auto *Ref = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

const VarDecl *referencedVariable(const Expr *E) {
  const auto *Ref =
      E ? dyn_cast<DeclRefExpr>(CoroutineModel::ignoreValueWrappers(E)) : nullptr;
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

} // namespace

/// Walks one function body in source order, keeping the critical sections
/// that are open and recording the suspension points each one spans.
class SectionWalker {
public:
  SectionWalker(const LockLifetimes &Locks, ASTContext &Ctx) : Locks(Locks), Ctx(Ctx) {}

  std::vector<CriticalSection> run(const FunctionDecl &FD) {
    const Stmt *Body = FD.getBody();
    if (const auto *Coro = dyn_cast_or_null<CoroutineBodyStmt>(Body))
      Body = Coro->getBody();
    walk(Body);
    for (const Open &O : Live)
      close(O);
    return std::move(Sections);
  }

private:
  /// A section that is still open: a guard alive in Scope, or a manual lock.
  struct Open {
    size_t Index;
    const Stmt *Scope = nullptr;            ///< Guard sections end with it.
    const LockGuardRule *Rule = nullptr;    ///< Null for a manual lock.
    const VarDecl *Guard = nullptr;
    std::string Key;                        ///< The mutex as written.
    bool Held = true;
    bool Escaped = false;                   ///< Moved or returned out.
  };

  void walk(const Stmt *S) {
    if (!S || isUnevaluatedOperand(*S))
      return;
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      // The body runs when the lambda is called; init-captures run now.
      for (const Expr *Init : Lambda->capture_inits())
        walk(Init);
      return;
    }
    if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(S)) {
      walk(Suspend->getOperand());
      if (isSuspension(*S))
        suspendAt(cast<Expr>(*S));
      return;
    }
    if (const auto *Dependent = dyn_cast<DependentCoawaitExpr>(S)) {
      walk(Dependent->getOperand());
      suspendAt(*Dependent);
      return;
    }
    if (const auto *Return = dyn_cast<CoreturnStmt>(S)) {
      // Its promise call holds the operand a second time.
      walk(Return->getOperand());
      return;
    }
    if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : Decls->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          declare(*Var, *Decls);
    } else {
      for (const Stmt *Child : S->children())
        walk(Child);
      visitAfterChildren(*S);
    }
    endScope(S);
  }

  void declare(const VarDecl &Var, const DeclStmt &Decls) {
    const CXXConstructExpr *Construct = constructionOf(Var.getInit());
    const LockGuardRule *Rule =
        Construct && Var.hasLocalStorage() && !Var.getType()->isReferenceType()
            ? Locks.guardRule(recordOf(Var.getType()))
            : nullptr;
    if (!Rule) {
      walk(Var.getInit());
      return;
    }
    for (const Expr *Arg : Construct->arguments())
      walk(Arg);
    const Stmt *Scope = parentOf(Decls);
    std::string Key = mutexesOf(*Construct);
    // `m.lock(); std::lock_guard g(m, std::adopt_lock);`: the guard takes over
    // the manual section and ends it.
    for (Open &O : Live)
      if (!O.Rule && O.Held && O.Key == Key) {
        O.Rule = Rule;
        O.Guard = &Var;
        O.Scope = Scope;
        Sections[O.Index].Guard = &Var;
        return;
      }
    Open O = start(*Construct, Rule, Key);
    O.Guard = &Var;
    O.Scope = Scope;
    O.Held = !hasDeferTag(*Construct, *Rule);
    Sections[O.Index].Guard = &Var;
    Live.push_back(std::move(O));
  }

  void visitAfterChildren(const Stmt &S) {
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(&S)) {
      // A guard that is no variable's initialiser is a temporary: it holds
      // its mutex to the end of the full expression.
      if (const LockGuardRule *Rule = Locks.guardRule(recordOf(Construct->getType()));
          Rule && constructionOf(Construct) == Construct) {
        Open O = start(*Construct, Rule, mutexesOf(*Construct));
        O.Scope = fullExpression(*Construct);
        O.Held = !hasDeferTag(*Construct, *Rule);
        Live.push_back(std::move(O));
      }
      return;
    }
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&S)) {
      memberCall(*Member);
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(&S)) {
      if (Call->isCallToStdMove() && Call->getNumArgs() == 1)
        escape(referencedVariable(Call->getArg(0)));
      return;
    }
    if (const auto *Return = dyn_cast<ReturnStmt>(&S))
      escape(referencedVariable(Return->getRetValue()));
  }

  void memberCall(const CXXMemberCallExpr &Call) {
    const CXXMethodDecl *Method = Call.getMethodDecl();
    if (!Method || !Method->getIdentifier())
      return;
    StringRef Name = Method->getName();
    if (const VarDecl *Var = objectVariable(Call))
      for (Open &O : Live)
        if (O.Guard == Var && O.Rule) {
          if (listHas(O.Rule->Release, Name))
            O.Held = false;
          else if (listHas(O.Rule->Acquire, Name))
            O.Held = true;
          return;
        }
    const Expr *Object = Call.getImplicitObjectArgument();
    const MutexRule *Rule = Object ? Locks.mutexRule(Object->getType()) : nullptr;
    if (!Rule)
      return;
    std::string Key = text(Object);
    if (listHas(Rule->Acquire, Name)) {
      Live.push_back(start(Call, nullptr, Key));
      return;
    }
    if (!listHas(Rule->Release, Name))
      return;
    for (auto It = Live.begin(); It != Live.end(); ++It)
      if (!It->Rule && It->Held && It->Key == Key) {
        Sections[It->Index].EndsInFunction = true;
        Live.erase(It);
        return;
      }
  }

  void escape(const VarDecl *Var) {
    if (!Var)
      return;
    for (Open &O : Live)
      if (O.Guard == Var) {
        O.Held = false;
        O.Escaped = true;
      }
  }

  void suspendAt(const Expr &Suspension) {
    for (const Open &O : Live)
      if (O.Held && !llvm::is_contained(Sections[O.Index].Suspensions, &Suspension))
        Sections[O.Index].Suspensions.push_back(&Suspension);
  }

  /// Closes the guard sections whose scope S is.
  void endScope(const Stmt *S) {
    llvm::erase_if(Live, [&](const Open &O) {
      if (O.Scope != S)
        return false;
      close(O);
      return true;
    });
  }

  void close(const Open &O) {
    // A guard ends with its scope; a manual lock still open at the end of
    // the body is unlocked somewhere else (or never).
    if (O.Rule && !O.Escaped)
      Sections[O.Index].EndsInFunction = true;
  }

  Open start(const Expr &Acquisition, const LockGuardRule *Rule, std::string Key) {
    CriticalSection Section;
    Section.Acquisition = &Acquisition;
    Section.Mutex = Key;
    Sections.push_back(std::move(Section));
    Open O;
    O.Index = Sections.size() - 1;
    O.Rule = Rule;
    O.Key = std::move(Key);
    return O;
  }

  bool hasDeferTag(const CXXConstructExpr &Construct, const LockGuardRule &Rule) const {
    for (const Expr *Arg : Construct.arguments())
      if (const CXXRecordDecl *RD = recordOf(Arg->getType());
          RD && listHas(Rule.DeferTags, ruleName(RD)))
        return true;
    return false;
  }

  /// The mutexes a guard takes, as written: "m", "a, b". Tag arguments
  /// (std::adopt_lock: a constexpr constant, or an empty temporary) are left out.
  std::string mutexesOf(const CXXConstructExpr &Construct) const {
    std::string Names;
    for (const Expr *Arg : Construct.arguments()) {
      if (isa<CXXDefaultArgExpr>(Arg) || isTag(*Arg))
        continue;
      Names += (Names.empty() ? "" : ", ") + text(Arg);
    }
    return Names;
  }

  static bool isTag(const Expr &Arg) {
    const Expr *E = Arg.IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
        return Var->isConstexpr();
    const CXXRecordDecl *RD = recordOf(E->getType());
    return E->isPRValue() && RD && RD->hasDefinition() && RD->isEmpty();
  }

  const Stmt *parentOf(const Stmt &S) const {
    DynTypedNodeList Parents = Ctx.getParents(S);
    return Parents.empty() ? nullptr : Parents[0].get<Stmt>();
  }

  /// The outermost expression around E: a temporary lives until it ends.
  const Stmt *fullExpression(const Expr &E) const {
    const Stmt *Current = &E;
    while (const Stmt *Parent = parentOf(*Current)) {
      if (!isa<Expr>(Parent))
        return Current;
      Current = Parent;
    }
    return Current;
  }

  std::string text(const Expr *E) const {
    if (!E)
      return "";
    E = E->IgnoreParenImpCasts();
    StringRef Source = Lexer::getSourceText(
        CharSourceRange::getTokenRange(E->getSourceRange()), Ctx.getSourceManager(),
        Ctx.getLangOpts());
    Source.consume_front("this->");
    return Source.str();
  }

  const LockLifetimes &Locks;
  ASTContext &Ctx;
  std::vector<CriticalSection> Sections;
  llvm::SmallVector<Open, 4> Live;
};

LockLifetimes::LockLifetimes(const RuleSet &Rules) {
  for (const LockGuardRule &G : Rules.LockGuards)
    Guards.insert(G.Name, &G);
  for (const MutexRule &M : Rules.Mutexes)
    Mutexes.insert(M.Name, &M);
}

const LockGuardRule *LockLifetimes::guardRule(const CXXRecordDecl *Record) const {
  return Record ? Guards.lookup(Record) : nullptr;
}

const MutexRule *LockLifetimes::mutexRule(QualType ObjectType) const {
  const CXXRecordDecl *Record = recordOf(ObjectType);
  return Record ? Mutexes.lookup(Record) : nullptr;
}

bool LockLifetimes::isAcquisition(const Expr &E) const {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E))
    return guardRule(recordOf(Construct->getType())) &&
           constructionOf(Construct) == Construct;
  const auto *Call = dyn_cast<CXXMemberCallExpr>(&E);
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  if (!Method || !Method->getIdentifier() || !Call->getImplicitObjectArgument())
    return false;
  const MutexRule *Rule = mutexRule(Call->getImplicitObjectArgument()->getType());
  return Rule && listHas(Rule->Acquire, Method->getName());
}

const std::vector<CriticalSection> &
LockLifetimes::sectionsOf(const FunctionDecl &FD) {
  auto [It, Inserted] = Memo.try_emplace(&FD);
  if (Inserted)
    It->second = SectionWalker(*this, FD.getASTContext()).run(FD);
  return It->second;
}

const CriticalSection *LockLifetimes::sectionAt(const Expr &Acquisition,
                                                const FunctionDecl &FD) {
  for (const CriticalSection &S : sectionsOf(FD))
    if (S.Acquisition == &Acquisition)
      return &S;
  return nullptr;
}

bool LockLifetimes::isShortSection(const Expr &Acquisition, const FunctionDecl &FD) {
  if (!isAcquisition(Acquisition))
    return false;
  const CriticalSection *S = sectionAt(Acquisition, FD);
  return S && S->EndsInFunction && S->Suspensions.empty();
}

} // namespace corotidy
