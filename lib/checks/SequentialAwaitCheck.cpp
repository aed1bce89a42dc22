//===--- SequentialAwaitCheck.cpp - async-sequential-await -----------------===//

#include "SequentialAwaitCheck.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

constexpr llvm::StringLiteral RunMessage =
    "%0 independent awaits run one after another; their latencies add up "
    "\u2014 when_all waits only for the slowest";
constexpr llvm::StringLiteral LoopMessage =
    "the awaits of this loop run one after another; their latencies add up "
    "\u2014 when_all waits only for the slowest";

const CoawaitExpr *explicitAwait(const Expr *E) {
  const auto *Await = dyn_cast_or_null<CoawaitExpr>(CoroutineModel::ignoreValueWrappers(E));
  return Await && CoroutineModel::isExplicitAwait(Await) ? Await : nullptr;
}

const VarDecl *localVariable(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->isLocalVarDecl() && !Var->isStaticLocal() ? Var : nullptr;
}

/// `auto x` exactly: not const, not a reference, not decltype(auto).
bool isPlainAuto(const VarDecl &Var) {
  const TypeSourceInfo *TSI = Var.getTypeSourceInfo();
  if (!TSI)
    return false;
  auto Auto = TSI->getTypeLoc().getAs<AutoTypeLoc>();
  return !Auto.isNull() &&
         Auto.getTypePtr()->getKeyword() == AutoTypeKeyword::Auto &&
         !Auto.isConstrained();
}

/// The T of a task<T> call, if the task type is a template with one.
QualType taskValueType(const CallExpr &Call) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Call.getType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

/// Awaits of this statement that are not inside a lambda, and whether one of
/// them sits inside a nested loop.
class AwaitCollector : public RecursiveASTVisitor<AwaitCollector> {
public:
  llvm::SmallVector<const CoawaitExpr *, 2> Awaits;
  unsigned OtherSuspensions = 0;
  bool InNestedLoop = false;
  llvm::SmallPtrSet<const ValueDecl *, 8> Declared;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseForStmt(ForStmt *S) { return loop([&] { return RecursiveASTVisitor::TraverseForStmt(S); }); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) { return loop([&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); }); }
  bool TraverseWhileStmt(WhileStmt *S) { return loop([&] { return RecursiveASTVisitor::TraverseWhileStmt(S); }); }
  bool TraverseDoStmt(DoStmt *S) { return loop([&] { return RecursiveASTVisitor::TraverseDoStmt(S); }); }

  bool VisitCoawaitExpr(CoawaitExpr *E) {
    if (!CoroutineModel::isExplicitAwait(E))
      return true;
    if (LoopDepth > 0)
      InNestedLoop = true;
    Awaits.push_back(E);
    return true;
  }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) { return ++OtherSuspensions; }
  bool VisitCoyieldExpr(CoyieldExpr *) { return ++OtherSuspensions; }
  bool VisitVarDecl(VarDecl *D) {
    Declared.insert(D);
    return true;
  }

private:
  template <typename F> bool loop(F Traverse) {
    ++LoopDepth;
    bool R = Traverse();
    --LoopDepth;
    return R;
  }
  unsigned LoopDepth = 0;
};

/// Variables of Vars that a lambda captures or a return statement names.
class EscapeFinder : public RecursiveASTVisitor<EscapeFinder> {
public:
  explicit EscapeFinder(const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) : Vars(Vars) {}
  bool Found = false;

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    for (const LambdaCapture &Capture : Lambda->captures())
      if (Capture.capturesVariable())
        if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar());
            Var && Vars.contains(Var))
          Found = true;
    return !Found && RecursiveASTVisitor::TraverseLambdaExpr(Lambda);
  }
  bool VisitReturnStmt(ReturnStmt *S) { return check(S->getRetValue()); }
  bool VisitCoreturnStmt(CoreturnStmt *S) { return check(S->getOperand()); }

private:
  bool check(const Expr *E) {
    // A structured binding is not implicitly moved from on return.
    if (const VarDecl *Var = E ? localVariable(CoroutineModel::ignoreValueWrappers(E)) : nullptr)
      if (Vars.contains(Var))
        Found = true;
    return !Found;
  }
  const llvm::SmallPtrSetImpl<const VarDecl *> &Vars;
};

