//===--- UnboundedFanoutCheck.cpp - async-unbounded-fanout -----------------===//

#include "UnboundedFanoutCheck.h"
#include "Launches.h"
#include "Roles.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

#include <functional>

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

/// Visits S and everything below it (lambda bodies included: a lambda
/// launched from the loop runs the code in it).
void forEachStmt(const Stmt *S, llvm::function_ref<void(const Stmt &)> F) {
  if (!S)
    return;
  F(*S);
  for (const Stmt *Child : S->children())
    forEachStmt(Child, F);
}

bool refersTo(const Stmt *S, const VarDecl *Var) {
  bool Found = false;
  forEachStmt(S, [&](const Stmt &N) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(&N))
      Found |= Ref->getDecl() == Var;
  });
  return Found;
}

const VarDecl *localVarOf(const Expr *E) {
  if (!E)
    return nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
      return Var->hasLocalStorage() ? Var : nullptr;
  return nullptr;
}

bool isInsertion(const CXXMethodDecl *M) {
  if (!M || !M->getIdentifier())
    return false;
  static constexpr llvm::StringLiteral Insertions[] = {
      "push_back", "emplace_back", "push_front", "emplace_front",
      "push",      "emplace",      "insert"};
  return llvm::is_contained(Insertions, M->getName());
}

/// The innermost function-like node holding S: where searches stop.
const Stmt *enclosingBody(const Stmt &S, ASTContext &Ctx) {
  if (const FunctionDecl *FD = CoroutineModel::enclosingFunction(S, Ctx))
    return FD->getBody();
  return nullptr;
}

/// Is Inner (at any depth) inside Outer, without crossing a function?
bool isWithin(const Stmt &Inner, const Stmt &Outer, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(Inner);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (P.get<Stmt>() == &Outer)
      return true;
    if (P.get<FunctionDecl>())
      return false;
    Parents = Ctx.getParents(P);
  }
  return false;
}

/// The loops around S whose body holds S, innermost first, up to the
/// enclosing function or lambda.
llvm::SmallVector<const Stmt *, 4> loopsAround(const Stmt &S, ASTContext &Ctx) {
  llvm::SmallVector<const Stmt *, 4> Loops;
  DynTypedNode Child = DynTypedNode::create(S);
  DynTypedNodeList Parents = Ctx.getParents(S);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (P.get<FunctionDecl>() || P.get<LambdaExpr>())
      break;
    if (const Stmt *Loop = P.get<Stmt>(); Loop && isLoop(*Loop) &&
                                          loopBody(*Loop) == Child.get<Stmt>())
      Loops.push_back(Loop);
    Child = P;
    Parents = Ctx.getParents(P);
  }
  return Loops;
}

std::string shortText(const Expr *E, const SourceManager &SM,
                      const LangOptions &LO) {
  if (!E || E->getBeginLoc().isMacroID())
    return "";
  StringRef Text = Lexer::getSourceText(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
  if (Text.size() > 40 || Text.contains('\n'))
    return "";
  return Text.str();
}

} // namespace

UnboundedFanoutCheck::UnboundedFanoutCheck(StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      MaxConstantFanout(Options.get("MaxConstantFanout", 1000U)),
      DefaultLimit(Options.get("DefaultLimit", 64U)) {}

void UnboundedFanoutCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "MaxConstantFanout", MaxConstantFanout);
  Options.store(Opts, "DefaultLimit", DefaultLimit);
}

void UnboundedFanoutCheck::onStartOfTranslationUnit() { Reported.clear(); }

void UnboundedFanoutCheck::registerMatchers(MatchFinder *Finder) {
  // Nothing in a system header is ever reported: skip it before any work.
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  // What launches is data, and only a launch inside a loop's body fans out:
  // check() decides both, cheapest first. (A hasAncestor(loop) matcher here
  // would walk every call's ancestors up to the translation unit.)
  Finder->addMatcher(callExpr(NotInSystemHeader).bind("call"), this);
}

