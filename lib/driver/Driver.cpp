//===--- Driver.cpp - the pipeline: inputs, analysis, findings, outputs ----===//
//
// runChecks composes four stages, each a unit of its own:
//   1. inputs    (Inputs.h)   which files, how each is compiled, the shard
//   2. analysis  (Analysis.h) per file: cache, crash isolation, the checks
//   3. findings  (Findings.h, Baseline.h) dedupe, fingerprints, baseline
//   4. outputs   (Outputs.h, Fixes.h) report, export, fixes, summary, exit
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "Analysis.h"
#include "AtomicFile.h"
#include "Baseline.h"
#include "Outputs.h"
#include "Paths.h"
#include "Session.h"
#include "TidyCompat.h"

#include "AsyncModule.h"

#include "ModuleRegistry.h"
#include "clang-tidy/GlobList.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::tidy;

// The binary registers only this project's module.
static ClangTidyModuleRegistry::Add<corotidy::checks::AsyncModule>
    AsyncModuleRegistration(corotidy::checks::AsyncModuleName,
                            corotidy::checks::AsyncModuleDescription);

namespace corotidy::driver {

namespace {

std::string &resourceDirOverride() {
  static std::string Dir;
  return Dir;
}

std::string &executablePath() {
  static std::string Path;
  return Path;
}

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "corotidy");
}

llvm::raw_ostream &warning() {
  return llvm::WithColor::warning(llvm::errs(), "corotidy");
}

} // namespace

std::string versionString() {
  return "corotidy " COROTIDY_VERSION " (LLVM " LLVM_VERSION_STRING ")";
}

void initialiseEnvironment(const char *Argv0) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  executablePath() = Exe;
  llvm::SmallString<256> Prefix(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(Exe)));
  if (std::optional<std::string> Dir =
          llvm::sys::Process::GetEnv("COROTIDY_RULES_DIR")) {
    setRulesDirectory(*Dir);
  } else {
    llvm::SmallString<256> Rules(Prefix);
    llvm::sys::path::append(Rules, "share", "corotidy", "rules");
    if (llvm::sys::fs::is_directory(Rules))
      setRulesDirectory(std::string(Rules));
  }
  if (std::optional<std::string> Dir =
          llvm::sys::Process::GetEnv("COROTIDY_RESOURCE_DIR")) {
    resourceDirOverride() = *Dir;
    return;
  }
  // The directory found at configure time; else one shipped beside us.
  if (!llvm::sys::fs::is_directory(COROTIDY_CLANG_RESOURCE_DIR)) {
    llvm::SmallString<256> Local(Prefix);
    llvm::sys::path::append(Local, "lib", "clang",
                            std::to_string(LLVM_VERSION_MAJOR));
    if (llvm::sys::fs::is_directory(Local))
      resourceDirOverride() = std::string(Local);
  }
}

std::string resourceDirectory() {
  return resourceDirOverride().empty() ? COROTIDY_CLANG_RESOURCE_DIR
                                       : resourceDirOverride();
}

