//===--- Driver.cpp - run the async checks over files and report -----------===//

#include "Driver.h"

#include "CompileArgs.h"
#include "Fixes.h"
#include "ScopedRun.h"
#include "TidyCompat.h"

#include "AsyncModule.h"
#include "CoroutineModel.h"

#include "ModuleRegistry.h"
#include "clang-tidy/GlobList.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <mutex>

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

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "corotidy");
}

llvm::raw_ostream &warning() {
  return llvm::WithColor::warning(llvm::errs(), "corotidy");
}

/// Every check this binary registers (only the async module).
const llvm::StringSet<> &registeredChecks() {
  static const llvm::StringSet<> Names = [] {
    llvm::StringSet<> Names;
    ClangTidyCheckFactories Factories;
    for (const auto &Entry : ClangTidyModuleRegistry::entries())
      Entry.instantiate()->addCheckFactories(Factories);
    for (const auto &Factory : Factories)
      Names.insert(Factory.getKey());
    return Names;
  }();
  return Names;
}

/// A name in a checks list that names no check: "async-typo" (globs with
/// wildcards are fine, and so are the library's families we switch off).
std::vector<std::string> unknownCheckNames(llvm::StringRef Checks) {
  std::vector<std::string> Unknown;
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef Glob : Globs) {
    Glob = Glob.trim();
    Glob.consume_front("-");
    Glob = Glob.trim();
    if (Glob.empty() || Glob.find_first_of("*?") != llvm::StringRef::npos ||
        Glob.starts_with("clang-analyzer-") ||
        Glob.starts_with("clang-diagnostic-"))
      continue;
    if (!registeredChecks().contains(Glob))
      Unknown.push_back(Glob.str());
  }
  return Unknown;
}

/// A thread-safe view of one shared provider (FileOptionsProvider caches).
class SharedProvider : public ClangTidyOptionsProvider {
public:
  SharedProvider(ClangTidyOptionsProvider &Inner, std::mutex &Lock)
      : Inner(Inner), Lock(Lock) {}
  const ClangTidyGlobalOptions &getGlobalOptions() override {
    return Inner.getGlobalOptions();
  }
  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::lock_guard<std::mutex> Guard(Lock);
    return Inner.getRawOptions(FileName);
  }

private:
  ClangTidyOptionsProvider &Inner;
  std::mutex &Lock;
};

/// File contents and line starts, to turn offsets into lines and columns.
class SourceCache {
public:
  struct File {
    std::string Text;
    std::vector<unsigned> LineStarts;
  };

  const File *get(llvm::StringRef Path) {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Files.find(Path.str());
    if (It != Files.end())
      return It->second.get();
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    std::unique_ptr<File> F;
    if (Buffer) {
      F = std::make_unique<File>();
      F->Text = (*Buffer)->getBuffer().str();
      F->LineStarts.push_back(0);
      for (unsigned I = 0; I < F->Text.size(); ++I)
        if (F->Text[I] == '\n')
          F->LineStarts.push_back(I + 1);
    }
    return (Files[Path.str()] = std::move(F)).get();
  }

  output::Position position(const File *F, unsigned Offset) {
    if (!F)
      return {};
    auto It = std::upper_bound(F->LineStarts.begin(), F->LineStarts.end(), Offset);
    unsigned Line = It - F->LineStarts.begin();
    return {Line, Offset - F->LineStarts[Line - 1] + 1};
  }

  std::string lineText(const File *F, unsigned Line) {
    if (!F || Line == 0 || Line > F->LineStarts.size())
      return "";
    unsigned Begin = F->LineStarts[Line - 1];
    unsigned End = Line < F->LineStarts.size() ? F->LineStarts[Line] - 1
                                               : F->Text.size();
    std::string Text = F->Text.substr(Begin, End - Begin);
    if (!Text.empty() && Text.back() == '\r')
      Text.pop_back();
    return Text;
  }

private:
  std::mutex Lock;
  std::map<std::string, std::unique_ptr<File>> Files;
};