std::optional<UnboundedFanoutCheck::Site>
UnboundedFanoutCheck::launchSite(const CallExpr &Call, ASTContext &Ctx) const {
  if (std::optional<Launch> L = classifyLaunch(Call, model())) {
    ValueUse Use = CoroutineModel::useOf(Call, Ctx);
    if (Use == ValueUse::Awaited)
      return std::nullopt; // co_await co_spawn(..., use_awaitable): one at a time
    // A discarded std::async future blocks in its destructor: sequential.
    if (L->Rule->ErrorsInResult && Use != ValueUse::PassedOn)
      return std::nullopt;
    Site S;
    S.Launch = &Call;
    S.Work = L->Work;
    if (L->Route == ErrorRoute::Scope)
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
        S.Collector = localVarOf(Member->getImplicitObjectArgument());
    return S;
  }
  // tasks.push_back(f(x)), with tasks later given to when_all.
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  if (!Member || !isInsertion(Member->getMethodDecl()))
    return std::nullopt;
  const VarDecl *Container = localVarOf(Member->getImplicitObjectArgument());
  if (!Container)
    return std::nullopt;
  const Expr *Work = nullptr;
  for (const Expr *Arg : Call.arguments())
    if (!Arg->isTypeDependent() && model().classifyType(Arg->getType()))
      Work = Arg;
  if (!Work)
    return std::nullopt;
  const CallExpr *Combinator = nullptr;
  forEachStmt(enclosingBody(Call, Ctx), [&](const Stmt &N) {
    const auto *C = dyn_cast<CallExpr>(&N);
    if (Combinator || !C || !model().isCombinator(C->getDirectCallee()))
      return;
    for (const Expr *Arg : C->arguments())
      if (refersTo(Arg, Container))
        Combinator = C;
  });
  if (!Combinator || model().isBoundedCombinator(Combinator->getDirectCallee()))
    return std::nullopt;
  return Site{&Call, Work, Container, Combinator};
}

const Stmt *UnboundedFanoutCheck::fanoutLoop(const Site &S, ASTContext &Ctx,
                                             TripCount &Count) const {
  for (const Stmt *Loop : loopsAround(*S.Launch, Ctx)) {
    TripCount T = tripCountOf(*Loop, Ctx);
    if (T.K == TripCount::Runtime ||
        (T.K == TripCount::Constant && T.Count > MaxConstantFanout)) {
      Count = T;
      return Loop;
    }
  }
  return nullptr;
}

bool UnboundedFanoutCheck::hasVisibleLimit(const Site &S, const Stmt &Loop,
                                           ASTContext &Ctx) const {
  auto AwaitsLimiter = [&](const Stmt *Body) {
    bool Found = false;
    forEachStmt(Body, [&](const Stmt &N) {
      if (const auto *C = dyn_cast<CallExpr>(&N))
        Found |= model().isLimiter(C->getDirectCallee());
    });
    return Found;
  };
  if (AwaitsLimiter(loopBody(Loop)))
    return true;
  if (const FunctionDecl *Launched = launchedFunction(S.Work))
    if (AwaitsLimiter(Launched->getBody()))
      return true;
  // A semaphore handed to the task: it limits itself where we cannot see.
  bool PassesLimiter = false;
  forEachStmt(S.Work, [&](const Stmt &N) {
    const auto *E = dyn_cast<Expr>(&N);
    if (!E || E->isTypeDependent())
      return;
    QualType T = E->getType().getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl(); RD && RD->hasDefinition())
      for (const CXXMethodDecl *M : RD->methods())
        PassesLimiter |= model().isLimiter(M);
  });
  return PassesLimiter;
}