namespace {

ConfigOverrides withCompilerArgs(ConfigOverrides Overrides) {
  Overrides.ExtraArgsBefore.insert(Overrides.ExtraArgsBefore.begin(),
                                   "-resource-dir=" + resourceDirectory());
  // Without carets clang does not print "N warnings generated.". Before the
  // command, not after it: interpolated commands end in "-- <file>".
  Overrides.ExtraArgsBefore.push_back("-fno-caret-diagnostics");
  return Overrides;
}

std::unique_ptr<Session> openSession(const DriverOptions &Options) {
  return Session::open(withCompilerArgs(Options.Overrides), Options.ConfigFile);
}

std::vector<output::CheckInfo> checkInfos(const RuleSet &Rules) {
  std::vector<output::CheckInfo> Infos;
  for (const std::string &Name : registeredCheckNames()) {
    output::CheckInfo Info;
    Info.Id = Name;
    if (const CheckMetadata *Meta = Rules.check(Info.Id)) {
      Info.Summary = Meta->Summary;
      Info.HelpUri = "https://corotidy.dev/" + Meta->Doc;
      Info.DefaultLevel =
          output::parseSeverity(Meta->Severity).value_or(output::Severity::Warning);
    }
    Infos.push_back(std::move(Info));
  }
  return Infos;
}

std::shared_ptr<const RuleSet> loadBuiltinRules() {
  auto Rules = builtinRules();
  if (!Rules) {
    error() << llvm::toString(Rules.takeError()) << "\n";
    return nullptr;
  }
  return *Rules;
}

/// What every file's cached result depends on besides its own inputs: this
/// binary (its checks), the rules it reads, and the working directory (the
/// paths findings show are relative to it).
std::string runIdentity(const RuleSet &Rules) {
  ContentHashes Hashes;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  return hashParts({versionString(), Hashes.of(executablePath()),
                    serializeRules(Rules), std::string(Cwd)});
}

std::unique_ptr<ResultCache> openCache(const DriverOptions &Options) {
  if (Options.NoCache)
    return nullptr;
  return std::make_unique<ResultCache>(
      absolutePath(Options.CacheDir.empty() ? ".corotidy-cache" : Options.CacheDir, ""));
}

unsigned jobsFor(const DriverOptions &Options) {
  return Options.Jobs ? Options.Jobs
                      : llvm::heavyweight_hardware_concurrency().compute_thread_count();
}

/// Stage 3: every file's findings as one report, deduplicated and
/// fingerprinted; the tally of what the files gave.
output::Report collectFindings(const std::vector<std::string> &Files,
                               std::vector<FileOutcome> &Outcomes,
                               const RuleSet &Rules, RunTally &Tally) {
  std::vector<std::vector<output::Finding>> PerFile;
  for (size_t I = 0; I < Files.size(); ++I) {
    FileOutcome &O = Outcomes[I];
    for (const std::string &Problem : O.ConfigProblems)
      error() << Problem << "\n";
    Tally.UsageProblem |= !O.ConfigProblems.empty();
    if (O.ParseFailed)
      Tally.Unparsed.push_back(displayPath(Files[I]));
    if (O.Crashed)
      Tally.Crashed.push_back(displayPath(Files[I]));
    Tally.FromCache += O.FromCache;
    PerFile.push_back(std::move(O.Findings));
  }
  output::Report Out;
  Out.ToolVersion = versionString();
  Out.Checks = checkInfos(Rules);
  Out.Findings = dedupe(PerFile);
  assignFingerprints(Out.Findings);
  return Out;
}

/// What a run looked for, for a baseline entry that has no finding now: its
/// file was one of the inputs, analysed whole, with the entry's check on.
struct RunCoverage {
  std::map<std::string, std::string> Analysed; ///< display path -> absolute
  Session &S;
  bool covers(llvm::StringRef File, llvm::StringRef Check) const {
    auto It = Analysed.find(File.str());
    return It != Analysed.end() &&
           CachedGlobList(S.optionsFor(It->second).Checks.value_or("")).contains(Check);
  }
};

/// --baseline: marks each finding New or Unchanged and adds the entries no
/// longer found as Absent. False on a bad file.
bool applyBaseline(llvm::StringRef Path, output::Report &Out,
                   const RunCoverage &Coverage, RunTally &Tally) {
  if (Path.empty())
    return true;
  llvm::Expected<Baseline> Known = readBaseline(Path);
  if (!Known) {
    error() << llvm::toString(Known.takeError()) << "\n";
    return false;
  }
  Tally.Baselined = markBaselined(Out.Findings, *Known);
  std::vector<output::Finding> Absent = absentFindings(
      *Known, Out.Findings,
      [&](llvm::StringRef File, llvm::StringRef Check) { return Coverage.covers(File, Check); });
  Tally.Absent = Absent.size();
  llvm::append_range(Out.Findings, std::move(Absent));
  return true;
}

RunCoverage coverageOf(const std::vector<std::string> &Files, const RunTally &Tally,
                       Session &S) {
  RunCoverage Coverage{{}, S};
  for (const std::string &File : Files)
    Coverage.Analysed[displayPath(File)] = File;
  // A file that did not parse or crashed may have lost findings.
  for (const std::vector<std::string> *Incomplete : {&Tally.Unparsed, &Tally.Crashed})
    for (const std::string &File : *Incomplete)
      Coverage.Analysed.erase(File);
  return Coverage;
}

void countFindings(const output::Report &Out, output::Severity FailOn,
                   RunTally &Tally) {
  for (const output::Finding &F : Out.Findings) {
    if (F.IsCompilerError() || F.Check == InternalErrorCheck || F.IsBaselined())
      continue;
    ++Tally.Findings;
    Tally.Failing += F.Level >= FailOn;
  }
}

/// Stage 4: fixes, the report, the fixes export and the baseline file,
/// then the summary on stderr.
void writeOutputs(const DriverOptions &Options, const std::vector<std::string> &Files,
                  output::Report &Out, RunTally &Tally, const FileAnalyser &Analyser) {
  FixSummary Fixed;
  if (Options.Fix) {
    Fixed = applyFixes(Out.Findings);
    for (const std::string &Problem : Fixed.Problems)
      warning() << Problem << "\n";
    Tally.UsageProblem |= Fixed.WriteFailed;
  }
  output::Report Shown = Out;
  Shown.Findings = shownFindings(Out.Findings, Fixed, Options.Fix && Options.Quiet,
                                 /*WithBaselined=*/Options.Format == output::Format::Sarif);
  Tally.UsageProblem |= !writeReport(Shown, Options.Format, Options.OutputFile, Options.Color);
  if (!Options.ExportFixes.empty())
    Tally.UsageProblem |= !exportFixes(Options.ExportFixes,
                                             Files.empty() ? "" : Files.front(),
                                             Out.Findings);
  if (!Options.WriteBaselineFile.empty()) {
    if (llvm::Error Err = writeBaseline(Options.WriteBaselineFile, Out.Findings,
                                        versionString())) {
      error() << Options.WriteBaselineFile << ": " << llvm::toString(std::move(Err)) << "\n";
      Tally.UsageProblem = true;
    }
    Tally.Failing = 0; // recorded, not failed
  }

  if (std::string Note = droppedArgsNote(Analyser.droppedFlags());
      !Note.empty() && !Options.Quiet)
    llvm::errs() << "corotidy: " << Note << "\n";
  if (std::string Problem = Analyser.cacheProblem(); !Problem.empty())
    warning() << "the result cache could not be written: " << Problem << "\n";
  if (Options.Fix && !Options.Quiet)
    for (const auto &[Path, Count] : Fixed.Written)
      llvm::errs() << "corotidy: fixed " << Count
                   << (Count == 1 ? " finding in " : " findings in ")
                   << displayPath(Path) << "\n";
  if (!Options.Quiet || Options.Fix)
    llvm::errs() << summaryLine(Tally, Options.Fix ? &Fixed : nullptr) << "\n";
  for (const std::string &File : Tally.Unparsed)
    error() << File << " did not parse; its findings may be incomplete\n";
  for (const std::string &File : Tally.Crashed)
    error() << File << ": corotidy crashed while analysing it (see the "
            << InternalErrorCheck << " finding)\n";
}

} // namespace

