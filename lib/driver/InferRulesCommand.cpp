//===--- InferRulesCommand.cpp - corotidy --infer-rules -------------------===//

#include "InferRulesCommand.h"
#include "InferRules.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace corotidy::driver {

namespace {

class InferConsumer : public ASTConsumer {
public:
  InferConsumer(const CoroutineModel &Model, RuleSet &Into) : Model(Model), Into(Into) {}
  void HandleTranslationUnit(ASTContext &Ctx) override { inferRules(Ctx, Model, Into); }

private:
  const CoroutineModel &Model;
  RuleSet &Into;
};

class InferAction : public ASTFrontendAction {
public:
  InferAction(const CoroutineModel &Model, RuleSet &Into) : Model(Model), Into(Into) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, StringRef) override {
    return std::make_unique<InferConsumer>(Model, Into);
  }

private:
  const CoroutineModel &Model;
  RuleSet &Into;
};

struct InferActionFactory : tooling::FrontendActionFactory {
  InferActionFactory(const CoroutineModel &Model, RuleSet &Into) : Model(Model), Into(Into) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<InferAction>(Model, Into);
  }
  const CoroutineModel &Model;
  RuleSet &Into;
};

} // namespace

int inferRulesCommand(const DriverOptions &Options) {
  auto Builtin = builtinRules();
  if (!Builtin) {
    llvm::WithColor::error(llvm::errs(), "corotidy") << llvm::toString(Builtin.takeError()) << "\n";
    return ExitUsage;
  }
  std::unique_ptr<tooling::CompilationDatabase> Commands;
  std::string Err;
  if (Options.FixedArgs)
    Commands = std::make_unique<tooling::FixedCompilationDatabase>(".", *Options.FixedArgs);
  else if (!Options.BuildPath.empty())
    Commands = tooling::CompilationDatabase::loadFromDirectory(Options.BuildPath, Err);
  if (!Commands || Options.Files.empty()) {
    llvm::WithColor::error(llvm::errs(), "corotidy")
        << "--infer-rules needs files and their flags (-p <build dir> or -- <flags>)"
        << (Err.empty() ? "" : ": " + Err) << "\n";
    return ExitUsage;
  }
  tooling::ClangTool Tool(*Commands, Options.Files);
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      ("-resource-dir=" + resourceDirectory()).c_str(),
      tooling::ArgumentInsertPosition::BEGIN));
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-fsyntax-only", tooling::ArgumentInsertPosition::BEGIN));
  std::shared_ptr<const CoroutineModel> Model = shapeOnlyModel(**Builtin);
  RuleSet Inferred;
  InferActionFactory Factory(*Model, Inferred);
  int Failed = Tool.run(&Factory);
  normaliseInferred(Inferred);
  llvm::outs() << printRulesFragment(Inferred);
  return Failed ? ExitParseFailure : ExitClean;
}

} // namespace corotidy::driver