StringRef sourceText(SourceRange Range, const SourceManager &SM,
                     const LangOptions &LangOpts) {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(Range), SM, LangOpts);
}

/// The location just past a statement's semicolon.
SourceLocation statementEnd(const Stmt &S, const SourceManager &SM,
                            const LangOptions &LangOpts) {
  SourceLocation Last = S.getEndLoc();
  if (Last.isValid() && *SM.getCharacterData(Last) == ';')
    return Last.getLocWithOffset(1);
  return Lexer::findLocationAfterToken(S.getEndLoc(), tok::semi, SM, LangOpts,
                                       /*SkipTrailingWhitespaceAndNewLine=*/false);
}

/// The whitespace before a statement on its line, if nothing else is there.
std::optional<StringRef> indentationOf(SourceLocation Begin, const SourceManager &SM) {
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  StringRef Buffer = SM.getBufferData(File);
  size_t LineStart = Buffer.rfind('\n', Offset ? Offset - 1 : 0);
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  if (LineStart > Offset)
    LineStart = Offset;
  StringRef Indent = Buffer.slice(LineStart, Offset);
  if (Indent.find_first_not_of(" \t") != StringRef::npos)
    return std::nullopt;
  return Indent;
}

/// Removes a statement; with its line when it stands alone on it. The line
/// break removed is the one before the statement: clang's edit merging eats
/// a further space after a removal that ends at the start of a line.
FixItHint removeStatement(const Stmt &S, SourceLocation End, const SourceManager &SM) {
  SourceLocation Begin = S.getBeginLoc();
  auto [File, Offset] = SM.getDecomposedLoc(End);
  StringRef Buffer = SM.getBufferData(File);
  std::optional<StringRef> Indent = indentationOf(Begin, SM);
  size_t LineEnd = Buffer.find('\n', Offset);
  unsigned BeginOffset = SM.getFileOffset(Begin);
  if (Indent && LineEnd != StringRef::npos &&
      Buffer.slice(Offset, LineEnd).find_first_not_of(" \t\r") == StringRef::npos &&
      BeginOffset > Indent->size()) {
    Begin = Begin.getLocWithOffset(-static_cast<int>(Indent->size()) - 1);
    End = End.getLocWithOffset(LineEnd - Offset);
  }
  return FixItHint::CreateRemoval(CharSourceRange::getCharRange(Begin, End));
}

} // namespace

SequentialAwaitCheck::SequentialAwaitCheck(StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      IncludeVoidAwaits(Options.get("IncludeVoidAwaits", false)),
      ConcurrencySafeTypes(splitList(Options.get("ConcurrencySafeTypes", ""))),
      WhenAllFunction(Options.get("WhenAllFunction", "")),
      WhenAllHeader(Options.get("WhenAllHeader", "")),
      MinRunLength(std::max(2u, Options.get("MinRunLength", 2u))),
      LoopAwaits(Options.get("LoopAwaits", true)),
      FieldTargets(Options.get("FieldTargets", true)),
      Analysis(NameSet(ConcurrencySafeTypes)) {}

void SequentialAwaitCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "IncludeVoidAwaits", IncludeVoidAwaits);
  Options.store(Opts, "ConcurrencySafeTypes", joinList(ConcurrencySafeTypes));
  Options.store(Opts, "WhenAllFunction", WhenAllFunction);
  Options.store(Opts, "WhenAllHeader", WhenAllHeader);
  Options.store(Opts, "MinRunLength", MinRunLength);
  Options.store(Opts, "LoopAwaits", LoopAwaits);
  Options.store(Opts, "FieldTargets", FieldTargets);
}

void SequentialAwaitCheck::onStartOfTranslationUnit() { Reported.clear(); }

