//===--- BlockingCallCheck.cpp - async-blocking-call -----------------------===//

#include "BlockingCallCheck.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

constexpr llvm::StringLiteral DefaultNonBlockingArgumentTypes =
    "std::defer_lock_t;std::try_to_lock_t;std::adopt_lock_t";
constexpr llvm::StringLiteral DefaultFileStreamOperations =
    "getline;read;readsome;get;ignore;operator>>";

/// "'std::getline' on file stream 'in'" for a read of a local file stream.
std::optional<std::string> describeStreamOperation(const Expr &Site,
                                                   const BlockingRule &Rule) {
  const auto *Call = dyn_cast<CallExpr>(&Site);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!Rule.Constructor || !FD)
    return std::nullopt;
  std::string Name = ruleName(FD);
  if (Name.empty() || !FD->getDeclName().isIdentifier())
    Name = FD->getNameAsString();
  return "'" + Name + "' on a file stream";
}

/// "'load_config'", "the lambda", "the constructor of 'Conn'".
std::string describeFunction(const FunctionDecl &FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD);
      Method && Method->getParent()->isLambda())
    return "the lambda";
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(&FD))
    return "the constructor of '" + ruleName(Ctor->getParent()) + "'";
  return "'" + ruleName(&FD) + "'";
}

std::string describeRule(const BlockingRule &Rule, const Expr &Site) {
  // A rule by signature names no function: name the one called.
  if (const auto *Call = dyn_cast<CallExpr>(&Site);
      Call && !Rule.ByParameter.empty() && Call->getDirectCallee())
    return "'" + ruleName(Call->getDirectCallee()) + "'";
  if (!Rule.Constructor)
    return "'" + Rule.Name + "'";
  // `pqxx::work tx(c)`: name the alias the code wrote, then the rule's class
  // (std's own aliases, std::ifstream, are known to everyone).
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&Site))
    if (const auto *Alias = Construct->getType()->getAs<TypedefType>();
        Alias && !Alias->getDecl()->isInStdNamespace())
      if (std::string Written = ruleName(Alias->getDecl()); Written != Rule.Name)
        return "the constructor of '" + Written + "' (a '" + Rule.Name + "')";
  return "the constructor of '" + Rule.Name + "'";
}

/// Calls the compiler makes for a co_await / co_return / the coroutine frame
/// (await_suspend, return_value, get_return_object) are not the user's calls.
bool isCoroutineMachinery(const Expr &E, ASTContext &Ctx) {
  DynTypedNode Child = DynTypedNode::create(E);
  DynTypedNodeList Parents = Ctx.getParents(E);
  while (!Parents.empty()) {
    const DynTypedNode &P = Parents[0];
    if (const auto *Suspend = P.get<CoroutineSuspendExpr>()) {
      if (const auto *Await = dyn_cast<CoawaitExpr>(Suspend);
          Await && Await->isImplicit())
        return true;
      const Stmt *C = Child.get<Stmt>();
      if (C != Suspend->getOperand() && C != Suspend->getCommonExpr())
        return true;
    }
    if (const auto *Return = P.get<CoreturnStmt>())
      if (Child.get<Stmt>() != Return->getOperand())
        return true;
    if (const auto *Body = P.get<CoroutineBodyStmt>())
      return Child.get<Stmt>() != Body->getBody();
    if (P.get<Decl>() && !P.get<VarDecl>())
      return false;
    Child = P;
    Parents = Ctx.getParents(P);
  }
  return false;
}

bool containsSuspension(const Stmt &S) {
  if (isa<CoroutineSuspendExpr, DependentCoawaitExpr>(S))
    return true;
  for (const Stmt *Child : S.children())
    if (Child && containsSuspension(*Child))
      return true;
  return false;
}

/// The first parent of E that is not an implicit wrapper, and the child of
/// it that E sits in.
std::pair<DynTypedNode, const Stmt *> significantParent(const Expr &E,
                                                        ASTContext &Ctx) {
  const Stmt *Child = &E;
  DynTypedNodeList Parents = Ctx.getParents(E);
  while (!Parents.empty()) {
    const auto *Wrapper = Parents[0].get<Expr>();
    if (!Wrapper || !isa<ExprWithCleanups, ImplicitCastExpr, CXXBindTemporaryExpr,
                         MaterializeTemporaryExpr, ConstantExpr>(Wrapper))
      return {Parents[0], Child};
    Child = Wrapper;
    Parents = Ctx.getParents(*Wrapper);
  }
  return {DynTypedNode(), Child};
}

