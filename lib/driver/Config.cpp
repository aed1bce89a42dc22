//===--- Config.cpp - .corotidy.yaml and .clang-tidy configuration ---------===//

#include "Config.h"

#include "RulesYAML.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/YAMLTraits.h"

#include <map>

using namespace clang::tidy;

namespace corotidy::driver {

void ConfigErrors::add(std::string Message) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (std::find(Messages.begin(), Messages.end(), Message) == Messages.end())
    Messages.push_back(std::move(Message));
}

std::vector<std::string> ConfigErrors::take() {
  std::lock_guard<std::mutex> Guard(Lock);
  return std::move(Messages);
}

bool ConfigErrors::empty() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return Messages.empty();
}

namespace {

using StringMap = std::map<std::string, std::string>;

/// The .corotidy.yaml document.
struct ConfigFile {
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilterRegex;
  std::optional<bool> SystemHeaders;
  std::optional<bool> InheritParentConfig;
  std::optional<std::vector<std::string>> ExtraArgs;
  std::optional<std::vector<std::string>> ExtraArgsBefore;
  StringMap CheckOptions;
  StringMap Severities;
  std::optional<RuleSet> Rules;
};

} // namespace
} // namespace corotidy::driver

namespace llvm::yaml {
using corotidy::driver::ConfigFile;

template <> struct CustomMappingTraits<std::map<std::string, std::string>> {
  static void inputOne(IO &Io, StringRef Key,
                       std::map<std::string, std::string> &M) {
    Io.mapRequired(Key.str().c_str(), M[Key.str()]);
  }
  static void output(IO &Io, std::map<std::string, std::string> &M) {
    for (auto &[Key, Value] : M)
      Io.mapRequired(Key.c_str(), Value);
  }
};

template <> struct MappingTraits<ConfigFile> {
  static void mapping(IO &Io, ConfigFile &C) {
    Io.mapOptional("Checks", C.Checks);
    Io.mapOptional("WarningsAsErrors", C.WarningsAsErrors);
    Io.mapOptional("HeaderFilterRegex", C.HeaderFilterRegex);
    Io.mapOptional("SystemHeaders", C.SystemHeaders);
    Io.mapOptional("InheritParentConfig", C.InheritParentConfig);
    Io.mapOptional("ExtraArgs", C.ExtraArgs);
    Io.mapOptional("ExtraArgsBefore", C.ExtraArgsBefore);
    Io.mapOptional("CheckOptions", C.CheckOptions);
    Io.mapOptional("Severities", C.Severities);
    Io.mapOptional("Rules", C.Rules);
  }
  static std::string validate(IO &, ConfigFile &C) {
    for (auto &[Check, Level] : C.Severities)
      if (Level != "note" && Level != "warning" && Level != "error")
        return "severity of '" + Check + "' must be note, warning or error, not '" +
               Level + "'";
    return "";
  }
};
} // namespace llvm::yaml