std::string absolutePath(llvm::StringRef Path, llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Abs;
  if (llvm::sys::path::is_absolute(Path))
    Abs = Path;
  else if (!BuildDirectory.empty()) {
    Abs = BuildDirectory;
    llvm::sys::path::append(Abs, Path);
  } else {
    Abs = Path;
    llvm::sys::fs::make_absolute(Abs);
  }
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

/// How a path is shown: relative to the working directory when inside it.
std::string displayPath(llvm::StringRef Abs) {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return Abs.str();
  llvm::StringRef Rel = Abs;
  if (Rel.consume_front(Cwd) && Rel.consume_front("/"))
    return Rel.str();
  return Abs.str();
}

output::Location locate(SourceCache &Sources,
                        const tooling::DiagnosticMessage &M,
                        llvm::StringRef BuildDirectory) {
  output::Location L;
  if (M.FilePath.empty())
    return L;
  std::string Abs = absolutePath(M.FilePath, BuildDirectory);
  L.File = displayPath(Abs);
  const SourceCache::File *F = Sources.get(Abs);
  L.Begin = Sources.position(F, M.FileOffset);
  L.End = L.Begin;
  for (const tooling::FileByteRange &R : M.Ranges)
    if (R.FileOffset == M.FileOffset && R.FilePath == M.FilePath) {
      L.End = Sources.position(F, R.FileOffset + R.Length);
      break;
    }
  L.SourceLine = Sources.lineText(F, L.Begin.Line);
  return L;
}

/// Per-check severity: the rules' default, the <check>.Severity option, and
/// WarningsAsErrors.
output::Severity severityOf(const ClangTidyError &E,
                            const ClangTidyOptions &Options,
                            const RuleSet &Rules) {
  if (E.DiagLevel == ClangTidyError::Error || E.IsWarningAsError)
    return output::Severity::Error;
  std::string Level = "warning";
  if (const CheckMetadata *Meta = Rules.check(E.DiagnosticName))
    Level = Meta->Severity;
  auto It = Options.CheckOptions.find(E.DiagnosticName + ".Severity");
  if (It != Options.CheckOptions.end())
    Level = It->getValue().Value;
  return output::parseSeverity(Level).value_or(output::Severity::Warning);
}

output::Finding toFinding(const ClangTidyError &E, SourceCache &Sources,
                          const ClangTidyOptions &Options, const RuleSet &Rules) {
  output::Finding F;
  F.Check = E.DiagnosticName;
  F.Level = severityOf(E, Options, Rules);
  F.Where = locate(Sources, E.Message, E.BuildDirectory);
  F.Message = E.Message.Message;
  for (const tooling::DiagnosticMessage &N : E.Notes)
    F.Notes.push_back({locate(Sources, N, E.BuildDirectory), N.Message});
  for (const auto &FileFix : E.Message.Fix) {
    for (const tooling::Replacement &R : FileFix.getValue()) {
      output::Replacement Rep;
      std::string Abs = absolutePath(R.getFilePath(), E.BuildDirectory);
      const SourceCache::File *Src = Sources.get(Abs);
      Rep.File = Abs;
      Rep.Offset = R.getOffset();
      Rep.Length = R.getLength();
      Rep.Begin = Sources.position(Src, R.getOffset());
      Rep.End = Sources.position(Src, R.getOffset() + R.getLength());
      Rep.Text = R.getReplacementText().str();
      F.Fixes.push_back(std::move(Rep));
    }
  }
  // Fix-it lines and SARIF want the displayed path; fixes keep absolute ones.
  for (output::Replacement &Rep : F.Fixes)
    if (displayPath(Rep.File) == F.Where.File)
      Rep.File = F.Where.File;
  return F;
}

/// One file's compile command source: -p, --, or auto-detected.
struct CompileCommands {
  std::unique_ptr<tooling::CompilationDatabase> Shared;
  std::mutex Lock;
  std::map<std::string, std::shared_ptr<tooling::CompilationDatabase>> Detected;
  bool WarnedFallback = false;

  std::shared_ptr<tooling::CompilationDatabase> forFile(llvm::StringRef File) {
    if (Shared)
      return std::shared_ptr<tooling::CompilationDatabase>(
          std::shared_ptr<void>(), Shared.get());
    std::string Dir = llvm::sys::path::parent_path(File).str();
    std::lock_guard<std::mutex> Guard(Lock);
    auto &Entry = Detected[Dir];
    if (!Entry) {
      std::string Err;
      std::unique_ptr<tooling::CompilationDatabase> DB =
          tooling::CompilationDatabase::autoDetectFromDirectory(Dir, Err);
      if (!DB) {
        if (!WarnedFallback)
          warning() << "no compile_commands.json found above '"
                    << displayPath(File)
                    << "'; using -std=c++20 (pass -p <build dir> or "
                       "-- <compiler flags>)\n";
        WarnedFallback = true;
        DB = std::make_unique<tooling::FixedCompilationDatabase>(
            ".", std::vector<std::string>{"-std=c++20"});
      }
      Entry = std::move(DB);
    }
    return Entry;
  }
};

/// Why a path cannot be an input ("is a directory"), or nothing when it is
/// a readable regular file.
std::optional<std::string> unreadableInput(llvm::StringRef Path) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return EC == std::errc::no_such_file_or_directory
               ? std::string("no such file")
               : "cannot read: " + EC.message();
  switch (Status.type()) {
  case llvm::sys::fs::file_type::regular_file:
    break;
  case llvm::sys::fs::file_type::directory_file:
    return std::string("is a directory");
  default:
    return std::string("is not a regular file");
  }
  int FD;
  if (std::error_code EC = llvm::sys::fs::openFileForRead(Path, FD))
    return "cannot read: " + EC.message();
  llvm::sys::Process::SafelyCloseFileDescriptor(FD);
  return std::nullopt;
}

