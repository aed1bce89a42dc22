//===--- Findings.cpp - stage 3: from clang-tidy's errors to findings ------===//

#include "Findings.h"

#include "Paths.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <set>

using namespace clang;
using namespace clang::tidy;

namespace corotidy::driver {

const SourceCache::File *SourceCache::get(llvm::StringRef Path) {
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

output::Position SourceCache::position(const File *F, unsigned Offset) {
  if (!F)
    return {};
  auto It = std::upper_bound(F->LineStarts.begin(), F->LineStarts.end(), Offset);
  unsigned Line = It - F->LineStarts.begin();
  return {Line, Offset - F->LineStarts[Line - 1] + 1};
}

std::string SourceCache::lineText(const File *F, unsigned Line) {
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

output::Severity severityOf(const ClangTidyError &E, const ClangTidyOptions &Options,
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

std::string normalisedCode(const SourceCache::File *F, const output::Location &L) {
  std::string Text = L.SourceLine;
  if (F && L.End.Line > 0 && (L.End.Line > L.Begin.Line || L.End.Column > L.Begin.Column)) {
    unsigned End = F->LineStarts[L.End.Line - 1] + L.End.Column - 1;
    if (L.Offset < End && End <= F->Text.size())
      Text = F->Text.substr(L.Offset, End - L.Offset);
  }
  llvm::erase_if(Text, [](char C) { return llvm::isSpace(C); });
  return Text;
}

std::string enclosingFunction(const std::vector<FunctionSpan> &Functions,
                              llvm::StringRef File, unsigned Offset) {
  const FunctionSpan *Best = nullptr;
  for (const FunctionSpan &F : Functions)
    if (F.File == File && F.Begin <= Offset && Offset <= F.End &&
        (!Best || F.End - F.Begin < Best->End - Best->Begin))
      Best = &F;
  return Best ? Best->Name : "";
}

namespace {

output::Location locate(SourceCache &Sources, const tooling::DiagnosticMessage &M,
                        llvm::StringRef BuildDirectory) {
  output::Location L;
  if (M.FilePath.empty())
    return L;
  std::string Abs = absolutePath(M.FilePath, BuildDirectory);
  L.File = displayPath(Abs);
  L.Offset = M.FileOffset;
  const SourceCache::File *F = Sources.get(Abs);
  L.Begin = SourceCache::position(F, M.FileOffset);
  L.End = L.Begin;
  for (const tooling::FileByteRange &R : M.Ranges)
    if (R.FileOffset == M.FileOffset && R.FilePath == M.FilePath) {
      L.End = SourceCache::position(F, R.FileOffset + R.Length);
      break;
    }
  L.SourceLine = SourceCache::lineText(F, L.Begin.Line);
  return L;
}

std::vector<output::Replacement> replacements(const ClangTidyError &E,
                                              SourceCache &Sources,
                                              llvm::StringRef ShownFile) {
  std::vector<output::Replacement> Out;
  for (const auto &FileFix : E.Message.Fix)
    for (const tooling::Replacement &R : FileFix.getValue()) {
      output::Replacement Rep;
      std::string Abs = absolutePath(R.getFilePath(), E.BuildDirectory);
      const SourceCache::File *Src = Sources.get(Abs);
      // Fix-it lines and SARIF want the displayed path; fixes keep absolute ones.
      Rep.File = displayPath(Abs) == ShownFile ? ShownFile.str() : Abs;
      Rep.Offset = R.getOffset();
      Rep.Length = R.getLength();
      Rep.Begin = SourceCache::position(Src, R.getOffset());
      Rep.End = SourceCache::position(Src, R.getOffset() + R.getLength());
      Rep.Text = R.getReplacementText().str();
      Out.push_back(std::move(Rep));
    }
  return Out;
}

} // namespace

FileFindings toFindings(const UserCodeRun &Run, llvm::StringRef MainFile,
                        const ClangTidyOptions &Options, const RuleSet &Rules,
                        SourceCache &Sources) {
  FileFindings Out;
  for (const ClangTidyError &E : Run.Errors) {
    bool FromCompiler = llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
    // Every compiler error belongs to its file, located or not ("too many
    // errors emitted" has no location); -Werror's keep their warning's name.
    if (E.DiagnosticName == "clang-diagnostic-error")
      Out.ParseFailed = true;
    if (E.Message.FilePath.empty() && !FromCompiler) {
      // A check could not read its configuration (no source location).
      Out.ConfigProblems.push_back(E.Message.Message + " [" + E.DiagnosticName + "]");
      continue;
    }
    output::Finding F;
    F.Check = E.DiagnosticName;
    F.Level = severityOf(E, Options, Rules);
    F.Where = locate(Sources, E.Message, E.BuildDirectory);
    F.Message = E.Message.Message;
    std::string Abs = MainFile.str();
    if (F.Where.File.empty())
      F.Where.File = displayPath(MainFile);
    else
      Abs = absolutePath(E.Message.FilePath, E.BuildDirectory);
    for (const tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back({locate(Sources, N, E.BuildDirectory), N.Message});
    F.Fixes = replacements(E, Sources, F.Where.File);
    F.Function = enclosingFunction(Run.Functions, Abs, F.Where.Offset);
    F.Code = normalisedCode(Sources.get(Abs), F.Where);
    Out.Findings.push_back(std::move(F));
  }
  return Out;
}

std::vector<output::Finding>
dedupe(const std::vector<std::vector<output::Finding>> &PerFile) {
  std::vector<output::Finding> Out;
  std::set<std::tuple<std::string, std::string, unsigned, unsigned, std::string>> Seen;
  for (const std::vector<output::Finding> &Findings : PerFile)
    for (const output::Finding &F : Findings)
      if (Seen.insert({F.Check, F.Where.File, F.Where.Begin.Line,
                       F.Where.Begin.Column, F.Message})
              .second)
        Out.push_back(F);
  return Out;
}

} // namespace corotidy::driver