/// E is a whole expression statement (`sleep(1);`).
bool isStatement(const Expr &E, ASTContext &Ctx) {
  auto [Parent, Child] = significantParent(E, Ctx);
  const auto *S = Parent.get<Stmt>();
  if (!S || isa<Expr>(S))
    return false;
  if (isa<CompoundStmt, LabelStmt, DefaultStmt, AttributedStmt>(S))
    return true;
  if (const auto *Case = dyn_cast<CaseStmt>(S))
    return Case->getSubStmt() == Child;
  if (const auto *If = dyn_cast<IfStmt>(S))
    return If->getThen() == Child || If->getElse() == Child;
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return While->getBody() == Child;
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return Do->getBody() == Child;
  if (const auto *For = dyn_cast<ForStmt>(S))
    return For->getBody() == Child;
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(S))
    return Range->getBody() == Child;
  return false;
}

/// E is the `= init` of a local variable (`auto n = ::read(fd, b, n);`).
bool isLocalInitializer(const Expr &E, ASTContext &Ctx) {
  auto [Parent, Child] = significantParent(E, Ctx);
  const auto *Var = Parent.get<VarDecl>();
  return Var && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var) &&
         Var->getInitStyle() == VarDecl::CInit && Var->getInit() &&
         Var->getInit()->IgnoreImplicit() == E.IgnoreImplicit();
}

/// to_thread returns the lambda's result by value: the call must yield a
/// prvalue that can be moved out of the worker thread.
bool resultCanCrossThreads(const CallExpr &Call) {
  QualType T = Call.getType();
  if (T->isVoidType())
    return true;
  if (!Call.isPRValue() || T->isDependentType())
    return false;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return true;
  RD = RD->getDefinition();
  if (!RD || RD->isAbstract())
    return false;
  if (RD->hasSimpleMoveConstructor() || RD->hasSimpleCopyConstructor())
    return true;
  return llvm::any_of(RD->ctors(), [](const CXXConstructorDecl *Ctor) {
    return Ctor->isCopyOrMoveConstructor() && !Ctor->isDeleted() &&
           Ctor->getAccess() == AS_public;
  });
}

std::optional<std::string> sourceText(const Expr &E, ASTContext &Ctx) {
  SourceRange Range = E.getSourceRange();
  if (Range.isInvalid() || Range.getBegin().isMacroID() ||
      Range.getEnd().isMacroID() || isa<CXXDefaultArgExpr>(E))
    return std::nullopt;
  bool Invalid = false;
  StringRef Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(Range),
                           Ctx.getSourceManager(), Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.empty())
    return std::nullopt;
  return Text.str();
}

/// Expands a rules fix template: {call} is the call, {0}, {1}... its
/// arguments. Fails on an argument the call does not have.
std::optional<std::string> expandTemplate(llvm::StringRef Template,
                                          const CallExpr &Call, ASTContext &Ctx) {
  std::string Out;
  while (!Template.empty()) {
    size_t Open = Template.find('{');
    Out += Template.take_front(Open).str();
    if (Open == StringRef::npos)
      break;
    Template = Template.drop_front(Open);
    size_t Close = Template.find('}');
    if (Close == StringRef::npos) {
      Out += Template.str();
      break;
    }
    StringRef Key = Template.slice(1, Close);
    unsigned Index = 0;
    bool IsArgument = !Key.getAsInteger(10, Index);
    if (Key != "call" && !IsArgument) { // a brace of the code itself
      Out += '{';
      Template = Template.drop_front();
      continue;
    }
    Template = Template.drop_front(Close + 1);
    std::optional<std::string> Piece;
    if (!IsArgument)
      Piece = sourceText(Call, Ctx);
    else if (Index < Call.getNumArgs())
      Piece = sourceText(*Call.getArg(Index), Ctx);
    if (!Piece)
      return std::nullopt;
    Out += *Piece;
  }
  return Out;
}

} // namespace

BlockingCallCheck::BlockingCallCheck(StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      IgnoredFunctions(splitList(Options.get("IgnoredFunctions", ""))),
      NonBlockingArgumentTypes(splitList(Options.get(
          "NonBlockingArgumentTypes", DefaultNonBlockingArgumentTypes))),
      CheckTransitive(Options.get("CheckTransitive", true)),
      MaxCallDepth(Options.get("MaxCallDepth", 8U)),
      ZeroTimeoutPolls(Options.get("ZeroTimeoutPolls", true)),
      FileStreamOperations(splitList(
          Options.get("FileStreamOperations", DefaultFileStreamOperations))),
      OffloadHelperFixes(Options.get("OffloadHelperFixes", true)),
      FlagShortCriticalSections(Options.get("FlagShortCriticalSections", false)),
      Summary(model(), summaryOptions()) {}

BlockingSummary::Options BlockingCallCheck::summaryOptions() const {
  BlockingSummary::Options Opts;
  Opts.Ignored.add(IgnoredFunctions);
  Opts.NonBlockingArgumentTypes.add(NonBlockingArgumentTypes);
  Opts.MaxCallDepth = MaxCallDepth;
  Opts.ZeroTimeoutPolls = ZeroTimeoutPolls;
  Opts.FileStreamOperations.add(FileStreamOperations);
  Opts.FlagShortCriticalSections = FlagShortCriticalSections;
  return Opts;
}

void BlockingCallCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "IgnoredFunctions", joinList(IgnoredFunctions));
  Options.store(Opts, "NonBlockingArgumentTypes",
                joinList(NonBlockingArgumentTypes));
  Options.store(Opts, "CheckTransitive", CheckTransitive);
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
  Options.store(Opts, "ZeroTimeoutPolls", ZeroTimeoutPolls);
  Options.store(Opts, "FileStreamOperations", joinList(FileStreamOperations));
  Options.store(Opts, "OffloadHelperFixes", OffloadHelperFixes);
  Options.store(Opts, "FlagShortCriticalSections", FlagShortCriticalSections);
}