/// A diagnostic of the compiler, not of a check: clang-diagnostic-<name>.
bool isCompilerDiagnostic(const ClangTidyError &E) {
  return llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
}

struct FileResult {
  std::vector<ClangTidyError> Errors;
  bool ParseFailed = false;
};

} // namespace

std::string versionString() {
  return "corotidy " COROTIDY_VERSION " (LLVM " LLVM_VERSION_STRING ")";
}

void initialiseEnvironment(const char *Argv0) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
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

struct Session {
  ConfigErrors Errors;
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  std::mutex ProviderLock;

  std::unique_ptr<ClangTidyOptionsProvider> view() {
    return std::make_unique<SharedProvider>(*Provider, ProviderLock);
  }
  ClangTidyOptions optionsFor(llvm::StringRef File) {
    std::lock_guard<std::mutex> Guard(ProviderLock);
    return Provider->getOptions(File);
  }
};

/// Builds the options provider; prints and returns false on a config error.
bool openSession(Session &S, const DriverOptions &Options) {
  if (Options.Overrides.Checks) {
    std::vector<std::string> Unknown = unknownCheckNames(*Options.Overrides.Checks);
    if (!Unknown.empty()) {
      error() << "--checks: unknown check '" << Unknown.front()
              << "' (see --list-checks)\n";
      return false;
    }
  }
  auto Provider = makeOptionsProvider(withCompilerArgs(Options.Overrides),
                                      Options.ConfigFile, S.Errors);
  if (!Provider) {
    llvm::errs() << llvm::toString(Provider.takeError()) << "\n";
    return false;
  }
  S.Provider = std::move(*Provider);
  return true;
}

/// Reads every file's configuration up front: config errors stop the run
/// before any analysis (exit 2), instead of analysing with half a config.
bool validateConfigs(Session &S, llvm::ArrayRef<std::string> Files) {
  std::set<std::string> Reported;
  for (const std::string &File : Files) {
    ClangTidyOptions Opts = S.optionsFor(File);
    for (const std::string &Name : unknownCheckNames(Opts.Checks.value_or("")))
      if (Reported.insert(Name).second)
        S.Errors.add("unknown check '" + Name + "' in the configuration of '" +
                     displayPath(File) + "' (see --list-checks)");
    if (!S.Errors.empty())
      break;
  }
  std::vector<std::string> Messages = S.Errors.take();
  for (const std::string &M : Messages)
    error() << M << "\n";
  return Messages.empty();
}

std::vector<output::CheckInfo> checkInfos(const RuleSet &Rules) {
  std::vector<output::CheckInfo> Infos;
  for (const auto &Name : registeredChecks()) {
    output::CheckInfo Info;
    Info.Id = Name.getKey().str();
    if (const CheckMetadata *Meta = Rules.check(Info.Id)) {
      Info.Summary = Meta->Summary;
      Info.HelpUri = "https://corotidy.dev/" + Meta->Doc;
      Info.DefaultLevel =
          output::parseSeverity(Meta->Severity).value_or(output::Severity::Warning);
    }
    Infos.push_back(std::move(Info));
  }
  std::sort(Infos.begin(), Infos.end(),
            [](const auto &A, const auto &B) { return A.Id < B.Id; });
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

} // namespace

