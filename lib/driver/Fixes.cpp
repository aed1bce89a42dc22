//===--- Fixes.cpp - apply fix-its to files, atomically --------------------===//

#include "Fixes.h"

#include "AtomicFile.h"

#include "clang/Format/Format.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>

namespace corotidy::driver {

FixSummary applyFixes(const std::vector<output::Finding> &Findings) {
  FixSummary Summary;
  Summary.Fixed.assign(Findings.size(), false);
  std::map<std::string, clang::tooling::Replacements> PerFile;
  std::map<std::string, std::set<size_t>> FindingsIn; // file -> finding indices
  for (size_t Index = 0; Index < Findings.size(); ++Index) {
    const output::Finding &F = Findings[Index];
    if (F.Fixes.empty() || F.IsCompilerError() || F.IsBaselined())
      continue;
    // Tentatively add the whole fix; keep it only if nothing conflicts.
    std::map<std::string, clang::tooling::Replacements> Trial = PerFile;
    bool Conflict = false;
    for (const output::Replacement &R : F.Fixes) {
      clang::tooling::Replacement Rep(R.File, R.Offset, R.Length, R.Text);
      clang::tooling::Replacements &Set = Trial[R.File];
      // The same edit twice (a header fixed from two files) is one edit.
      if (llvm::any_of(Set, [&](const clang::tooling::Replacement &Existing) {
            return Existing == Rep;
          }))
        continue;
      if (llvm::Error Err = Set.add(Rep)) {
        llvm::consumeError(std::move(Err));
        // Two insertions at one offset (two #includes from two fixes) do not
        // conflict: put the new one after the old, as clang-tidy does.
        bool BothInsertions =
            Rep.getLength() == 0 &&
            llvm::any_of(Set, [&](const clang::tooling::Replacement &Existing) {
              return Existing.getLength() == 0 &&
                     Existing.getOffset() == Rep.getOffset();
            });
        if (!BothInsertions) {
          Conflict = true;
          break;
        }
        Set = Set.merge(clang::tooling::Replacements(clang::tooling::Replacement(
            R.File, Set.getShiftedCodePosition(Rep.getOffset()), 0, R.Text)));
      }
    }
    if (Conflict) {
      Summary.Problems.push_back(F.Where.File + ":" +
                                 std::to_string(F.Where.Begin.Line) +
                                 ": fix-it for [" + F.Check +
                                 "] overlaps another fix; not applied");
      continue;
    }
    PerFile = std::move(Trial);
    for (const output::Replacement &R : F.Fixes)
      FindingsIn[R.File].insert(Index);
    Summary.Fixed[Index] = true;
  }

  // A finding counts as fixed once every file its fix touches is written.
  auto NotFixed = [&](const std::string &Path) {
    for (size_t Index : FindingsIn[Path])
      Summary.Fixed[Index] = false;
  };
  for (auto &[Path, Replacements] : PerFile) {
    if (Replacements.empty())
      continue;
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      Summary.Problems.push_back(Path + ": cannot read: " +
                                 Buffer.getError().message());
      Summary.WriteFailed = true;
      NotFixed(Path);
      continue;
    }
    llvm::StringRef Code = (*Buffer)->getBuffer();
    auto Cleaned = clang::format::cleanupAroundReplacements(
        Code, Replacements, clang::format::getLLVMStyle());
    if (!Cleaned) {
      Summary.Problems.push_back(Path + ": " + llvm::toString(Cleaned.takeError()));
      NotFixed(Path);
      continue;
    }
    auto NewCode = clang::tooling::applyAllReplacements(Code, *Cleaned);
    if (!NewCode) {
      Summary.Problems.push_back(Path + ": " + llvm::toString(NewCode.takeError()));
      NotFixed(Path);
      continue;
    }
    if (llvm::Error Err = writeFileAtomically(Path, *NewCode)) {
      Summary.Problems.push_back(Path + ": cannot write: " +
                                 llvm::toString(std::move(Err)));
      Summary.WriteFailed = true;
      NotFixed(Path);
      continue;
    }
    ++Summary.FilesWritten;
    Summary.Written.emplace_back(Path, FindingsIn[Path].size());
  }
  Summary.Applied = llvm::count(Summary.Fixed, true);
  return Summary;
}

} // namespace corotidy::driver