void SequentialAwaitCheck::registerMatchers(MatchFinder *Finder) {
  // Nothing in a system header is ever reported: skip it before any work.
  const auto NotInSystemHeader = unless(isExpansionInSystemHeader());
  // Blocks with at least two statements can hold a run; loops hold one
  // await per iteration. Whether they sit in a coroutine is decided in check().
  Finder->addMatcher(compoundStmt(NotInSystemHeader).bind("block"), this);
  // One matcher per loop kind, so that other statements are never tried.
  Finder->addMatcher(forStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(cxxForRangeStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(whileStmt(NotInSystemHeader).bind("loop"), this);
  Finder->addMatcher(doStmt(NotInSystemHeader).bind("loop"), this);
}

void SequentialAwaitCheck::check(const MatchFinder::MatchResult &Result) {
  const Stmt *Node = Result.Nodes.getNodeAs<Stmt>("block");
  if (!Node)
    Node = Result.Nodes.getNodeAs<Stmt>("loop");
  if (!Node || !Node->getBeginLoc().isValid())
    return;
  ASTContext &Ctx = *Result.Context;
  // Most blocks hold fewer awaits than a run: that is decided from the block
  // alone, before the walk up to the enclosing function.
  const auto *Block = Result.Nodes.getNodeAs<CompoundStmt>("block");
  BlockSteps Steps;
  if (Block) {
    if (Block->size() < MinRunLength)
      return;
    for (const Stmt *S : Block->body())
      Steps.push_back(awaitStep(S));
    if (llvm::count_if(Steps, [](const auto &S) { return S.has_value(); }) <
        MinRunLength)
      return;
  } else if (!LoopAwaits) {
    return;
  }
  const FunctionDecl *Coroutine = CoroutineModel::enclosingCoroutine(*Node, Ctx);
  // Templates are analysed in their instantiations, where calls have types.
  if (!Coroutine || Coroutine->isDependentContext())
    return;
  if (Block)
    checkBlock(*Block, Steps, *Coroutine, Ctx);
  else
    checkLoop(*Node, *Coroutine, Ctx);
}

const CallExpr *
SequentialAwaitCheck::awaitedTaskCall(const CoawaitExpr *Await,
                                      const VarDecl *Bound) const {
  if (!Await || model().classifyAwait(*Await, Bound) != AwaitKind::TaskCall)
    return nullptr;
  return dyn_cast<CallExpr>(CoroutineModel::ignoreValueWrappers(Await->getOperand()));
}

std::optional<SequentialAwaitCheck::Step>
SequentialAwaitCheck::awaitStep(const Stmt *S) const {
  Step Result;
  Result.Statement = S;
  if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
    const auto *Var = Decl->isSingleDecl() ? dyn_cast<VarDecl>(Decl->getSingleDecl()) : nullptr;
    if (!Var || !Var->isLocalVarDecl() || Var->isStaticLocal() || !Var->getInit() ||
        isa<DecompositionDecl>(Var))
      return std::nullopt;
    Result.Await = explicitAwait(Var->getInit());
    Result.Form = StepForm::Declare;
    Result.Var = Var;
    Result.DeclaredAuto = isPlainAuto(*Var);
  } else if (const auto *E = dyn_cast<Expr>(S)) {
    const Expr *Top = CoroutineModel::ignoreValueWrappers(E);
    const Expr *Target = nullptr, *Value = nullptr;
    if (const auto *Assign = dyn_cast<BinaryOperator>(Top);
        Assign && Assign->getOpcode() == BO_Assign) {
      Target = Assign->getLHS();
      Value = Assign->getRHS();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Top);
               Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
      Target = Op->getArg(0);
      Value = Op->getArg(1);
    }
    if (Target) {
      Result.Var = localVariable(Target);
      std::optional<ObjectRef> Field;
      if (!Result.Var && FieldTargets && (Field = localFieldOf(Target)))
        Result.Access.DefinesFields.push_back(*Field);
      Result.Target = Target;
      Result.Await = Result.Var || Field ? explicitAwait(Value) : nullptr;
      Result.Form = StepForm::Assign;
    } else if (IncludeVoidAwaits) {
      Result.Await = explicitAwait(Top);
      Result.Form = StepForm::Discard;
    }
  }
  Result.Call = awaitedTaskCall(Result.Await, Result.Var);
  if (!Result.Call)
    return std::nullopt;
  Result.Access.Call = Analysis.accessesOf(*Result.Call);
  // `co_await f(co_await g())` is two awaits in one statement: not a step.
  if (Result.Access.Call.Suspends || Result.Access.Call.Exits)
    return std::nullopt;
  if (Result.Var)
    Result.Access.Defines.insert(Result.Var);
  return Result;
}

