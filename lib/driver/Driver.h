//===--- Driver.h - run the async checks over files and report -------------===//
#pragma once

#include "Config.h"
#include "Formats.h"
#include "Inputs.h"

#include <optional>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Documented exit codes (docs/user-guide.md).
enum ExitCode : int {
  ExitClean = 0,        ///< no finding at or above --fail-on
  ExitFindings = 1,     ///< findings at or above --fail-on
  ExitUsage = 2,        ///< bad command line, config or compile database
  ExitParseFailure = 3, ///< a file did not parse (the others were analysed)
};

struct DriverOptions {
  std::vector<std::string> Files;
  std::string BuildPath;                            ///< -p
  std::optional<std::vector<std::string>> FixedArgs; ///< after --
  ConfigOverrides Overrides;
  std::string ConfigFile;
  bool Fix = false;
  std::string ExportFixes;
  output::Format Format = output::Format::Text;
  std::string OutputFile;
  unsigned Jobs = 1;
  output::Severity FailOn = output::Severity::Warning;
  std::optional<bool> Color;
  bool Quiet = false;
  bool ShowProgress = true;
  /// Print each check's matcher time to stderr, as clang-tidy does.
  bool EnableCheckProfile = false;
  /// The result cache: on unless NoCache, in CacheDir (default
  /// .corotidy-cache in the working directory).
  std::string CacheDir;
  bool NoCache = false;
  std::string BaselineFile;      ///< --baseline: report only findings not in it
  std::string WriteBaselineFile; ///< --write-baseline
  std::optional<Shard> ShardPart; ///< --shard=K/N
};

/// The tool's version line: "corotidy 0.1.0 (LLVM 19.1.7)".
std::string versionString();

/// Finds the installed rules next to the executable (or $COROTIDY_RULES_DIR)
/// and the clang resource directory ($COROTIDY_RESOURCE_DIR or the one
/// compiled in).
void initialiseEnvironment(const char *Argv0);
std::string resourceDirectory();

int runChecks(const DriverOptions &Options);
int listChecks(const DriverOptions &Options);
int explainCheck(llvm::StringRef Check);
int dumpEffectiveConfig(const DriverOptions &Options);
/// --merge-sarif: the shards' SARIF logs as one run, to OutputFile or stdout.
int mergeSarifFiles(const std::vector<std::string> &Logs, llvm::StringRef OutputFile);

} // namespace corotidy::driver
