//===--- Findings.h - stage 3: from clang-tidy's errors to findings --------===//
//
// A file's ClangTidyErrors become plain findings on the worker that analysed
// it (located, with a severity, the function they are in and the flagged
// code), so the cache stores and the outputs read nothing but plain data.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ScopedRun.h"

#include "Finding.h"
#include "Rules.h"

#include "clang-tidy/ClangTidyOptions.h"

#include <map>
#include <memory>
#include <mutex>

namespace corotidy::driver {

/// File contents and line starts, to turn offsets into lines and columns.
class SourceCache {
public:
  struct File {
    std::string Text;
    std::vector<unsigned> LineStarts;
  };
  /// Nothing when the file cannot be read. Thread-safe.
  const File *get(llvm::StringRef Path);
  static output::Position position(const File *F, unsigned Offset);
  static std::string lineText(const File *F, unsigned Line);

private:
  std::mutex Lock;
  std::map<std::string, std::unique_ptr<File>> Files;
};

/// Per-check severity: the rules' default, the <check>.Severity option, and
/// WarningsAsErrors.
output::Severity severityOf(const clang::tidy::ClangTidyError &E,
                            const clang::tidy::ClangTidyOptions &Options,
                            const RuleSet &Rules);

/// The flagged code with every space removed: the text of the range, or of
/// the line when the range is a point. Reformatting does not change it.
std::string normalisedCode(const SourceCache::File *F, const output::Location &L);

/// The innermost function whose span holds (File, Offset); "" at file scope.
std::string enclosingFunction(const std::vector<FunctionSpan> &Functions,
                              llvm::StringRef File, unsigned Offset);

/// One file's errors as findings. Compiler errors without a location are
/// placed in MainFile; a check's error without one is a configuration problem
/// and is returned in ConfigProblems instead.
struct FileFindings {
  std::vector<output::Finding> Findings;
  std::vector<std::string> ConfigProblems;
  bool ParseFailed = false;
};
FileFindings toFindings(const UserCodeRun &Run, llvm::StringRef MainFile,
                        const clang::tidy::ClangTidyOptions &Options,
                        const RuleSet &Rules, SourceCache &Sources);

/// Findings in input order; one reported from several files (a header) once.
std::vector<output::Finding>
dedupe(const std::vector<std::vector<output::Finding>> &PerFile);

} // namespace corotidy::driver