void SequentialAwaitCheck::checkBlock(const CompoundStmt &Block,
                                      BlockSteps &Steps,
                                      const FunctionDecl &Coroutine,
                                      ASTContext &Ctx) {
  llvm::SmallVector<Step, 4> Run;
  Accesses RunCalls; // what the run's calls touch so far

  auto Flush = [&] {
    if (Run.size() >= MinRunLength)
      reportRun(Run, Coroutine, Ctx);
    Run.clear();
    RunCalls = Accesses();
  };
  auto Start = [&](Step S) {
    RunCalls.add(S.Access.Call);
    Run.push_back(std::move(S));
  };

  for (auto [S, Next] : llvm::zip_equal(Block.body(), Steps)) {
    if (Next) {
      bool Dependent = llvm::any_of(Run, [&](const Step &Earlier) {
        return bool(Analysis.dependence(Earlier.Access, Next->Access));
      });
      if (Dependent)
        Flush();
      Start(std::move(*Next));
      continue;
    }
    if (Run.empty())
      continue;
    // A statement between the awaits keeps the run only if the awaits could
    // move past it: it does not suspend or leave, does not touch the run's
    // results, and does not change what the calls so far read.
    Accesses Between = Analysis.accessesOf(*S);
    bool Blocks = Between.Suspends || Between.Exits;
    for (const Step &Earlier : Run) {
      Blocks = Blocks || (Earlier.Var && Between.reads(Earlier.Var));
      for (const ObjectRef &Field : Earlier.Access.DefinesFields)
        Blocks = Blocks || Between.reads(Field.Root);
    }
    for (const ObjectRef &Ref : Between.Objects)
      Blocks = Blocks || RunCalls.conflictsWith(Ref);
    for (const ObjectRef &Ref : RunCalls.Objects)
      Blocks = Blocks || Between.conflictsWith(Ref);
    if (Blocks)
      Flush();
  }
  Flush();
}