bool UnboundedFanoutCheck::isBatched(const Site &S, const Stmt &Loop,
                                     ASTContext &Ctx) const {
  llvm::SmallVector<const CallExpr *, 2> Consumers;
  if (S.Combinator)
    Consumers.push_back(S.Combinator);
  else if (S.Collector)
    forEachStmt(enclosingBody(*S.Launch, Ctx), [&](const Stmt &N) {
      const auto *C = dyn_cast<CXXMemberCallExpr>(&N);
      if (C && C != S.Launch && !model().spawnRule(C->getDirectCallee()) &&
          localVarOf(C->getImplicitObjectArgument()) == S.Collector)
        Consumers.push_back(C);
    });
  // A join / when_all inside the fan-out loop or a loop around it waits for
  // each batch before the next one starts.
  llvm::SmallVector<const Stmt *, 4> Loops = loopsAround(Loop, Ctx);
  Loops.insert(Loops.begin(), &Loop);
  for (const CallExpr *C : Consumers)
    for (const Stmt *L : Loops)
      if (isWithin(*C, *L, Ctx))
        return true;
  return false;
}

void UnboundedFanoutCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (Call->isTypeDependent() || Call->getBeginLoc().isInvalid())
    return;
  ASTContext &Ctx = *Result.Context;
  std::optional<Site> S = launchSite(*Call, Ctx);
  if (!S)
    return;
  TripCount Count;
  const Stmt *Loop = fanoutLoop(*S, Ctx, Count);
  if (!Loop || hasVisibleLimit(*S, *Loop, Ctx) || isBatched(*S, *Loop, Ctx))
    return;
  report(*S, *Loop, Count, Result);
}

const FunctionDecl *UnboundedFanoutCheck::boundedSibling(const FunctionDecl &Combinator,
                                                         SourceLocation Use,
                                                         const SourceManager &SM) const {
  const FunctionDecl *Pattern = Combinator.getTemplateInstantiationPattern();
  if (!Pattern)
    Pattern = &Combinator;
  std::string Name = ruleName(Pattern);
  bool NamedByRules = llvm::any_of(model().rules().Frameworks, [&](const FrameworkRule &F) {
    return llvm::is_contained(F.Combinators, Name);
  });
  if (NamedByRules || Pattern->getNumParams() != 1 ||
      !model().inference().rolesOf(&Combinator).Combinator)
    return nullptr;
  ASTContext &Ctx = Combinator.getASTContext();
  const DeclContext *DC = Pattern->getDeclContext()->getRedeclContext();
  for (const Decl *D : DC->decls()) {
    const FunctionDecl *FD = D->getAsFunction();
    // Declared before the use, so that the rewritten call finds it.
    if (!FD || FD->getNumParams() != 2 || !FD->getIdentifier() ||
        !SM.isBeforeInTranslationUnit(FD->getLocation(), Use) ||
        !model().inference().rolesOf(FD).Bounded)
      continue;
    QualType Limit = FD->getParamDecl(1)->getType().getNonReferenceType();
    if (Ctx.hasSameType(FD->getParamDecl(0)->getType(), Pattern->getParamDecl(0)->getType()) &&
        Ctx.hasSameType(FD->getReturnType(), Pattern->getReturnType()) &&
        isCountType(Limit, Ctx))
      return FD;
  }
  return nullptr;
}

