//===--- Analysis.h - stage 2: analyse each file, isolated and cached ------===//
#pragma once

#include "CompileArgs.h"
#include "Findings.h"
#include "Inputs.h"
#include "ResultCache.h"
#include "Schedule.h"
#include "Session.h"

#include <atomic>

namespace corotidy::driver {

/// What analysing one file gave.
struct FileOutcome {
  std::vector<output::Finding> Findings;
  std::vector<std::string> ConfigProblems;
  bool ParseFailed = false;
  bool Crashed = false;
  bool FromCache = false;
};

/// The check name a crash is reported under (exit 3, like a parse failure).
inline constexpr llvm::StringLiteral InternalErrorCheck = "corotidy-internal-error";

/// Analyses one file at a time, from any number of threads: looks the file
/// up in the cache, else compiles it and runs the checks under crash
/// isolation, turns what they said into findings, and stores them.
class FileAnalyser {
public:
  /// RunIdentity covers what every file's result depends on (the binary,
  /// the rules, the working directory); Cache may be null.
  FileAnalyser(Session &S, CompileCommands &Commands,
               std::shared_ptr<const RuleSet> Rules, ResultCache *Cache,
               std::string RunIdentity, bool CheckProfile);

  FileOutcome analyse(const std::string &File);
  /// What is known of File's cost before analysing it: the cache's record
  /// of its last analysis, and its size.
  FileCost cost(const std::string &File) const;

  /// GCC-only flags dropped from the commands so far.
  std::vector<std::string> droppedFlags() const { return GccFlags.dropped(); }
  /// The first failure to write the cache, if any (the run goes on).
  std::string cacheProblem() const;

private:
  std::string cacheKey(const std::string &File,
                       const clang::tidy::ClangTidyOptions &Options);
  UserCodeRun compile(const std::string &File);
  FileOutcome crashed(const std::string &File, const struct CrashReport &Crash);

  Session &S;
  CompileCommands &Commands;
  std::shared_ptr<const RuleSet> Rules;
  ResultCache *Cache;
  std::string RunIdentity;
  bool CheckProfile;
  UnsupportedArgsFilter GccFlags;
  SourceCache Sources;
  mutable std::mutex ProblemLock;
  std::string CacheProblem;
};

/// Every file's outcome, in the order of Files, with Jobs workers (a
/// progress line on stderr when Progress). With more than one worker the
/// files are handed out longest first (Schedule.h).
std::vector<FileOutcome> analyseAll(FileAnalyser &Analyser,
                                    const std::vector<std::string> &Files,
                                    unsigned Jobs, bool Progress);

} // namespace corotidy::driver
