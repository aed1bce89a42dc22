//===--- Session.h - the run's configuration, shared by every file ---------===//
#pragma once

#include "Config.h"

#include "clang-tidy/ClangTidyOptions.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corotidy::driver {

/// A name in a checks list that names no check: "async-typo" (globs with
/// wildcards are fine, and so are the library's families we switch off).
std::vector<std::string> unknownCheckNames(llvm::StringRef Checks);

bool isRegisteredCheck(llvm::StringRef Name);
/// Every check this binary registers, sorted.
std::vector<std::string> registeredCheckNames();

/// One options provider for the run, safe to use from every worker.
class Session {
public:
  /// Builds the provider; prints and returns nullptr on a config error.
  static std::unique_ptr<Session> open(const ConfigOverrides &Overrides,
                                       llvm::StringRef ConfigFile);

  /// A thread-safe view for one ClangTidyContext.
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> view();
  clang::tidy::ClangTidyOptions optionsFor(llvm::StringRef File);

  /// Reads every file's configuration up front: config errors stop the run
  /// before any analysis (exit 2), instead of analysing with half a config.
  /// Prints the errors.
  bool validate(llvm::ArrayRef<std::string> Files);

private:
  ConfigErrors Errors;
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider;
  std::mutex ProviderLock;
};

} // namespace corotidy::driver