void UnboundedFanoutCheck::report(const Site &S, const Stmt &Loop,
                                  const TripCount &Count,
                                  const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  const LangOptions &LO = Result.Context->getLangOpts();
  SourceLocation LoopLoc = SM.getFileLoc(Loop.getBeginLoc());
  if (!Reported.insert(LoopLoc).second)
    return;

  // when_all(std::move(tasks)) -> when_all_bounded(std::move(tasks), N) for
  // frameworks that have one, when the tasks are lazy (they start there).
  const FrameworkRule *Bounded = nullptr;
  if (S.Combinator && S.Combinator->getNumArgs() == 1 &&
      !S.Combinator->getBeginLoc().isMacroID() &&
      !S.Combinator->getEndLoc().isMacroID() &&
      model().classifyType(S.Work->getType()).Lazy == Laziness::Lazy) {
    const auto *ArgRecord = S.Combinator->getArg(0)
                                ->getType()
                                .getNonReferenceType()
                                ->getAsCXXRecordDecl();
    std::string CombName = ruleName(S.Combinator->getDirectCallee());
    if (ArgRecord && ruleName(ArgRecord) == "std::vector")
      for (const FrameworkRule &F : model().rules().Frameworks)
        if (!F.WhenAll.BoundedFunction.empty() &&
            StringRef(F.WhenAll.Function).ltrim(':') == CombName)
          Bounded = &F;
  }

  // A framework the rules do not name: a bounded combinator by shape beside
  // the inferred one, taking the same range and returning the same result.
  std::string BoundedName, BoundedHeader;
  if (Bounded) {
    BoundedName = Bounded->WhenAll.BoundedFunction;
    BoundedHeader = Bounded->WhenAll.BoundedHeader;
  } else if (S.Combinator && S.Combinator->getNumArgs() == 1 &&
             !S.Combinator->getBeginLoc().isMacroID() &&
             !S.Combinator->getEndLoc().isMacroID() &&
             model().classifyType(S.Work->getType()).Lazy == Laziness::Lazy) {
    if (const FunctionDecl *Sibling =
            boundedSibling(*S.Combinator->getDirectCallee(), S.Combinator->getBeginLoc(), SM))
      BoundedName = ruleName(Sibling);
  }

  std::string Bound = shortText(Count.Bound, SM, LO);
  std::string N = Count.K == TripCount::Constant ? std::to_string(Count.Count)
                                                 : std::string("N");
  unsigned Shape = Count.IsRange ? 0 : 1; // element of / iteration up to
  {
    auto D = diag(LoopLoc,
                  "one task per %select{element of|iteration up to}0 "
                  "%select{'%2'|the range|the bound}1, all at once: %3 "
                  "%select{elements|iterations}0 start %3 concurrent tasks, "
                  "and nothing limits the connections, memory and peer load "
                  "they take")
             << Shape << (Bound.empty() ? 1 + Shape : 0) << Bound << N;
    if (!BoundedName.empty()) {
      const Expr *CalleeExpr = S.Combinator->getCallee()->IgnoreImpCasts();
      SourceLocation AfterArg = Lexer::getLocForEndOfToken(
          S.Combinator->getArg(0)->getEndLoc(), 0, SM, LO);
      D << FixItHint::CreateReplacement(
               CharSourceRange::getTokenRange(CalleeExpr->getSourceRange()),
               BoundedName)
        << FixItHint::CreateInsertion(AfterArg,
                                      ", " + std::to_string(DefaultLimit));
      if (!BoundedHeader.empty())
        if (auto Include = includeFix(SM, S.Combinator->getBeginLoc(), BoundedHeader))
          D << *Include;
    }
  }

  const FunctionDecl *Callee = S.Launch->getDirectCallee();
  if (S.Combinator) {
    const FunctionDecl *Comb = S.Combinator->getDirectCallee();
    diag(S.Launch->getBeginLoc(),
         "each task is added to '%0' here; '%1' starts them all at once",
         DiagnosticIDs::Note)
        << S.Collector->getName()
        << (Comb && Comb->getIdentifier() ? Comb->getName() : "the combinator");
  } else {
    diag(S.Launch->getBeginLoc(), "task launched here by '%0'",
         DiagnosticIDs::Note)
        << (Callee && Callee->getIdentifier() ? Callee->getName() : "the call");
  }
  if (!BoundedName.empty()) {
    diag(S.Combinator->getBeginLoc(), "start at most %0 at a time with '%1'",
         DiagnosticIDs::Note)
        << DefaultLimit << BoundedName;
    return;
  }
  diag(S.Launch->getBeginLoc(),
       "cap the concurrency: e.g. 'asyncrt::semaphore sem{%0};' before the "
       "loop and 'auto permit = co_await sem.acquire();' at the start of each "
       "task, or launch in batches of %0",
       DiagnosticIDs::Note)
      << DefaultLimit;
}

} // namespace corotidy::checks