int runChecks(const DriverOptions &Options) {
  // 1. Inputs.
  std::shared_ptr<const RuleSet> Rules = loadBuiltinRules();
  std::unique_ptr<CompileCommands> Commands =
      Rules ? CompileCommands::open(Options.FixedArgs, Options.BuildPath) : nullptr;
  std::optional<InputSet> Inputs =
      Commands ? collectInputs(Options.Files, *Commands, Options.ShardPart) : std::nullopt;
  std::unique_ptr<Session> S = Inputs ? openSession(Options) : nullptr;
  if (!S || !S->validate(Inputs->Files))
    return ExitUsage;
  RunTally Tally;
  Tally.Files = Inputs->Files.size();
  Tally.UsageProblem = Inputs->Problems;

  // 2. Per-file analysis.
  std::unique_ptr<ResultCache> Cache = openCache(Options);
  FileAnalyser Analyser(*S, *Commands, Rules, Cache.get(), runIdentity(*Rules),
                        Options.EnableCheckProfile);
  bool Progress = Options.ShowProgress && !Options.Quiet && Inputs->Files.size() > 1 &&
                  llvm::sys::Process::StandardErrIsDisplayed();
  std::vector<FileOutcome> Outcomes =
      analyseAll(Analyser, Inputs->Files, jobsFor(Options), Progress);

  // 3. Findings.
  output::Report Out = collectFindings(Inputs->Files, Outcomes, *Rules, Tally);
  if (!applyBaseline(Options.BaselineFile, Out, coverageOf(Inputs->Files, Tally, *S), Tally))
    return ExitUsage;
  countFindings(Out, Options.FailOn, Tally);

  // 4. Outputs.
  writeOutputs(Options, Inputs->Files, Out, Tally, Analyser);
  return exitCodeOf(Tally);
}