int runChecks(const DriverOptions &Options) {
  std::shared_ptr<const RuleSet> Rules = loadBuiltinRules();
  if (!Rules)
    return ExitUsage;

  CompileCommands Commands;
  if (Options.FixedArgs) {
    Commands.Shared = std::make_unique<tooling::FixedCompilationDatabase>(
        ".", *Options.FixedArgs);
  } else if (!Options.BuildPath.empty()) {
    std::string Err;
    Commands.Shared =
        tooling::CompilationDatabase::loadFromDirectory(Options.BuildPath, Err);
    if (!Commands.Shared) {
      error() << "-p " << Options.BuildPath
              << ": no compilation database: " << Err << "\n";
      return ExitUsage;
    }
  }

  std::vector<std::string> Files;
  bool MissingInput = false;
  std::vector<std::string> Requested = Options.Files;
  if (Requested.empty() && Commands.Shared)
    Requested = Commands.Shared->getAllFiles();
  if (Requested.empty()) {
    error() << "no input files (give files, or -p <build dir> to check every "
               "file of its compile_commands.json)\n";
    return ExitUsage;
  }
  for (const std::string &File : Requested) {
    std::string Abs = absolutePath(File, "");
    if (std::optional<std::string> Problem = unreadableInput(Abs)) {
      error() << File << ": " << *Problem << "\n";
      MissingInput = true;
      continue;
    }
    Files.push_back(Abs);
  }

  Session S;
  if (!openSession(S, Options) || !validateConfigs(S, Files))
    return ExitUsage;

  // Analyse each file on its own context so a failure stays with its file.
  std::vector<FileResult> Results(Files.size());
  UnsupportedArgsFilter GccFlags;
  auto Analyse = [&](size_t I) {
    std::unique_ptr<ClangTidyContext> Context = compat::makeContext(S.view());
    Context->setEnableProfiling(Options.EnableCheckProfile);
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
        llvm::vfs::getRealFileSystem());
    std::shared_ptr<tooling::CompilationDatabase> DB = Commands.forFile(Files[I]);
    Results[I].Errors =
        runOnUserCode(*Context, *DB, {Files[I]}, FS, GccFlags.adjuster());
    // Every compiler error belongs to its file, located or not ("too many
    // errors emitted" has no location); -Werror's keep their warning's name.
    for (const ClangTidyError &E : Results[I].Errors)
      if (E.DiagnosticName == "clang-diagnostic-error")
        Results[I].ParseFailed = true;
  };

  bool Progress = Options.ShowProgress && !Options.Quiet && Files.size() > 1 &&
                  llvm::sys::Process::StandardErrIsDisplayed();
  std::mutex ProgressLock;
  size_t Done = 0;
  auto Report = [&](size_t I) {
    if (!Progress)
      return;
    std::lock_guard<std::mutex> Guard(ProgressLock);
    ++Done;
    llvm::errs() << "\r\x1b[K[" << Done << "/" << Files.size() << "] "
                 << displayPath(Files[I]);
    if (Done == Files.size())
      llvm::errs() << "\r\x1b[K";
  };
  unsigned Jobs = Options.Jobs ? Options.Jobs
                               : llvm::heavyweight_hardware_concurrency().compute_thread_count();
  Jobs = std::max(1u, std::min<unsigned>(Jobs, Files.size()));
  if (Jobs == 1) {
    for (size_t I = 0; I < Files.size(); ++I) {
      Analyse(I);
      Report(I);
    }
  } else {
    llvm::StdThreadPool Pool(llvm::hardware_concurrency(Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] {
        Analyse(I);
        Report(I);
      });
    Pool.wait();
  }

  // Findings in input order; a header seen from several files reports once.
  SourceCache Sources;
  output::Report Out;
  Out.ToolVersion = versionString();
  Out.Checks = checkInfos(*Rules);
  std::vector<ClangTidyError> Exported;
  std::set<std::tuple<std::string, std::string, unsigned, std::string>> Seen;
  bool ConfigProblem = false;
  std::vector<std::string> Unparsed;
  for (size_t I = 0; I < Files.size(); ++I) {
    ClangTidyOptions FileOptions = S.optionsFor(Files[I]);
    if (Results[I].ParseFailed)
      Unparsed.push_back(displayPath(Files[I]));
    for (const ClangTidyError &E : Results[I].Errors) {
      if (E.Message.FilePath.empty() && !isCompilerDiagnostic(E)) {
        // A check could not read its configuration (no source location).
        error() << E.Message.Message << " [" << E.DiagnosticName << "]\n";
        ConfigProblem = true;
        continue;
      }
      std::string Where = E.Message.FilePath.empty()
                              ? Files[I]
                              : absolutePath(E.Message.FilePath, E.BuildDirectory);
      auto Key = std::make_tuple(E.DiagnosticName, Where, E.Message.FileOffset,
                                 E.Message.Message);
      if (!Seen.insert(Key).second)
        continue;
      Out.Findings.push_back(toFinding(E, Sources, FileOptions, *Rules));
      if (Out.Findings.back().Where.File.empty())
        Out.Findings.back().Where.File = displayPath(Files[I]);
      Exported.push_back(E);
    }
  }

  FixSummary Fixed;
  if (Options.Fix) {
    Fixed = applyFixes(Out.Findings);
    for (const std::string &Problem : Fixed.Problems)
      warning() << Problem << "\n";
  }
  // Failing counts every finding; --quiet --fix reports only those left.
  size_t Failing = 0, CheckFindings = 0;
  for (const output::Finding &F : Out.Findings) {
    if (F.IsCompilerError())
      continue;
    ++CheckFindings;
    if (F.Level >= Options.FailOn)
      ++Failing;
  }
  output::Report Shown = Out;
  if (Options.Fix && Options.Quiet) {
    Shown.Findings.clear();
    for (size_t I = 0; I < Out.Findings.size(); ++I)
      if (!Fixed.Fixed[I])
        Shown.Findings.push_back(Out.Findings[I]);
  }

  // Output.
  {
    std::error_code EC;
    std::unique_ptr<llvm::raw_fd_ostream> File;
    if (!Options.OutputFile.empty()) {
      File = std::make_unique<llvm::raw_fd_ostream>(Options.OutputFile, EC);
      if (EC) {
        error() << Options.OutputFile << ": " << EC.message() << "\n";
        return ExitUsage;
      }
    }
    llvm::raw_ostream &OS = File ? *File : llvm::outs();
    output::TextOptions Text;
    Text.Color = Options.Color.value_or(!File && OS.has_colors());
    output::render(Options.Format, Shown, OS, Text);
    OS.flush();
  }

  if (!Options.ExportFixes.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Options.ExportFixes, EC);
    if (EC) {
      error() << Options.ExportFixes << ": " << EC.message() << "\n";
      return ExitUsage;
    }
    exportReplacements(Files.empty() ? "" : Files.front(), Exported, OS);
  }

  if (std::string Note = droppedArgsNote(GccFlags.dropped());
      !Note.empty() && !Options.Quiet)
    llvm::errs() << "corotidy: " << Note << "\n";
  if (Options.Fix && !Options.Quiet)
    for (const auto &[Path, Count] : Fixed.Written)
      llvm::errs() << "corotidy: fixed " << Count
                   << (Count == 1 ? " finding in " : " findings in ")
                   << displayPath(Path) << "\n";
  if (!Options.Quiet || Options.Fix) {
    llvm::errs() << "corotidy: " << CheckFindings
                 << (CheckFindings == 1 ? " finding" : " findings") << " in "
                 << Files.size() << (Files.size() == 1 ? " file" : " files");
    if (Options.Fix)
      llvm::errs() << "; applied " << Fixed.Applied << " fix"
                   << (Fixed.Applied == 1 ? "" : "es") << " in "
                   << Fixed.FilesWritten << " file"
                   << (Fixed.FilesWritten == 1 ? "" : "s") << "; "
                   << CheckFindings - Fixed.Applied << " left";
    llvm::errs() << "\n";
  }
  for (const std::string &File : Unparsed)
    error() << File << " did not parse; its findings may be incomplete\n";

  if (MissingInput || ConfigProblem || Fixed.WriteFailed)
    return ExitUsage;
  if (!Unparsed.empty())
    return ExitParseFailure;
  return Failing ? ExitFindings : ExitClean;
}

