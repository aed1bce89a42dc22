//===--- Analysis.cpp - stage 2: analyse each file, isolated and cached ----===//

#include "Analysis.h"

#include "Config.h"
#include "CrashIsolation.h"
#include "Paths.h"
#include "TidyCompat.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <chrono>

using namespace clang;
using namespace clang::tidy;

namespace corotidy::driver {

FileAnalyser::FileAnalyser(Session &S, CompileCommands &Commands,
                           std::shared_ptr<const RuleSet> Rules, ResultCache *Cache,
                           std::string RunIdentity, bool CheckProfile)
    : S(S), Commands(Commands), Rules(std::move(Rules)), Cache(Cache),
      RunIdentity(std::move(RunIdentity)), CheckProfile(CheckProfile) {
  enableCrashIsolation();
}

std::string FileAnalyser::cacheKey(const std::string &File,
                                   const ClangTidyOptions &Options) {
  std::vector<std::string> Parts = {RunIdentity, File, dumpConfig(Options)};
  for (const tooling::CompileCommand &C :
       Commands.forFile(File)->getCompileCommands(File)) {
    Parts.push_back(C.Directory);
    Parts.push_back(llvm::join(C.CommandLine, "\n"));
  }
  return hashParts(Parts);
}

UserCodeRun FileAnalyser::compile(const std::string &File) {
  std::unique_ptr<ClangTidyContext> Context = compat::makeContext(S.view());
  Context->setEnableProfiling(CheckProfile);
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  std::shared_ptr<tooling::CompilationDatabase> DB = Commands.forFile(File);
  return runOnUserCode(*Context, *DB, {File}, FS, GccFlags.adjuster());
}

FileOutcome FileAnalyser::crashed(const std::string &File, const CrashReport &Crash) {
  FileOutcome Out;
  Out.Crashed = true;
  output::Finding F;
  F.Check = InternalErrorCheck.str();
  F.Level = output::Severity::Error;
  F.Where.File = displayPath(File);
  F.Message = describeCrash(Crash);
  Out.Findings.push_back(std::move(F));
  return Out;
}

FileOutcome FileAnalyser::analyse(const std::string &File) {
  ClangTidyOptions Options = S.optionsFor(File);
  // A profile is only printed by a real run.
  bool UseCache = Cache && !CheckProfile;
  std::string Key = UseCache ? cacheKey(File, Options) : "";
  if (UseCache)
    if (std::optional<CachedResult> Hit = Cache->lookup(Key)) {
      FileOutcome Out;
      Out.Findings = std::move(Hit->Findings);
      Out.ParseFailed = Hit->ParseFailed;
      Out.FromCache = true;
      return Out;
    }

  UserCodeRun Run;
  auto Start = std::chrono::steady_clock::now();
  if (std::optional<CrashReport> Crash = runIsolated([&] { Run = compile(File); }))
    return crashed(File, *Crash);
  if (Cache)
    Cache->recordCost(File, std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - Start)
                                .count());
  FileFindings Found = toFindings(Run, File, Options, *Rules, Sources);
  if (UseCache && Found.ConfigProblems.empty()) {
    std::string Problem =
        Cache->store(Key, {Found.Findings, Found.ParseFailed, Run.Dependencies});
    std::lock_guard<std::mutex> Guard(ProblemLock);
    if (CacheProblem.empty())
      CacheProblem = Problem;
  }
  FileOutcome Out;
  Out.Findings = std::move(Found.Findings);
  Out.ConfigProblems = std::move(Found.ConfigProblems);
  Out.ParseFailed = Found.ParseFailed;
  return Out;
}

FileCost FileAnalyser::cost(const std::string &File) const {
  FileCost Cost;
  if (Cache)
    Cost.RecordedMicros = Cache->recordedCost(File);
  llvm::sys::fs::file_status Status;
  if (!llvm::sys::fs::status(File, Status))
    Cost.Bytes = Status.getSize();
  return Cost;
}

std::string FileAnalyser::cacheProblem() const {
  std::lock_guard<std::mutex> Guard(ProblemLock);
  return CacheProblem;
}

std::vector<FileOutcome> analyseAll(FileAnalyser &Analyser,
                                    const std::vector<std::string> &Files,
                                    unsigned Jobs, bool Progress) {
  std::vector<FileOutcome> Outcomes(Files.size());
  std::mutex ProgressLock;
  size_t Done = 0;
  auto Run = [&](size_t I) {
    Outcomes[I] = Analyser.analyse(Files[I]);
    if (!Progress)
      return;
    std::lock_guard<std::mutex> Guard(ProgressLock);
    ++Done;
    llvm::errs() << "\r\x1b[K[" << Done << "/" << Files.size() << "] "
                 << displayPath(Files[I]);
    if (Done == Files.size())
      llvm::errs() << "\r\x1b[K";
  };
  Jobs = std::max(1u, std::min<unsigned>(Jobs, Files.size()));
  if (Jobs == 1) {
    for (size_t I = 0; I < Files.size(); ++I)
      Run(I);
    return Outcomes;
  }
  std::vector<FileCost> Costs;
  for (const std::string &File : Files)
    Costs.push_back(Analyser.cost(File));
  // The pool runs its tasks in the order they are queued.
  llvm::StdThreadPool Pool(llvm::hardware_concurrency(Jobs));
  for (size_t I : longestFirst(Costs))
    Pool.async([&Run, I] { Run(I); });
  Pool.wait();
  return Outcomes;
}

} // namespace corotidy::driver