void BlockingCallCheck::onStartOfTranslationUnit() {
  Summary.clear();
  Reported.clear();
  NonBlockingFds.clear();
}

void BlockingCallCheck::registerMatchers(MatchFinder *Finder) {
  // Nothing in a system header is ever reported: skip it before any work.
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  // Whether a call blocks and whether it sits in a coroutine both need the
  // model and the summary: the decision is in check().
  // One matcher per node kind: the finder then tests only those kinds (an
  // expr(anyOf(...)) matcher would be tried on every expression).
  Finder->addMatcher(callExpr(NotInSystemHeader).bind("call"), this);
  Finder->addMatcher(cxxConstructExpr(NotInSystemHeader).bind("call"), this);
}

/// read(fd, ...), connect(fd, ...) on an fd the same coroutine awaits with
/// asyncrt::readable/writable: the fd is non-blocking, the call returns at once.
bool BlockingCallCheck::onNonBlockingFd(const Expr &Site,
                                        const FunctionDecl &Coroutine) {
  const auto *Call = dyn_cast<CallExpr>(&Site);
  if (!Call || Call->getNumArgs() == 0 ||
      !Call->getArg(0)->getType()->isIntegerType())
    return false;
  const auto *Ref = dyn_cast<DeclRefExpr>(
      CoroutineModel::ignoreValueWrappers(Call->getArg(0)));
  const auto *Fd = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Fd)
    return false;
  auto [It, Inserted] = NonBlockingFds.try_emplace(&Coroutine);
  if (Inserted)
    It->second = model().fdsAwaitedForReadiness(Coroutine);
  return It->second.contains(Fd);
}

void BlockingCallCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Site = Result.Nodes.getNodeAs<Expr>("call");
  SourceLocation Loc = Site->getBeginLoc();
  if (Loc.isInvalid())
    return;
  const BlockingRule *Rule = Summary.directRule(*Site);
  const FunctionDecl *Callee =
      Rule || !CheckTransitive ? nullptr : Summary.followableCallee(*Site);
  if (!Rule && !Callee)
    return;

  // Summaries are memoised per callee; the walks up the tree below are paid
  // per call, so they come last.
  const BlockingPath *Path = nullptr;
  if (!Rule) {
    Path = Summary.pathFrom(Callee);
    if (!Path)
      return;
    Rule = Path->Rule;
  }

  ASTContext &Ctx = *Result.Context;
  const FunctionDecl *Coroutine = CoroutineModel::enclosingCoroutine(*Site, Ctx);
  if (!Coroutine || isCoroutineMachinery(*Site, Ctx) ||
      isInUnevaluatedOperand(*Site, Ctx) ||
      model().isInOffloadedCallable(*Site, Ctx))
    return;

  if (!Path && (onNonBlockingFd(*Site, *Coroutine) ||
                Summary.isShortLockSection(*Site, *Coroutine)))
    return;
  if (!Path && ZeroTimeoutPolls && isa<CallExpr>(Site) &&
      isGetAfterReadyPoll(*cast<CallExpr>(Site), Ctx))
    return;
  SourceLocation FileLoc = Result.SourceManager->getFileLoc(Loc);
  if (!Reported.insert(FileLoc).second)
    return;
  report(*Site, *Coroutine, *Rule, Path, FileLoc, Result);
}

