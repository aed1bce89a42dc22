//===--- EditorOptions.cpp - corotidy's configuration inside clangd --------===//

#include "EditorOptions.h"

#include "Config.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>

using namespace clang::tidy;

namespace corotidy::clangd {

namespace {

/// The CLI's options provider. clang-tidy's FileOptionsProvider caches each
/// directory for its lifetime, so an editor session re-creates it once it is
/// a few seconds old, as clangd re-reads .clang-tidy: edits to .corotidy.yaml
/// apply without a restart.
class CliConfiguration {
public:
  ClangTidyOptions optionsFor(llvm::StringRef File) {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Now = std::chrono::steady_clock::now();
    if (!Provider || Now - Created > MaxStaleness) {
      auto Made = driver::makeOptionsProvider(driver::ConfigOverrides(), "", Errors);
      if (!Made) {
        report({llvm::toString(Made.takeError())});
        return driver::defaultOptions();
      }
      Provider = std::move(*Made);
      Created = Now;
    }
    ClangTidyOptions Options = Provider->getOptions(File);
    report(Errors.take());
    return Options;
  }

private:
  /// Configuration errors go to clangd's log (stderr), each once per session.
  void report(const std::vector<std::string> &Messages) {
    for (const std::string &Message : Messages)
      if (Reported.insert(Message).second)
        llvm::errs() << "corotidy-clangd: " << Message << "\n";
    llvm::errs().flush();
  }

  static constexpr std::chrono::seconds MaxStaleness{5};
  std::mutex Lock;
  driver::ConfigErrors Errors; // outlives Provider, whose handlers fill it
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  std::chrono::steady_clock::time_point Created;
  llvm::StringSet<> Reported;
};

/// Globs in front of clangd's, so every glob clangd read comes later and wins.
void prependGlobs(std::optional<std::string> &Globs, llvm::StringRef First) {
  if (First.empty())
    return;
  Globs = Globs && !Globs->empty() ? (First + "," + *Globs).str() : First.str();
}

/// The CLI reports a check whose `Severity` option is `error` as an error;
/// in clangd that is what WarningsAsErrors does.
std::string errorSeverityChecks(const ClangTidyOptions::OptionMap &Options) {
  constexpr llvm::StringLiteral Suffix = ".Severity";
  std::vector<std::string> Checks;
  for (const auto &Entry : Options)
    if (Entry.getKey().ends_with(Suffix) && Entry.getValue().Value == "error")
      Checks.push_back(Entry.getKey().drop_back(Suffix.size()).str());
  return llvm::join(Checks, ",");
}

} // namespace

void addCorotidyOptions(ClangTidyOptions &Options, llvm::StringRef File) {
  static CliConfiguration Configuration;
  ClangTidyOptions Corotidy = Configuration.optionsFor(File);
  if (Corotidy.Checks)
    prependGlobs(Options.Checks, driver::simplifyChecks(*Corotidy.Checks));
  for (const auto &Entry : Corotidy.CheckOptions)
    Options.CheckOptions.try_emplace(Entry.getKey(), Entry.getValue());
  if (Corotidy.WarningsAsErrors)
    prependGlobs(Options.WarningsAsErrors, *Corotidy.WarningsAsErrors);
  prependGlobs(Options.WarningsAsErrors, errorSeverityChecks(Options.CheckOptions));
}

std::optional<bool> isKnownFastCheck(llvm::StringRef Check) {
  if (Check.starts_with("async-"))
    return true;
  return std::nullopt;
}

} // namespace corotidy::clangd
