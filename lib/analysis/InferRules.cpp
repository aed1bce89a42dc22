//===--- InferRules.cpp - the framework vocabulary a TU shows, as rules ---===//

#include "InferRules.h"
#include "Roles.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <algorithm>

using namespace clang;

namespace corotidy {

namespace {

/// The framework a declaration belongs to: its outermost namespace.
llvm::StringRef frameworkName(llvm::StringRef RuleName) {
  size_t Colons = RuleName.find("::");
  return Colons == llvm::StringRef::npos ? "global" : RuleName.take_front(Colons);
}

class VocabularyCollector : public RecursiveASTVisitor<VocabularyCollector> {
public:
  VocabularyCollector(const CoroutineModel &Model, RuleSet &Into)
      : Model(Model), Roles(Model.inference()), Into(Into) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  // Function bodies hold no vocabulary; skipping them keeps this fast.
  bool TraverseStmt(Stmt *) { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->getIdentifier() || FD->isLocalExternDecl() ||
        isImplementationDetail(FD) || FD->getDeclContext()->isFunctionOrMethod())
      return true;
    const FunctionRoles &R = Roles.rolesOf(FD);
    std::string Name = ruleName(FD);
    FrameworkRule &F = framework(Name);
    if (R.Limiter)
      F.Limiters.push_back(Name);
    if (R.Bounded)
      F.BoundedCombinators.push_back(Name);
    else if (R.Combinator)
      F.Combinators.push_back(Name);
    else if (R.Spawn)
      F.SpawnFunctions.push_back(*R.Spawn);
    else if (R.SyncWait)
      Into.Blocking.push_back(*R.SyncWait);
    else if (R.Ordering && !isa<CXXMethodDecl>(FD))
      F.OrderingPrimitives.push_back(Name);
    else if (!isa<CXXMethodDecl>(FD) && Model.isAwaitableType(FD->getReturnType()) &&
             !Model.classifyType(FD->getReturnType()))
      F.OrderingPrimitives.push_back(Name); // any awaitable that is not a task
    else if (R.Ordering && !Roles.rolesOf(cast<CXXMethodDecl>(FD)->getParent()).Ordering)
      F.OrderingPrimitives.push_back(Name);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (!RD->getIdentifier() || !RD->isThisDeclarationADefinition() ||
        isa<ClassTemplatePartialSpecializationDecl>(RD) ||
        RD->getDeclContext()->isFunctionOrMethod() || isImplementationDetail(RD))
      return true;
    std::string Name = ruleName(RD);
    if (TaskInfo Task = Model.classifyType(RD->getASTContext().getRecordType(RD))) {
      framework(Name).TaskTypes.push_back({Name, lazinessOf(RD, Task.Lazy)});
      return true;
    }
    const RecordRoles &R = Roles.rolesOf(RD);
    if (R.Scope)
      framework(Name).Scopes.push_back(Name);
    if (R.Ordering)
      framework(Name).OrderingPrimitives.push_back(Name);
    return true;
  }

private:
  /// A template's pattern may hide its promise behind a dependent alias:
  /// then an instantiation the headers make says it.
  Laziness lazinessOf(const CXXRecordDecl *RD, Laziness Pattern) const {
    const ClassTemplateDecl *Template = RD->getDescribedClassTemplate();
    if (Pattern != Laziness::Unknown || !Template)
      return Pattern;
    for (const ClassTemplateSpecializationDecl *Spec : Template->specializations())
      if (Laziness L = Model.lazinessOf(Spec); L != Laziness::Unknown)
        return L;
    return Pattern;
  }

  FrameworkRule &framework(llvm::StringRef RuleName) {
    llvm::StringRef Framework = frameworkName(RuleName);
    for (FrameworkRule &F : Into.Frameworks)
      if (F.Name == Framework)
        return F;
    Into.Frameworks.emplace_back();
    Into.Frameworks.back().Name = Framework.str();
    return Into.Frameworks.back();
  }

  const CoroutineModel &Model;
  const RoleInference &Roles;
  RuleSet &Into;
};

template <typename T, typename Key>
void sortUnique(std::vector<T> &List, Key KeyOf) {
  std::stable_sort(List.begin(), List.end(),
                   [&](const T &A, const T &B) { return KeyOf(A) < KeyOf(B); });
  List.erase(std::unique(List.begin(), List.end(),
                         [&](const T &A, const T &B) { return KeyOf(A) == KeyOf(B); }),
             List.end());
}

} // namespace

std::shared_ptr<const CoroutineModel> shapeOnlyModel(const RuleSet &Builtin) {
  auto Rules = std::make_shared<RuleSet>(Builtin);
  Rules->Frameworks.clear();
  return std::make_shared<CoroutineModel>(std::move(Rules));
}

void inferRules(ASTContext &Ctx, const CoroutineModel &ShapeOnly, RuleSet &Into) {
  VocabularyCollector(ShapeOnly, Into).TraverseDecl(Ctx.getTranslationUnitDecl());
}

void normaliseInferred(RuleSet &Set) {
  auto Self = [](const std::string &S) -> const std::string & { return S; };
  for (FrameworkRule &F : Set.Frameworks) {
    sortUnique(F.TaskTypes, [](const TaskTypeRule &T) { return T.Name; });
    sortUnique(F.Combinators, Self);
    sortUnique(F.BoundedCombinators, Self);
    // A bounded combinator is listed once, under its own heading.
    std::erase_if(F.Combinators, [&](const std::string &C) {
      return llvm::is_contained(F.BoundedCombinators, C);
    });
    // Overloads of one spawn: the first that names a handler speaks.
    std::stable_sort(F.SpawnFunctions.begin(), F.SpawnFunctions.end(),
                     [](const SpawnRule &A, const SpawnRule &B) {
                       return std::tie(A.Name, B.HandlerArg) < std::tie(B.Name, A.HandlerArg);
                     });
    sortUnique(F.SpawnFunctions, [](const SpawnRule &S) { return S.Name; });
    sortUnique(F.Scopes, Self);
    sortUnique(F.OrderingPrimitives, Self);
    sortUnique(F.Limiters, Self);
  }
  std::erase_if(Set.Frameworks, [](const FrameworkRule &F) {
    return F.TaskTypes.empty() && F.Combinators.empty() &&
           F.BoundedCombinators.empty() && F.SpawnFunctions.empty() &&
           F.Scopes.empty() && F.OrderingPrimitives.empty() && F.Limiters.empty();
  });
  sortUnique(Set.Frameworks, [](const FrameworkRule &F) { return F.Name; });
  sortUnique(Set.Blocking, [](const BlockingRule &B) { return B.Name; });
}

std::string printRulesFragment(const RuleSet &Set) {
  std::string Body = serializeRules(Set);
  llvm::StringRef Text(Body);
  Text.consume_front("---\n");
  Text.consume_back("...\n");
  std::string Out = "# Inferred by corotidy --infer-rules: review, then commit to .corotidy.yaml\nRules:\n";
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Text.split(Lines, '\n', -1, false);
  for (llvm::StringRef Line : Lines)
    Out += ("  " + Line + "\n").str();
  return Out;
}

} // namespace corotidy
