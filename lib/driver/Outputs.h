//===--- Outputs.h - stage 4: report, export, fixes, summary, exit code ----===//
#pragma once

#include "Fixes.h"
#include "Formats.h"

#include <optional>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Writes the report to OutputFile (stdout when empty); false, with the
/// error printed, when the file cannot be written.
bool writeReport(const output::Report &R, output::Format Format,
                 llvm::StringRef OutputFile, std::optional<bool> Color);

/// clang-tidy's fixes YAML (for clang-apply-replacements) of the findings.
bool exportFixes(llvm::StringRef Path, llvm::StringRef MainFile,
                 const std::vector<output::Finding> &Findings);

/// The findings a report shows: without those in the baseline or gone from
/// it unless WithBaselined (SARIF carries their baselineState), and, when
/// OnlyUnfixed, without those Fixed says were fixed.
std::vector<output::Finding> shownFindings(const std::vector<output::Finding> &All,
                                           const FixSummary &Fixed,
                                           bool OnlyUnfixed, bool WithBaselined = false);

/// What the run found, for the summary and the exit code.
struct RunTally {
  size_t Files = 0;
  size_t Findings = 0;   ///< check findings shown (not compiler errors)
  size_t Failing = 0;    ///< of those, at or above --fail-on
  size_t Baselined = 0;  ///< left out because the baseline has them
  size_t Absent = 0;     ///< baseline entries no longer found
  size_t FromCache = 0;
  std::vector<std::string> Unparsed, Crashed; ///< display paths
  bool UsageProblem = false; ///< inputs, configuration, a file not written
};

/// "corotidy: 3 findings in 2 files; applied 2 fixes in 1 file; 1 left".
std::string summaryLine(const RunTally &T, const FixSummary *Fixed);

/// 0, 1, 2 or 3 as docs/user-guide.md documents them.
int exitCodeOf(const RunTally &T);

} // namespace corotidy::driver
