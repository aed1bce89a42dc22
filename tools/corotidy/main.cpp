//===--- main.cpp - the corotidy command line -------------------------------===//

#include "CompileArgs.h"
#include "Driver.h"
#include "InferRulesCommand.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace corotidy::driver;

namespace {

cl::OptionCategory Category("corotidy options");

const char Overview[] = R"(corotidy: find async anti-patterns in C++20 coroutine code.

  corotidy [options] <files...> [-- <compiler args>]

Checks (default -*,async-*): async-sequential-await, async-blocking-call,
async-unawaited-task, async-dropped-exception, async-unbounded-fanout,
async-lock-across-await, async-per-call-connection.
Configuration: .corotidy.yaml or .clang-tidy, found by walking up from each
file, or --config-file. NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/END work.

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage,
configuration or compile-database error; 3 a file did not parse or its
analysis crashed.
)";

cl::list<std::string> Files(cl::Positional, cl::desc("<files>"), cl::cat(Category));
cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json"),
                               cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> Checks("checks", cl::desc("Globs of checks to run, e.g. -*,async-blocking-call"),
                            cl::cat(Category));
cl::opt<std::string> ConfigFile("config-file", cl::desc("Read configuration from this file only"),
                                cl::value_desc("path"), cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply fix-its to the files"), cl::cat(Category));
cl::opt<std::string> ExportFixes("export-fixes",
                                 cl::desc("Write fixes as YAML for clang-apply-replacements"),
                                 cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> Format("format", cl::desc("Output: text, json, sarif, github or codeclimate (GitLab code quality)"),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> Output("output", cl::desc("Write the report to this file"),
                            cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Files analysed in parallel: -j4, -j 4; -j alone uses every core"),
                       cl::init(1), cl::value_desc("N"), cl::cat(Category));
cl::opt<std::string> FailOn("fail-on", cl::desc("Lowest severity that makes the exit code 1: note, warning or error"),
                            cl::init("warning"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks and exit"), cl::cat(Category));
cl::opt<std::string> Explain("explain", cl::desc("Explain a check and exit"),
                             cl::value_desc("check"), cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config", cl::desc("Print the effective configuration and exit"),
                         cl::cat(Category));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors", cl::desc("Globs of checks whose findings are errors"),
                                      cl::cat(Category));
cl::opt<std::string> HeaderFilter("header-filter", cl::desc("Regex of headers to report findings in"),
                                  cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Extra compiler argument (appended)"),
                                cl::cat(Category));
cl::list<std::string> ExtraArgsBefore("extra-arg-before", cl::desc("Extra compiler argument (prepended)"),
                                      cl::cat(Category));
cl::opt<cl::boolOrDefault> Color("use-color", cl::desc("Colour the text output (default: when a terminal)"),
                                 cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary or progress on stderr"), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Keep each file's results here (default .corotidy-cache)"),
                              cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> NoCache("no-cache", cl::desc("Neither read nor write the result cache"),
                      cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not in this baseline"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record the current findings as the baseline"),
                                   cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ShardOption("shard", cl::desc("Analyse the Kth of N parts of the files"),
                                 cl::value_desc("K/N"), cl::cat(Category));
cl::opt<bool> MergeSarif("merge-sarif",
                         cl::desc("Merge the SARIF logs given as files into one (--output)"),
                         cl::cat(Category));
cl::opt<bool> InferRules("infer-rules",
                         cl::desc("Print the framework vocabulary recognised by shape in the files, as a .corotidy.yaml Rules: fragment"),
                         cl::cat(Category));
cl::opt<bool> EnableCheckProfile("enable-check-profile",
                                 cl::desc("Print the time each check spends, per file, on stderr"),
                                 cl::cat(Category));

/// make's forms of -j, which llvm::cl does not read as one option: "-j4"
/// and "-j 4" become "-j=4"; "-j" with no number becomes "-j=0" (every core).
std::vector<const char *> normaliseJobs(int argc, const char **argv,
                                        std::vector<std::string> &Storage) {
  auto IsNumber = [](StringRef S) {
    return !S.empty() && llvm::all_of(S, llvm::isDigit);
  };
  Storage.reserve(argc);
  std::vector<const char *> Out;
  for (int I = 0; I < argc; ++I) {
    StringRef Arg = argv[I];
    if (I == 0 || !Arg.starts_with("-j") || Arg.starts_with("-j=")) {
      Out.push_back(argv[I]);
      continue;
    }
    StringRef Count = Arg.drop_front(2);
    if (Count.empty() && I + 1 < argc && IsNumber(argv[I + 1]))
      Count = argv[++I];
    else if (!Count.empty() && !IsNumber(Count)) {
      Out.push_back(argv[I]); // not ours: let llvm::cl report it
      continue;
    }
    Storage.push_back("-j=" + (Count.empty() ? std::string("0") : Count.str()));
    Out.push_back(Storage.back().c_str());
  }
  return Out;
}

/// The flags after "--" (argc is cut there). clang's driver reads them to
/// drop input files and report bad flags; GCC-only flags are set aside from
/// that read and kept, for the analysis to drop and name once per run.
bool readFixedArgs(int &argc, const char **argv,
                   std::optional<std::vector<std::string>> &FixedArgs) {
  const char **DashDash = std::find(argv, argv + argc, StringRef("--"));
  if (DashDash == argv + argc)
    return true;
  std::vector<const char *> Supported(argv, DashDash + 1);
  std::vector<std::string> GccOnly;
  for (const char **Arg = DashDash + 1; Arg != argv + argc; ++Arg)
    if (isUnsupportedByClang(*Arg))
      GccOnly.push_back(*Arg);
    else
      Supported.push_back(*Arg);
  int SupportedCount = Supported.size();
  std::string Error;
  std::unique_ptr<clang::tooling::FixedCompilationDatabase> Fixed =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(
          SupportedCount, Supported.data(), Error);
  argc = DashDash - argv;
  if (!Error.empty()) {
    WithColor::error(errs(), "corotidy") << Error << "\n";
    return false;
  }
  // The fixed database's command is "clang-tool <args> <file>": keep <args>.
  std::vector<std::string> Args;
  if (Fixed) {
    auto Commands = Fixed->getCompileCommands("input.cpp");
    if (!Commands.empty()) {
      const auto &Line = Commands.front().CommandLine;
      for (size_t I = 1; I + 1 < Line.size(); ++I)
        Args.push_back(Line[I]);
    }
  }
  Args.insert(Args.end(), GccOnly.begin(), GccOnly.end());
  FixedArgs = std::move(Args);
  return true;
}

} // namespace

int main(int argc, const char **argv) {
  InitLLVM Init(argc, argv);
  initialiseEnvironment(argv[0]);

  // Everything after "--" is the compile command for every file.
  std::optional<std::vector<std::string>> FixedArgs;
  if (!readFixedArgs(argc, argv, FixedArgs))
    return ExitUsage;

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) { OS << versionString() << "\n"; });
  std::vector<std::string> JobsStorage;
  std::vector<const char *> Args = normaliseJobs(argc, argv, JobsStorage);
  if (!cl::ParseCommandLineOptions(Args.size(), Args.data(), Overview, &errs()))
    return ExitUsage;

  DriverOptions Options;
  Options.Files.assign(Files.begin(), Files.end());
  Options.BuildPath = BuildPath;
  Options.FixedArgs = std::move(FixedArgs);
  if (Checks.getNumOccurrences())
    Options.Overrides.Checks = Checks;
  if (WarningsAsErrors.getNumOccurrences())
    Options.Overrides.WarningsAsErrors = WarningsAsErrors;
  if (HeaderFilter.getNumOccurrences())
    Options.Overrides.HeaderFilter = HeaderFilter;
  Options.Overrides.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Options.Overrides.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Options.ConfigFile = ConfigFile;
  Options.Fix = Fix;
  Options.ExportFixes = ExportFixes;
  Options.OutputFile = Output;
  Options.Jobs = Jobs;
  Options.Quiet = Quiet;
  Options.EnableCheckProfile = EnableCheckProfile;
  Options.CacheDir = CacheDir;
  Options.NoCache = NoCache;
  Options.BaselineFile = BaselineFile;
  Options.WriteBaselineFile = WriteBaseline;
  if (ShardOption.getNumOccurrences()) {
    Options.ShardPart = parseShard(ShardOption);
    if (!Options.ShardPart) {
      WithColor::error(errs(), "corotidy")
          << "--shard: expected K/N with 1 <= K <= N, not '" << ShardOption << "'\n";
      return ExitUsage;
    }
  }
  if (Color != cl::BOU_UNSET)
    Options.Color = Color == cl::BOU_TRUE;

  auto ParsedFormat = corotidy::output::parseFormat(Format);
  if (!ParsedFormat) {
    WithColor::error(errs(), "corotidy")
        << "--format: expected text, json, sarif, github or codeclimate, not '" << Format << "'\n";
    return ExitUsage;
  }
  Options.Format = *ParsedFormat;
  auto ParsedFailOn = corotidy::output::parseSeverity(FailOn);
  if (!ParsedFailOn) {
    WithColor::error(errs(), "corotidy")
        << "--fail-on: expected note, warning or error, not '" << FailOn << "'\n";
    return ExitUsage;
  }
  Options.FailOn = *ParsedFailOn;

  if (MergeSarif)
    return mergeSarifFiles(Options.Files, Options.OutputFile);
  if (!Explain.empty())
    return explainCheck(Explain);
  if (ListChecks)
    return listChecks(Options);
  if (DumpConfig)
    return dumpEffectiveConfig(Options);
  if (InferRules)
    return inferRulesCommand(Options);
  return runChecks(Options);
}