int mergeSarifFiles(const std::vector<std::string> &Logs, llvm::StringRef OutputFile) {
  std::vector<std::pair<std::string, std::string>> Named;
  for (const std::string &Path : Logs) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      error() << Path << ": " << Buffer.getError().message() << "\n";
      return ExitUsage;
    }
    Named.emplace_back(Path, (*Buffer)->getBuffer().str());
  }
  llvm::Expected<llvm::json::Value> Merged = output::mergeSarif(Named);
  if (!Merged) {
    error() << llvm::toString(Merged.takeError()) << "\n";
    return ExitUsage;
  }
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::formatv("{0:2}", *Merged) << "\n";
  if (OutputFile.empty()) {
    llvm::outs() << Text;
    return ExitClean;
  }
  if (llvm::Error Err = writeFileAtomically(OutputFile, Text)) {
    error() << OutputFile << ": " << llvm::toString(std::move(Err)) << "\n";
    return ExitUsage;
  }
  return ExitClean;
}

int listChecks(const DriverOptions &Options) {
  std::shared_ptr<const RuleSet> Rules = loadBuiltinRules();
  std::unique_ptr<Session> S = Rules ? openSession(Options) : nullptr;
  llvm::SmallString<256> Probe;
  llvm::sys::fs::current_path(Probe);
  llvm::sys::path::append(Probe, "input.cpp");
  if (!S || !S->validate({std::string(Probe)}))
    return ExitUsage;
  llvm::outs() << "Enabled checks:\n";
  for (const std::string &Name : compat::enabledChecks(S->optionsFor(Probe))) {
    llvm::outs() << "    " << Name;
    if (const CheckMetadata *Meta = Rules->check(Name))
      llvm::outs() << " - " << Meta->Summary;
    llvm::outs() << "\n";
  }
  return ExitClean;
}

int explainCheck(llvm::StringRef Check) {
  std::shared_ptr<const RuleSet> Rules = loadBuiltinRules();
  if (!Rules)
    return ExitUsage;
  const CheckMetadata *Meta = Rules->check(Check);
  if (!Meta || !isRegisteredCheck(Check)) {
    error() << "--explain: unknown check '" << Check << "' (see --list-checks)\n";
    return ExitUsage;
  }
  llvm::outs() << Meta->Id << " (" << Meta->Severity << "): " << Meta->Summary
               << "\n\n"
               << Meta->Explanation << "\nDocumentation: " << Meta->Doc << "\n";
  return ExitClean;
}

int dumpEffectiveConfig(const DriverOptions &Options) {
  std::unique_ptr<Session> S = openSession(Options);
  llvm::SmallString<256> File;
  if (!Options.Files.empty()) {
    File = absolutePath(Options.Files.front(), "");
  } else {
    llvm::sys::fs::current_path(File);
    llvm::sys::path::append(File, "input.cpp");
  }
  if (!S || !S->validate({std::string(File)}))
    return ExitUsage;
  ClangTidyOptions Effective = S->optionsFor(File);
  // Every option of every enabled check, with its default where unset.
  ClangTidyOptions::OptionMap All = compat::checkOptions(Effective);
  for (const auto &Entry : Effective.CheckOptions)
    All[Entry.getKey()] = Entry.getValue();
  Effective.CheckOptions = std::move(All);
  Effective.ExtraArgs.reset();
  Effective.ExtraArgsBefore.reset();
  llvm::outs() << dumpConfig(Effective);
  return ExitClean;
}

} // namespace corotidy::driver
