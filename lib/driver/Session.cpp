//===--- Session.cpp - the run's configuration, shared by every file -------===//

#include "Session.h"

#include "Paths.h"

#include "ModuleRegistry.h"
#include "clang-tidy/ClangTidyModule.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/WithColor.h"

#include <set>

using namespace clang::tidy;

namespace corotidy::driver {

namespace {

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

llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "corotidy");
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

} // namespace

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

std::unique_ptr<Session> Session::open(const ConfigOverrides &Overrides,
                                       llvm::StringRef ConfigFile) {
  if (Overrides.Checks) {
    std::vector<std::string> Unknown = unknownCheckNames(*Overrides.Checks);
    if (!Unknown.empty()) {
      error() << "--checks: unknown check '" << Unknown.front()
              << "' (see --list-checks)\n";
      return nullptr;
    }
  }
  auto S = std::make_unique<Session>();
  auto Provider = makeOptionsProvider(Overrides, ConfigFile, S->Errors);
  if (!Provider) {
    llvm::errs() << llvm::toString(Provider.takeError()) << "\n";
    return nullptr;
  }
  S->Provider = std::move(*Provider);
  return S;
}

std::unique_ptr<ClangTidyOptionsProvider> Session::view() {
  return std::make_unique<SharedProvider>(*Provider, ProviderLock);
}

ClangTidyOptions Session::optionsFor(llvm::StringRef File) {
  std::lock_guard<std::mutex> Guard(ProviderLock);
  return Provider->getOptions(File);
}

bool Session::validate(llvm::ArrayRef<std::string> Files) {
  std::set<std::string> Reported;
  for (const std::string &File : Files) {
    ClangTidyOptions Opts = optionsFor(File);
    for (const std::string &Name : unknownCheckNames(Opts.Checks.value_or("")))
      if (Reported.insert(Name).second)
        Errors.add("unknown check '" + Name + "' in the configuration of '" +
                   displayPath(File) + "' (see --list-checks)");
    if (!Errors.empty())
      break;
  }
  std::vector<std::string> Messages = Errors.take();
  for (const std::string &M : Messages)
    error() << M << "\n";
  return Messages.empty();
}

bool isRegisteredCheck(llvm::StringRef Name) { return registeredChecks().contains(Name); }

std::vector<std::string> registeredCheckNames() {
  std::vector<std::string> Names;
  for (const auto &Name : registeredChecks())
    Names.push_back(Name.getKey().str());
  std::sort(Names.begin(), Names.end());
  return Names;
}

} // namespace corotidy::driver
