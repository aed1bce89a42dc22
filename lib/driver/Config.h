//===--- Config.h - .corotidy.yaml and .clang-tidy configuration -----------===//
//
// Configuration comes from clang-tidy's FileOptionsProvider (it walks up from
// each file, merges, honours InheritParentConfig) with one more file format:
// .corotidy.yaml, a superset of .clang-tidy with Severities: and Rules:.
// Rules: is validated against the rules schema and stored in the global
// option corotidy.Rules; Severities: become <check>.Severity options.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidyOptions.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Errors found while reading configuration files, kept so the driver can
/// report them all and exit 2 instead of running with a half-read config.
class ConfigErrors {
public:
  void add(std::string Message);
  std::vector<std::string> take();
  bool empty() const;

private:
  mutable std::mutex Lock;
  std::vector<std::string> Messages;
};

/// Parses .corotidy.yaml text. Errors name Source:line:col.
llvm::ErrorOr<clang::tidy::ClangTidyOptions>
parseCorotidyConfig(llvm::MemoryBufferRef Config, ConfigErrors &Errors);

/// The options every run starts from: checks -*,async-*.
clang::tidy::ClangTidyOptions defaultOptions();

/// Command-line settings that override config files.
struct ConfigOverrides {
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilter;
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
};

/// Walks up from each file for .corotidy.yaml and .clang-tidy, or reads one
/// explicit --config-file. Parse errors land in Errors.
llvm::Expected<std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>>
makeOptionsProvider(const ConfigOverrides &Overrides,
                    llvm::StringRef ExplicitConfigFile, ConfigErrors &Errors);

/// Appended to every run's checks: the clang-tidy library's analyzer and
/// compiler-warning families are never ours to switch on.
inline constexpr llvm::StringLiteral AlwaysDisabledChecks =
    "-clang-analyzer-*,-clang-diagnostic-*";

/// The globs that matter: what follows the last "-*", without repeats and
/// without AlwaysDisabledChecks.
std::string simplifyChecks(llvm::StringRef Checks);

/// Serialises options in the .corotidy.yaml format (for --dump-config);
/// parseCorotidyConfig reads the output back unchanged.
std::string dumpConfig(const clang::tidy::ClangTidyOptions &Options);

} // namespace corotidy::driver
