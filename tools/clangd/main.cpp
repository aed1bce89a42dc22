//===--- main.cpp - corotidy-clangd: clangd with the async-* checks --------===//
//
// Debian's clangd, linked from its libraries (clangdMain), with corotidy's
// clang-tidy module registered. Editors run it instead of clangd and keep
// everything clangd does; the async-* findings arrive as diagnostics and their
// fix-its as quick fixes. ClangdSeams.cpp turns the checks on by default;
// DocLinks.cpp points their diagnostics at corotidy's doc pages.
//
//===----------------------------------------------------------------------===//

#include "AsyncModule.h"
#include "DocLinks.h"
#include "Driver.h"
#include "ModuleRegistry.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace {

clang::tidy::ClangTidyModuleRegistry::Add<corotidy::checks::AsyncModule>
    TheModule(corotidy::checks::AsyncModuleName, corotidy::checks::AsyncModuleDescription);

/// Whether a flag named Flag (or starting with Flag, when Prefix) is given.
bool hasFlag(llvm::ArrayRef<std::string> Args, llvm::StringRef Flag, bool Prefix = false) {
  return llvm::any_of(Args.drop_front(), [&](llvm::StringRef Arg) {
    if (!Arg.starts_with("-"))
      return false;
    Arg = Arg.ltrim('-').split('=').first;
    return Prefix ? Arg.starts_with(Flag) : Arg == Flag;
  });
}

} // namespace

int main(int argc, char *argv[]) {
  std::vector<std::string> Args(argv, argv + argc);
  corotidy::driver::initialiseEnvironment(argv[0]);
  if (hasFlag(Args, "version"))
    llvm::outs() << "corotidy-clangd: " << corotidy::driver::versionString()
                 << ", built into this clangd:\n";
  // clangd looks for clang's builtin headers next to its own binary; point it
  // at the resource directory the CLI uses unless the user chose one.
  if (!hasFlag(Args, "resource-dir"))
    Args.push_back("--resource-dir=" + corotidy::driver::resourceDirectory());
  // Modes that print and exit (--help exits inside option parsing) write
  // straight to stdout; the language server's output goes through the filter.
  std::unique_ptr<corotidy::clangd::DocLinkFilter> Links;
  if (!hasFlag(Args, "version") && !hasFlag(Args, "help", /*Prefix=*/true) &&
      !hasFlag(Args, "check"))
    Links = corotidy::clangd::DocLinkFilter::install();
  std::vector<char *> Argv;
  for (std::string &Arg : Args)
    Argv.push_back(Arg.data());
  Argv.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()), Argv.data());
}