int listChecks(const DriverOptions &Options) {
  std::shared_ptr<const RuleSet> Rules = loadBuiltinRules();
  if (!Rules)
    return ExitUsage;
  Session S;
  if (!openSession(S, Options))
    return ExitUsage;
  llvm::SmallString<256> Probe;
  llvm::sys::fs::current_path(Probe);
  llvm::sys::path::append(Probe, "input.cpp");
  if (!validateConfigs(S, {std::string(Probe)}))
    return ExitUsage;
  llvm::outs() << "Enabled checks:\n";
  for (const std::string &Name : compat::enabledChecks(S.optionsFor(Probe))) {
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
  if (!Meta || !registeredChecks().contains(Check)) {
    error() << "--explain: unknown check '" << Check << "' (see --list-checks)\n";
    return ExitUsage;
  }
  llvm::outs() << Meta->Id << " (" << Meta->Severity << "): " << Meta->Summary
               << "\n\n"
               << Meta->Explanation << "\nDocumentation: " << Meta->Doc << "\n";
  return ExitClean;
}

int dumpEffectiveConfig(const DriverOptions &Options) {
  Session S;
  if (!openSession(S, Options))
    return ExitUsage;
  llvm::SmallString<256> File;
  if (!Options.Files.empty()) {
    File = absolutePath(Options.Files.front(), "");
  } else {
    llvm::sys::fs::current_path(File);
    llvm::sys::path::append(File, "input.cpp");
  }
  if (!validateConfigs(S, {std::string(File)}))
    return ExitUsage;
  ClangTidyOptions Effective = S.optionsFor(File);
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
