//===--- Outputs.cpp - stage 4: report, export, fixes, summary, exit code --===//

#include "Outputs.h"

#include "Driver.h"
#include "Paths.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/WithColor.h"

using namespace clang;
using namespace clang::tidy;

namespace corotidy::driver {

namespace {

std::unique_ptr<llvm::raw_fd_ostream> openOutput(llvm::StringRef Path) {
  std::error_code EC;
  auto OS = std::make_unique<llvm::raw_fd_ostream>(Path, EC);
  if (EC) {
    llvm::WithColor::error(llvm::errs(), "corotidy") << Path << ": " << EC.message() << "\n";
    return nullptr;
  }
  return OS;
}

std::string plural(size_t N, llvm::StringRef One, llvm::StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

} // namespace

bool writeReport(const output::Report &R, output::Format Format,
                 llvm::StringRef OutputFile, std::optional<bool> Color) {
  std::unique_ptr<llvm::raw_fd_ostream> File;
  if (!OutputFile.empty() && !(File = openOutput(OutputFile)))
    return false;
  llvm::raw_ostream &OS = File ? *File : llvm::outs();
  output::TextOptions Text;
  Text.Color = Color.value_or(!File && OS.has_colors());
  output::render(Format, R, OS, Text);
  OS.flush();
  return true;
}

bool exportFixes(llvm::StringRef Path, llvm::StringRef MainFile,
                 const std::vector<output::Finding> &Findings) {
  std::unique_ptr<llvm::raw_fd_ostream> OS = openOutput(Path);
  if (!OS)
    return false;
  std::vector<ClangTidyError> Errors;
  for (const output::Finding &F : Findings) {
    if (F.IsCompilerError() || F.IsBaselined())
      continue;
    ClangTidyError E(F.Check, ClangTidyError::Warning, "", false);
    E.Message.Message = F.Message;
    E.Message.FilePath = absolutePath(F.Where.File, "");
    E.Message.FileOffset = F.Where.Offset;
    for (const output::Replacement &R : F.Fixes) {
      std::string File = absolutePath(R.File, "");
      llvm::consumeError(E.Message.Fix[File].add(
          tooling::Replacement(File, R.Offset, R.Length, R.Text)));
    }
    Errors.push_back(std::move(E));
  }
  exportReplacements(MainFile, Errors, *OS);
  return true;
}

std::vector<output::Finding> shownFindings(const std::vector<output::Finding> &All,
                                           const FixSummary &Fixed,
                                           bool OnlyUnfixed, bool WithBaselined) {
  std::vector<output::Finding> Shown;
  for (size_t I = 0; I < All.size(); ++I) {
    if (All[I].IsBaselined() && !WithBaselined)
      continue;
    if (OnlyUnfixed && I < Fixed.Fixed.size() && Fixed.Fixed[I])
      continue;
    Shown.push_back(All[I]);
  }
  return Shown;
}

std::string summaryLine(const RunTally &T, const FixSummary *Fixed) {
  std::string Line = "corotidy: " + plural(T.Findings, "finding", "findings") +
                     " in " + plural(T.Files, "file", "files");
  if (T.Baselined || T.Absent)
    Line += " (" + std::to_string(T.Baselined) + " more in the baseline" +
            (T.Absent ? ", " + std::to_string(T.Absent) + " of its entries no longer found"
                      : "") +
            ")";
  if (Fixed)
    Line += "; applied " + plural(Fixed->Applied, "fix", "fixes") + " in " +
            plural(Fixed->FilesWritten, "file", "files") + "; " +
            std::to_string(T.Findings - std::min<size_t>(T.Findings, Fixed->Applied)) +
            " left";
  if (T.FromCache)
    Line += " [" + std::to_string(T.FromCache) + " of " + std::to_string(T.Files) +
            " from the cache]";
  return Line;
}

int exitCodeOf(const RunTally &T) {
  if (T.UsageProblem)
    return ExitUsage;
  if (!T.Unparsed.empty() || !T.Crashed.empty())
    return ExitParseFailure;
  return T.Failing ? ExitFindings : ExitClean;
}

} // namespace corotidy::driver
