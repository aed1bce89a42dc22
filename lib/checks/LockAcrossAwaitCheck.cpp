//===--- LockAcrossAwaitCheck.cpp - async-lock-across-await ----------------===//

#include "LockAcrossAwaitCheck.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corotidy::checks {

namespace {

StringRef suspensionKeyword(const Expr &Suspension) {
  return isa<CoyieldExpr>(Suspension) ? "co_yield" : "co_await";
}

} // namespace

LockAcrossAwaitCheck::LockAcrossAwaitCheck(StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : AsyncCheck(Name, Context),
      IgnoredMutexes(splitList(Options.get("IgnoredMutexes", ""))),
      ManualPairs(Options.get("ManualPairs", true)), Locks(model().rules()) {}

void LockAcrossAwaitCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  AsyncCheck::storeOptions(Opts);
  Options.store(Opts, "IgnoredMutexes", joinList(IgnoredMutexes));
  Options.store(Opts, "ManualPairs", ManualPairs);
}

void LockAcrossAwaitCheck::onStartOfTranslationUnit() {
  Locks.clear();
  Reported.clear();
}

void LockAcrossAwaitCheck::registerMatchers(MatchFinder *Finder) {
  // One match per coroutine body; the walk over it finds the sections.
  Finder->addMatcher(
      coroutineBodyStmt(unless(isExpansionInSystemHeader())).bind("body"), this);
}

void LockAcrossAwaitCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Body = Result.Nodes.getNodeAs<CoroutineBodyStmt>("body");
  const FunctionDecl *Coroutine =
      CoroutineModel::enclosingFunction(*Body, *Result.Context);
  if (!Coroutine)
    return;
  for (const CriticalSection &Section : Locks.sectionsOf(*Coroutine))
    if (isReported(Section))
      report(Section, *Coroutine, *Result.SourceManager);
}

/// Held across a suspension and known to end in this coroutine: a manual
/// lock() whose unlock() is elsewhere may be released before the await.
bool LockAcrossAwaitCheck::isReported(const CriticalSection &Section) const {
  if (Section.Suspensions.empty() || !Section.EndsInFunction)
    return false;
  if (!Section.Guard && !ManualPairs && !isa<CXXConstructExpr>(Section.Acquisition))
    return false;
  return !llvm::is_contained(IgnoredMutexes, Section.Mutex);
}

void LockAcrossAwaitCheck::report(const CriticalSection &Section,
                                  const FunctionDecl &Coroutine,
                                  const SourceManager &SM) {
  SourceLocation Loc = SM.getFileLoc(Section.Guard ? Section.Guard->getLocation()
                                                   : Section.Acquisition->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;
  std::string Holder = Section.Guard ? "lock guard '" + Section.Guard->getName().str() + "'"
                                     : "this lock";
  diag(Loc, "%0 keeps '%1' locked across %2 suspension point%s2 in %3; while it is "
            "suspended every thread that takes '%1' blocks, a task on the same "
            "executor thread deadlocks, and resuming on another thread unlocks "
            "it from the wrong thread")
      << Holder << Section.Mutex << static_cast<unsigned>(Section.Suspensions.size())
      << describeCoroutine(Coroutine);
  for (const Expr *Suspension : Section.Suspensions)
    diag(SM.getFileLoc(Suspension->getBeginLoc()), "%0 suspends here with '%1' locked",
         DiagnosticIDs::Note)
        << suspensionKeyword(*Suspension) << Section.Mutex;
  diag(Loc, "end the critical section before the suspension (unlock() it or close its "
            "scope), or use an async mutex (asyncrt::mutex: co_await m.lock())",
       DiagnosticIDs::Note);
}

} // namespace corotidy::checks