void SequentialAwaitCheck::reportRun(ArrayRef<Step> Run,
                                     const FunctionDecl &Coroutine,
                                     ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = SM.getFileLoc(Run[1].Await->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::optional<std::vector<FixItHint>> Fix = runFix(Run, Coroutine, Ctx);
  {
    auto D = diag(Loc, RunMessage) << static_cast<unsigned>(Run.size());
    if (Fix)
      for (const FixItHint &Hint : *Fix)
        D << Hint;
  }
  for (size_t I = 0; I < Run.size(); ++I)
    diag(SM.getFileLoc(Run[I].Await->getBeginLoc()), "await %0 of %1 in the run",
         DiagnosticIDs::Note)
        << static_cast<unsigned>(I + 1) << static_cast<unsigned>(Run.size());
}

std::optional<std::vector<FixItHint>>
SequentialAwaitCheck::runFix(ArrayRef<Step> Run, const FunctionDecl &Coroutine,
                             ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LangOpts = Ctx.getLangOpts();
  StepForm Form = Run.front().Form;
  llvm::SmallPtrSet<const VarDecl *, 4> Declared;
  for (const Step &S : Run) {
    if (S.Form != Form || S.Statement->getBeginLoc().isMacroID() ||
        S.Statement->getEndLoc().isMacroID() || S.Await->getBeginLoc().isMacroID() ||
        S.Call->getBeginLoc().isMacroID() || S.Call->getEndLoc().isMacroID())
      return std::nullopt;
    // The declared type must stay the same: only `auto` is rewritten, and
    // only for results that are values (when_all stores references as such).
    if (Form == StepForm::Declare && !S.DeclaredAuto)
      return std::nullopt;
    if (Form != StepForm::Discard) {
      QualType Value = taskValueType(*S.Call);
      if (Value.isNull() || Value->isReferenceType() || Value->isVoidType())
        return std::nullopt;
    }
    if (Form == StepForm::Declare)
      Declared.insert(S.Var);
  }
  if (!Declared.empty()) {
    EscapeFinder Escapes(Declared);
    Escapes.TraverseStmt(Coroutine.getBody());
    if (Escapes.Found)
      return std::nullopt;
  }

  // The combinator: the option, else the framework of the coroutine, which
  // must also be the framework of every awaited task.
  std::string Function = WhenAllFunction, Header = WhenAllHeader, Style = "call",
              UsingDirective;
  if (Function.empty()) {
    const FrameworkRule *Framework = model().frameworkOf(&Coroutine);
    if (!Framework || Framework->WhenAll.Function.empty())
      return std::nullopt;
    for (const Step &S : Run)
      if (model().classifyType(S.Call->getType()).Framework != Framework)
        return std::nullopt;
    Function = Framework->WhenAll.Function;
    Header = Framework->WhenAll.Header;
    Style = Framework->WhenAll.Style;
    UsingDirective = Framework->WhenAll.UsingDirective;
    if (Style == "call" && StringRef(Function).starts_with("asyncrt::") &&
        !model().acceptsAsyncrtFixes(&Coroutine))
      return std::nullopt;
  }

  std::string Calls;
  for (const Step &S : Run) {
    StringRef Text = sourceText(S.Call->getSourceRange(), SM, LangOpts);
    if (Text.empty())
      return std::nullopt;
    if (!Calls.empty())
      Calls += Style == "operator-and" ? " && " : ", ";
    Calls += Text;
  }
  std::string Combined = Style == "operator-and" ? "(" + Calls + ")"
                                                 : Function + "(" + Calls + ")";
  std::string Names;
  for (const Step &S : Run) {
    std::string Name = S.Form == StepForm::Assign
                           ? sourceText(S.Target->getSourceRange(), SM, LangOpts).str()
                       : S.Var ? S.Var->getName().str()
                               : "";
    if (S.Form == StepForm::Assign && (Name.empty() || S.Target->getBeginLoc().isMacroID()))
      return std::nullopt;
    if (!Name.empty())
      Names += (Names.empty() ? "" : ", ") + Name;
  }

  std::string Replacement;
  switch (Form) {
  case StepForm::Declare:
    Replacement = "auto [" + Names + "] = co_await " + Combined + ";";
    break;
  case StepForm::Assign:
    Replacement = "std::tie(" + Names + ") = co_await " + Combined + ";";
    break;
  case StepForm::Discard:
    Replacement = "co_await " + Combined + ";";
    break;
  }

  // The combined await goes where the last one was: statements between the
  // awaits touch none of them, so the calls may start after those.
  const Step &Last = Run.back();
  std::vector<FixItHint> Hints;
  if (!UsingDirective.empty()) {
    std::optional<StringRef> Indent = indentationOf(Last.Statement->getBeginLoc(), SM);
    if (!Indent)
      return std::nullopt;
    Replacement = UsingDirective + "\n" + Indent->str() + Replacement;
  }
  for (const Step &S : Run.drop_back()) {
    SourceLocation End = statementEnd(*S.Statement, SM, LangOpts);
    if (End.isInvalid())
      return std::nullopt;
    Hints.push_back(removeStatement(*S.Statement, End, SM));
  }
  SourceLocation LastEnd = statementEnd(*Last.Statement, SM, LangOpts);
  if (LastEnd.isInvalid())
    return std::nullopt;
  Hints.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(Last.Statement->getBeginLoc(), LastEnd),
      Replacement));
  if (std::optional<FixItHint> Include =
          includeFix(SM, Last.Statement->getBeginLoc(), Header))
    Hints.push_back(*Include);
  return Hints;
}

