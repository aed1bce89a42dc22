//===--- AsyncCheck.cpp ----------------------------------------------------===//

#include "AsyncCheck.h"

#include "clang/Lex/Preprocessor.h"

using namespace clang;
using namespace clang::tidy;

namespace corotidy::checks {

namespace {
std::shared_ptr<const CoroutineModel> loadModel(ClangTidyContext &Context,
                                                AsyncCheck &Check) {
  const ClangTidyOptions::OptionMap &Options = Context.getOptions().CheckOptions;
  auto It = Options.find(RulesOptionName);
  std::string Overlay = It == Options.end() ? "" : It->getValue().Value;
  auto Model = CoroutineModel::get(Overlay);
  if (Model)
    return *Model;
  Check.configurationDiag("invalid %0: %1")
      << RulesOptionName << llvm::toString(Model.takeError());
  auto Builtin = CoroutineModel::get("");
  if (Builtin)
    return *Builtin;
  Check.configurationDiag("invalid built-in rules: %0")
      << llvm::toString(Builtin.takeError());
  return std::make_shared<CoroutineModel>(std::make_shared<RuleSet>());
}
} // namespace

AsyncCheck::AsyncCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {
  Model = loadModel(*Context, *this);
}

void AsyncCheck::registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                                     Preprocessor *) {
  Inserter.registerPreprocessor(PP);
}

void AsyncCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

std::optional<FixItHint> AsyncCheck::includeFix(const SourceManager &SM,
                                                SourceLocation Loc,
                                                StringRef Header) {
  if (Header.empty())
    return std::nullopt;
  return Inserter.createIncludeInsertion(SM.getFileID(SM.getExpansionLoc(Loc)),
                                         Header);
}

std::string describeCoroutine(const FunctionDecl &Coroutine) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Coroutine);
      Method && Method->getParent()->isLambda())
    return "a coroutine lambda";
  return "coroutine '" + ruleName(&Coroutine) + "'";
}

std::vector<std::string> splitList(StringRef Value) {
  std::vector<std::string> Names;
  StringRef Rest = Value;
  while (!Rest.empty()) {
    size_t Cut = Rest.find_first_of(";,");
    StringRef Piece = Rest.take_front(Cut).trim();
    if (!Piece.empty())
      Names.push_back(Piece.str());
    if (Cut == StringRef::npos)
      break;
    Rest = Rest.drop_front(Cut + 1);
  }
  return Names;
}

std::string joinList(const std::vector<std::string> &Names) {
  return llvm::join(Names, ";");
}

} // namespace corotidy::checks