void BlockingCallCheck::report(const Expr &Site, const FunctionDecl &Coroutine,
                               const BlockingRule &Rule, const BlockingPath *Path,
                               SourceLocation Loc,
                               const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  const CategoryRule *Category = model().rules().category(Rule.Category);
  std::string What =
      Category ? Category->Description : Rule.Category;

  std::string Header;
  std::optional<std::string> Fix;
  if (!Path)
    Fix = fixText(Site, Rule, Coroutine, *Result.Context, Header);
  else if (OffloadHelperFixes &&
           Summary.isSafeToOffload(Path->Steps.front().Caller))
    Fix = helperFixText(Site, Rule, Coroutine, *Result.Context, Header);
  std::optional<std::string> StreamOperation =
      Path ? std::nullopt : describeStreamOperation(Site, Rule);

  {
    auto D = Path ? diag(Loc, "%0 blocks the thread (%1, via %2) inside %3; "
                              "every task on this executor thread stalls "
                              "until it returns")
                        << describeFunction(*Path->Steps.front().Caller) << What
                        << describeRule(Rule, *Path->Steps.back().Site) << describeCoroutine(Coroutine)
                  : Rule.Category == "lock" && !Summary.endsBeforeSuspension(Site, Coroutine)
                  // Uncontended it returns at once: the cost is the wait for
                  // a holder, and a section that spans an await holds long.
                  ? diag(Loc, "%0 blocks the thread (%1) inside %2, in a critical "
                              "section not known to end before the next suspension "
                              "point; while another task holds the mutex, every task "
                              "on this executor thread stalls (a deadlock if the holder "
                              "waits to resume on this thread)")
                        << describeRule(Rule, Site) << What << describeCoroutine(Coroutine)
                  : diag(Loc, "%0 blocks the thread (%1) inside %2; every task "
                              "on this executor thread stalls until it returns")
                        << StreamOperation.value_or(describeRule(Rule, Site)) << What
                        << describeCoroutine(Coroutine);
    if (Fix) {
      D << FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(Site.getSourceRange()), *Fix);
      if (auto Include = includeFix(SM, Loc, Header))
        D << *Include;
    }
  }
  if (Path)
    for (const BlockingStep &Step : Path->Steps) {
      bool Last = &Step == &Path->Steps.back();
      diag(SM.getFileLoc(Step.Site->getBeginLoc()), "%0 calls %1 here",
           DiagnosticIDs::Note)
          << describeFunction(*Step.Caller)
          << (Last ? describeRule(Rule, *Step.Site) : describeFunction(*Step.Callee));
    }
  std::string Alternative = !Rule.Alternative.empty() ? Rule.Alternative
                            : Category               ? Category->Alternative
                                                     : "";
  if (!Alternative.empty())
    diag(Loc, "alternative: %0", DiagnosticIDs::Note) << Alternative;
}

std::optional<std::string>
BlockingCallCheck::fixText(const Expr &Site, const BlockingRule &Rule,
                           const FunctionDecl &Coroutine, ASTContext &Ctx,
                           std::string &Header) const {
  if (Rule.Constructor)
    return std::nullopt;
  const CategoryRule *Category = model().rules().category(Rule.Category);
  bool OwnFix = !Rule.Fix.empty();
  if (!OwnFix && !Category)
    return std::nullopt;
  llvm::StringRef Template = OwnFix ? Rule.Fix : Category->Fix;
  Header = OwnFix ? Rule.Header : Category->Header;
  return expandFix(Site, Template, Coroutine, Ctx);
}

std::optional<std::string>
BlockingCallCheck::helperFixText(const Expr &Site, const BlockingRule &Rule,
                                 const FunctionDecl &Coroutine, ASTContext &Ctx,
                                 std::string &Header) const {
  // The helper runs whole on the offload pool: only the category's
  // `to_thread({call})` form applies (sleeps and waits have none).
  const CategoryRule *Category = model().rules().category(Rule.Category);
  if (!Category || !StringRef(Category->Fix).contains("{call}"))
    return std::nullopt;
  Header = Category->Header;
  return expandFix(Site, Category->Fix, Coroutine, Ctx);
}

std::optional<std::string>
BlockingCallCheck::expandFix(const Expr &Site, llvm::StringRef Template,
                             const FunctionDecl &Coroutine,
                             ASTContext &Ctx) const {
  const auto *Call = dyn_cast<CallExpr>(&Site);
  if (!Call || !model().acceptsAsyncrtFixes(&Coroutine))
    return std::nullopt;
  if (Template.empty() || Template == "none")
    return std::nullopt;

  // co_await is ill-formed in a handler; moving a suspension into the
  // to_thread lambda would be too.
  if (CoroutineModel::isInCatchHandler(Site, Ctx) || containsSuspension(Site))
    return std::nullopt;
  // A template that uses the call's pieces ({0}) replaces its value, which
  // only a statement can do without; {call} keeps the value.
  bool KeepsValue = Template.contains("{call}") &&
                    !Template.contains("{0}") && !Template.contains("{1}");
  if (!(isStatement(Site, Ctx) ||
        (KeepsValue && isLocalInitializer(Site, Ctx) &&
         resultCanCrossThreads(*Call))))
    return std::nullopt;
  if (KeepsValue && !resultCanCrossThreads(*Call))
    return std::nullopt;
  return expandTemplate(Template, *Call, Ctx);
}

} // namespace corotidy::checks
