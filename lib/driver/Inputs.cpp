//===--- Inputs.cpp - stage 1: which files, and how each is compiled -------===//

#include "Inputs.h"

#include "Paths.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

namespace corotidy::driver {

std::unique_ptr<CompileCommands>
CompileCommands::open(const std::optional<std::vector<std::string>> &FixedArgs,
                      llvm::StringRef BuildPath) {
  auto Commands = std::make_unique<CompileCommands>();
  if (FixedArgs) {
    Commands->Shared =
        std::make_unique<clang::tooling::FixedCompilationDatabase>(".", *FixedArgs);
  } else if (!BuildPath.empty()) {
    std::string Err;
    Commands->Shared =
        clang::tooling::CompilationDatabase::loadFromDirectory(BuildPath, Err);
    if (!Commands->Shared) {
      llvm::WithColor::error(llvm::errs(), "corotidy")
          << "-p " << BuildPath << ": no compilation database: " << Err << "\n";
      return nullptr;
    }
  }
  return Commands;
}

std::shared_ptr<clang::tooling::CompilationDatabase>
CompileCommands::forFile(llvm::StringRef File) {
  if (Shared)
    return std::shared_ptr<clang::tooling::CompilationDatabase>(
        std::shared_ptr<void>(), Shared.get());
  std::string Dir = llvm::sys::path::parent_path(File).str();
  std::lock_guard<std::mutex> Guard(Lock);
  auto &Entry = Detected[Dir];
  if (!Entry) {
    std::string Err;
    std::unique_ptr<clang::tooling::CompilationDatabase> DB =
        clang::tooling::CompilationDatabase::autoDetectFromDirectory(Dir, Err);
    if (!DB) {
      if (!WarnedFallback)
        llvm::WithColor::warning(llvm::errs(), "corotidy")
            << "no compile_commands.json found above '" << displayPath(File)
            << "'; using -std=c++20 (pass -p <build dir> or "
               "-- <compiler flags>)\n";
      WarnedFallback = true;
      DB = std::make_unique<clang::tooling::FixedCompilationDatabase>(
          ".", std::vector<std::string>{"-std=c++20"});
    }
    Entry = std::move(DB);
  }
  return Entry;
}

std::vector<std::string> CompileCommands::allFiles() const {
  return Shared ? Shared->getAllFiles() : std::vector<std::string>{};
}

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

std::optional<Shard> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  Shard S;
  if (K.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) ||
      S.Index < 1 || S.Index > S.Count)
    return std::nullopt;
  return S;
}

std::vector<std::string> selectShard(std::vector<std::string> Files, Shard S) {
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  std::vector<std::string> Part;
  for (size_t I = S.Index - 1; I < Files.size(); I += S.Count)
    Part.push_back(Files[I]);
  return Part;
}

std::optional<InputSet> collectInputs(const std::vector<std::string> &Requested,
                                      const CompileCommands &Commands,
                                      std::optional<Shard> Part) {
  std::vector<std::string> Names = Requested;
  if (Names.empty())
    Names = Commands.allFiles();
  if (Names.empty()) {
    llvm::WithColor::error(llvm::errs(), "corotidy")
        << "no input files (give files, or -p <build dir> to check every "
           "file of its compile_commands.json)\n";
    return std::nullopt;
  }
  InputSet Inputs;
  for (const std::string &Name : Names) {
    std::string Abs = absolutePath(Name, "");
    if (std::optional<std::string> Problem = unreadableInput(Abs)) {
      llvm::WithColor::error(llvm::errs(), "corotidy") << Name << ": " << *Problem << "\n";
      Inputs.Problems = true;
      continue;
    }
    Inputs.Files.push_back(Abs);
  }
  if (Part) {
    // Shard on the paths as shown, so every machine of a CI matrix agrees.
    std::vector<std::string> Shown;
    for (const std::string &File : Inputs.Files)
      Shown.push_back(displayPath(File));
    std::vector<std::string> Mine = selectShard(Shown, *Part);
    std::vector<std::string> Kept;
    for (const std::string &File : Inputs.Files)
      if (std::binary_search(Mine.begin(), Mine.end(), displayPath(File)))
        Kept.push_back(File);
    Inputs.Files = std::move(Kept);
  }
  return Inputs;
}

} // namespace corotidy::driver
