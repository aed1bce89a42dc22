//===--- ScopedRun.cpp - run the checks over the user's code only ----------===//

#include "ScopedRun.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"

using namespace clang;
using namespace clang::tidy;

namespace corotidy::driver {

namespace {

/// Runs first: narrows the traversal scope to declarations outside system
/// headers, so matchers and the parent map skip the standard library.
class UserCodeScope : public ASTConsumer {
public:
  void HandleTranslationUnit(ASTContext &Ctx) override {
    const SourceManager &SM = Ctx.getSourceManager();
    std::vector<Decl *> UserDecls;
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      SourceLocation Loc = D->getBeginLoc();
      if (Loc.isValid() && !SM.isInSystemHeader(SM.getExpansionLoc(Loc)))
        UserDecls.push_back(D);
    }
    Ctx.setTraversalScope(UserDecls);
  }
};

/// Runs last: records the user's function definitions (to name the function
/// each finding is in) and every file the compile read (the cache's key).
class RunRecorder : public ASTConsumer {
public:
  explicit RunRecorder(UserCodeRun &Out) : Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    const SourceManager &SM = Ctx.getSourceManager();
    for (Decl *D : Ctx.getTraversalScope())
      Collector(SM, Out.Functions).TraverseDecl(D);
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      Out.Dependencies.push_back(absolute(*Main));
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      Out.Dependencies.push_back(absolute(It->first));
  }

private:
  static std::string absolute(FileEntryRef File) {
    StringRef Real = File.getFileEntry().tryGetRealPathName();
    return (Real.empty() ? File.getName() : Real).str();
  }

  struct Collector : RecursiveASTVisitor<Collector> {
    Collector(const SourceManager &SM, std::vector<FunctionSpan> &Out)
        : SM(SM), Out(Out) {}
    bool VisitFunctionDecl(FunctionDecl *FD) {
      if (!FD->doesThisDeclarationHaveABody() || isLambdaCall(FD))
        return true;
      SourceLocation Begin = SM.getExpansionLoc(FD->getBeginLoc());
      SourceLocation End = SM.getExpansionLoc(FD->getEndLoc());
      OptionalFileEntryRef File = SM.getFileEntryRefForID(SM.getFileID(Begin));
      if (!File || SM.getFileID(Begin) != SM.getFileID(End))
        return true;
      Out.push_back({absolute(*File), SM.getFileOffset(Begin),
                     SM.getFileOffset(End), FD->getQualifiedNameAsString()});
      return true;
    }
    static bool isLambdaCall(const FunctionDecl *FD) {
      const auto *Method = dyn_cast<CXXMethodDecl>(FD);
      return Method && Method->getParent()->isLambda();
    }
    const SourceManager &SM;
    std::vector<FunctionSpan> &Out;
  };

  UserCodeRun &Out;
};

class Action : public ASTFrontendAction {
public:
  Action(ClangTidyASTConsumerFactory &Factory, UserCodeRun &Out)
      : Factory(Factory), Out(Out) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                 StringRef File) override {
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(std::make_unique<UserCodeScope>());
    Consumers.push_back(Factory.createASTConsumer(Compiler, File));
    Consumers.push_back(std::make_unique<RunRecorder>(Out));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  UserCodeRun &Out;
};

class ActionFactory : public tooling::FrontendActionFactory {
public:
  ActionFactory(ClangTidyContext &Context,
                IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                UserCodeRun &Out)
      : ConsumerFactory(Context, std::move(FS)), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(ConsumerFactory, Out);
  }
  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy does: code may test __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(Invocation, Files, PCHContainerOps,
                                                DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory ConsumerFactory;
  UserCodeRun &Out;
};

} // namespace

UserCodeRun
runOnUserCode(ClangTidyContext &Context,
              const tooling::CompilationDatabase &Compilations,
              llvm::ArrayRef<std::string> Files,
              IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
              tooling::ArgumentsAdjuster CommandFilter) {
  tooling::ClangTool Tool(Compilations, Files,
                          std::make_shared<PCHContainerOperations>(), FS);
  // The database's own command first (GCC flags out), then what we add.
  if (CommandFilter)
    Tool.appendArgumentsAdjuster(CommandFilter);
  // ExtraArgs and ExtraArgsBefore of each file's options, as clang-tidy adds them.
  Tool.appendArgumentsAdjuster([&Context](const tooling::CommandLineArguments &Args,
                                          StringRef File) {
    ClangTidyOptions Opts = Context.getOptionsForFile(File);
    tooling::CommandLineArguments Adjusted = Args;
    if (Opts.ExtraArgsBefore) {
      auto At = Adjusted.begin();
      if (At != Adjusted.end() && !StringRef(*At).starts_with("-"))
        ++At; // after the compiler's name
      Adjusted.insert(At, Opts.ExtraArgsBefore->begin(), Opts.ExtraArgsBefore->end());
    }
    // Before "--": interpolated commands end in "-- <file>".
    if (Opts.ExtraArgs)
      Adjusted.insert(llvm::find(Adjusted, "--"), Opts.ExtraArgs->begin(),
                      Opts.ExtraArgs->end());
    return Adjusted;
  });
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());

  ClangTidyDiagnosticConsumer DiagConsumer(Context, nullptr,
                                           /*RemoveIncompatibleErrors=*/true,
                                           /*GetFixesFromNotes=*/false);
#if COROTIDY_LLVM_MAJOR >= 22
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine Engine(DiagnosticIDs::create(), *DiagOpts, &DiagConsumer,
                           /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &Engine);
#else
  DiagnosticsEngine Engine(new DiagnosticIDs(), new DiagnosticOptions(),
                           &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);
#endif
  Tool.setDiagnosticConsumer(&DiagConsumer);
  UserCodeRun Out;
  ActionFactory Factory(Context, std::move(FS), Out);
  Tool.run(&Factory);
  Out.Errors = DiagConsumer.take();
  return Out;
}

} // namespace corotidy::driver