void SequentialAwaitCheck::checkLoop(const Stmt &Loop, const FunctionDecl &Coroutine,
                                     ASTContext &Ctx) {
  const Stmt *Body = nullptr;
  const Expr *Condition = nullptr, *Increment = nullptr, *Range = nullptr;
  const VarDecl *LoopVar = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(&Loop)) {
    Body = For->getBody();
    Condition = For->getCond();
    Increment = For->getInc();
  } else if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(&Loop)) {
    Body = RangeFor->getBody();
    Range = RangeFor->getRangeInit();
    LoopVar = RangeFor->getLoopVariable();
  } else if (const auto *While = dyn_cast<WhileStmt>(&Loop)) {
    Body = While->getBody();
    Condition = While->getCond();
  } else if (const auto *Do = dyn_cast<DoStmt>(&Loop)) {
    Body = Do->getBody();
    Condition = Do->getCond();
  }
  if (!Body)
    return;

  AwaitCollector Collected;
  Collected.TraverseStmt(const_cast<Stmt *>(Body));
  if (Collected.Awaits.size() != 1 || Collected.OtherSuspensions ||
      Collected.InNestedLoop)
    return;
  const CoawaitExpr *Await = Collected.Awaits.front();
  const CallExpr *Call = awaitedTaskCall(Await);
  if (!Call || (Await->getType()->isVoidType() && !IncludeVoidAwaits))
    return;
  if (!IncludeVoidAwaits &&
      CoroutineModel::useOf(*Await, Ctx) == ValueUse::Discarded)
    return;

  Accesses BodyAccess = Analysis.accessesOf(*Body);
  if (BodyAccess.Exits)
    return;
  Accesses CallAccess = Analysis.accessesOf(*Call);
  if (CallAccess.Suspends)
    return;

  // Variables that live across iterations and that an iteration changes.
  llvm::SmallPtrSet<const ValueDecl *, 8> Fresh(Collected.Declared.begin(),
                                                Collected.Declared.end());
  if (LoopVar)
    Fresh.insert(LoopVar);
  llvm::SmallVector<ObjectRef, 4> Carried;
  for (const ObjectRef &Ref : BodyAccess.Objects)
    if (Ref.Mutable && !Fresh.contains(Ref.Root))
      Carried.push_back(Ref);
  auto ReadsCarried = [&](const Accesses &A) {
    return llvm::any_of(Carried, [&](const ObjectRef &Ref) {
      return (Ref.Root && A.reads(Ref.Root)) || A.conflictsWith(Ref);
    });
  };
  // An iteration's call reads what an earlier iteration wrote, or the loop's
  // extent depends on it (pagination, "until done").
  if (ReadsCarried(CallAccess))
    return;
  for (const Expr *Control : {Condition, Range})
    if (Control && ReadsCarried(Analysis.accessesOf(*Control)))
      return;
  // The calls of all iterations would share one mutable object.
  for (const ObjectRef &Ref : CallAccess.Objects)
    if (Ref.Mutable && !Fresh.contains(Ref.Root))
      return;
  // A reference to the loop counter changes under the tasks that hold it.
  if (Increment) {
    Accesses Step = Analysis.accessesOf(*Increment);
    for (const ObjectRef &Ref : CallAccess.Objects)
      if (llvm::any_of(Step.Objects, [&](const ObjectRef &S) { return S.overlaps(Ref); }))
        return;
  }

  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = SM.getFileLoc(Await->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  diag(Loc, LoopMessage);

  const FrameworkRule *Framework = model().frameworkOf(&Coroutine);
  std::string Function = WhenAllFunction;
  if (Function.empty() && Framework && Framework->WhenAll.Style == "call")
    Function = Framework->WhenAll.Function;
  PrintingPolicy Policy(Ctx.getLangOpts());
  Policy.SuppressScope = false;
  std::string TaskType = Call->getType().getUnqualifiedType().getAsString(Policy);
  StringRef CallText = sourceText(Call->getSourceRange(), SM, Ctx.getLangOpts());
  if (!Function.empty() && !CallText.empty())
    diag(SM.getFileLoc(Loop.getBeginLoc()),
         "start every iteration's task first, then await them together: "
         "std::vector<%0> tasks; ... tasks.push_back(%1); ... co_await "
         "%2(std::move(tasks))",
         DiagnosticIDs::Note)
        << TaskType << CallText << Function;
  else
    diag(SM.getFileLoc(Loop.getBeginLoc()),
         "start every iteration's task first, then await them together with "
         "a when_all over a vector of tasks",
         DiagnosticIDs::Note);

  // A loop over a runtime-sized range would start them all at once.
  bool Small = false;
  if (Range) {
    const Expr *R = Range->IgnoreParenImpCasts();
    Small = isa<InitListExpr, CXXStdInitializerListExpr>(R) ||
            R->getType()->isConstantArrayType();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(R))
      Small = Small || Ref->getType()->isConstantArrayType();
  }
  if (!Small) {
    std::string Bounded = Framework && !Framework->WhenAll.BoundedFunction.empty()
                              ? Framework->WhenAll.BoundedFunction
                              : "a bounded when_all";
    diag(SM.getFileLoc(Loop.getBeginLoc()),
         "for a large range, cap how many run at once with %0 "
         "(see async-unbounded-fanout)",
         DiagnosticIDs::Note)
        << Bounded;
  }
}

} // namespace corotidy::checks
