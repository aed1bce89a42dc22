//===--- Plugin.cpp - the async module for stock clang-tidy --load ---------===//
//
//   clang-tidy-19 --load=libcorotidy-plugin.so --checks='-*,async-*' file.cpp
//
// The module's symbols come from the host clang-tidy: linking our own copy of
// clangTidy would create a second check registry and silently enable nothing.
// A plugin built for one LLVM major and loaded into another registers fine
// but finds nothing (the AST differs), so it refuses and says why.
//
//===----------------------------------------------------------------------===//

#include "AsyncModule.h"

#include "ModuleRegistry.h"
#include "clang/Basic/Version.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

namespace {

/// The host's clang major version, from "... clang version 19.1.7 ...".
int hostMajorVersion() {
  std::string Full = clang::getClangFullVersion();
  size_t At = Full.find("version ");
  return At == std::string::npos ? 0 : std::atoi(Full.c_str() + At + 8);
}

struct Registrar {
  Registrar() {
    int Host = hostMajorVersion();
    if (Host != COROTIDY_LLVM_MAJOR) {
      llvm::errs() << "corotidy plugin: built for clang-tidy " << COROTIDY_LLVM_MAJOR
                   << " but loaded into clang-tidy " << Host
                   << "; the async-* checks are not registered (use "
                      "clang-tidy-" << COROTIDY_LLVM_MAJOR << " or the corotidy binary)\n";
      return;
    }
    static clang::tidy::ClangTidyModuleRegistry::Add<corotidy::checks::AsyncModule> Module(
        corotidy::checks::AsyncModuleName, corotidy::checks::AsyncModuleDescription);
  }
} TheRegistrar;

} // namespace