namespace corotidy::driver {

llvm::ErrorOr<ClangTidyOptions> parseCorotidyConfig(llvm::MemoryBufferRef Config,
                                                    ConfigErrors &Errors) {
  ConfigFile File;
  std::string Diagnostics;
  llvm::yaml::Input In(
      Config, nullptr,
      [](const llvm::SMDiagnostic &D, void *Out) {
        llvm::raw_string_ostream OS(*static_cast<std::string *>(Out));
        if (!OS.str().empty())
          OS << "\n";
        OS << D.getFilename() << ":" << D.getLineNo() << ":"
           << (D.getColumnNo() + 1) << ": error: " << D.getMessage();
      },
      &Diagnostics);
  if (!Config.getBuffer().trim().empty())
    In >> File;
  if (In.error()) {
    Errors.add(Diagnostics.empty()
                   ? (Config.getBufferIdentifier() + ": error: invalid YAML").str()
                   : Diagnostics);
    return In.error();
  }
  ClangTidyOptions Options;
  Options.Checks = File.Checks;
  Options.WarningsAsErrors = File.WarningsAsErrors;
  Options.HeaderFilterRegex = File.HeaderFilterRegex;
  Options.SystemHeaders = File.SystemHeaders;
  Options.InheritParentConfig = File.InheritParentConfig;
  Options.ExtraArgs = File.ExtraArgs;
  Options.ExtraArgsBefore = File.ExtraArgsBefore;
  unsigned Priority = 0;
  for (auto &[Key, Value] : File.CheckOptions)
    Options.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(Value, Priority);
  for (auto &[Check, Level] : File.Severities)
    Options.CheckOptions[Check + ".Severity"] =
        ClangTidyOptions::ClangTidyValue(Level, Priority);
  if (File.Rules)
    Options.CheckOptions[RulesOptionName] =
        ClangTidyOptions::ClangTidyValue(serializeRules(*File.Rules), Priority);
  return Options;
}

ClangTidyOptions defaultOptions() {
  ClangTidyOptions Options = ClangTidyOptions::getDefaults();
  Options.Checks = "-*,async-*";
  Options.WarningsAsErrors = "";
  // Findings in the main file only, as clang-tidy 19 does (22 reports every
  // non-system header by default); HeaderFilterRegex widens it.
  Options.HeaderFilterRegex = "";
  return Options;
}

namespace {

using ConfigHandler =
    std::pair<std::string, std::function<llvm::ErrorOr<ClangTidyOptions>(
                               llvm::MemoryBufferRef)>>;

/// Wraps clang-tidy's .clang-tidy parser so its errors are kept too.
ConfigHandler clangTidyHandler(ConfigErrors &Errors) {
  return {".clang-tidy", [&Errors](llvm::MemoryBufferRef Config)
              -> llvm::ErrorOr<ClangTidyOptions> {
            std::string Diagnostics;
            auto Parsed = parseConfigurationWithDiags(
                Config, [&](const llvm::SMDiagnostic &D) {
                  Diagnostics += (D.getFilename() + ":" +
                                  llvm::Twine(D.getLineNo()) + ":" +
                                  llvm::Twine(D.getColumnNo() + 1) +
                                  ": error: " + D.getMessage())
                                     .str();
                });
            if (!Parsed)
              Errors.add(Diagnostics.empty()
                             ? (Config.getBufferIdentifier() + ": error: " +
                                Parsed.getError().message())
                                   .str()
                             : Diagnostics);
            return Parsed;
          }};
}

/// FileOptionsProvider's constructor that takes handlers leaves its file
/// system unset (LLVM 19); this one gives it the real one.
class WalkingProvider : public FileOptionsProvider {
public:
  WalkingProvider(ClangTidyGlobalOptions Global, ClangTidyOptions Defaults,
                  ClangTidyOptions Override, ConfigFileHandlers Handlers)
      : FileOptionsProvider(std::move(Global), std::move(Defaults),
                            std::move(Override), std::move(Handlers)) {
    if (!FS)
      FS = llvm::vfs::getRealFileSystem();
  }
};

} // namespace

llvm::Expected<std::unique_ptr<ClangTidyOptionsProvider>>
makeOptionsProvider(const ConfigOverrides &Overrides,
                    llvm::StringRef ExplicitConfigFile, ConfigErrors &Errors) {
  ClangTidyGlobalOptions Global;
  ClangTidyOptions Override;
  // Our globs never turn on the static analyzer or compiler warnings the
  // clang-tidy library brings along: only async-* checks run.
  Override.Checks = (Overrides.Checks ? *Overrides.Checks + "," : std::string()) +
                    AlwaysDisabledChecks.str();
  Override.WarningsAsErrors = Overrides.WarningsAsErrors;
  Override.HeaderFilterRegex = Overrides.HeaderFilter;
  if (!Overrides.ExtraArgs.empty())
    Override.ExtraArgs = Overrides.ExtraArgs;
  if (!Overrides.ExtraArgsBefore.empty())
    Override.ExtraArgsBefore = Overrides.ExtraArgsBefore;

  if (!ExplicitConfigFile.empty()) {
    auto Text = llvm::MemoryBuffer::getFile(ExplicitConfigFile);
    if (!Text)
      return llvm::createStringError(Text.getError(), "%s: error: cannot read config file: %s",
                                     ExplicitConfigFile.str().c_str(),
                                     Text.getError().message().c_str());
    auto Parsed = parseCorotidyConfig((*Text)->getMemBufferRef(), Errors);
    if (!Parsed)
      return llvm::createStringError(Parsed.getError(), "%s",
                                     llvm::join(Errors.take(), "\n").c_str());
    return std::make_unique<ConfigOptionsProvider>(
        std::move(Global), defaultOptions(), std::move(*Parsed),
        std::move(Override));
  }
  std::vector<ConfigHandler> Handlers;
  Handlers.emplace_back(".corotidy.yaml", [&Errors](llvm::MemoryBufferRef Config) {
    return parseCorotidyConfig(Config, Errors);
  });
  Handlers.push_back(clangTidyHandler(Errors));
  return std::make_unique<WalkingProvider>(
      std::move(Global), defaultOptions(), std::move(Override),
      std::vector(std::make_move_iterator(Handlers.begin()),
                  std::make_move_iterator(Handlers.end())));
}

std::string simplifyChecks(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef, 16> Globs;
  Checks.split(Globs, ',', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Kept;
  for (llvm::StringRef Glob : Globs) {
    Glob = Glob.trim();
    if (Glob.empty())
      continue;
    if (Glob == "-*")
      Kept.clear(); // everything before "-*" is switched off again
    if (llvm::is_contained(Kept, Glob.str()))
      continue;
    Kept.push_back(Glob.str());
  }
  llvm::StringRef Suffix = AlwaysDisabledChecks;
  while (!Suffix.empty()) {
    auto [Glob, Rest] = Suffix.split(',');
    llvm::erase(Kept, Glob.str());
    Suffix = Rest;
  }
  return llvm::join(Kept, ",");
}

std::string dumpConfig(const ClangTidyOptions &Options) {
  ConfigFile File;
  if (Options.Checks)
    File.Checks = simplifyChecks(*Options.Checks);
  File.WarningsAsErrors = Options.WarningsAsErrors;
  File.HeaderFilterRegex = Options.HeaderFilterRegex;
  File.SystemHeaders = Options.SystemHeaders;
  for (const auto &Entry : Options.CheckOptions) {
    llvm::StringRef Key = Entry.getKey();
    const std::string &Value = Entry.getValue().Value;
    if (Key == RulesOptionName) {
      auto Rules = parseRules(Value, RulesOptionName);
      if (Rules)
        File.Rules = std::move(*Rules);
      else
        llvm::consumeError(Rules.takeError());
    } else if (Key.ends_with(".Severity")) {
      File.Severities[Key.drop_back(strlen(".Severity")).str()] = Value;
    } else {
      File.CheckOptions[Key.str()] = Value;
    }
  }
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  llvm::yaml::Output Out(OS, nullptr, /*WrapColumn=*/0);
  Out << File;
  return Text;
}

} // namespace corotidy::driver
