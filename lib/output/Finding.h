//===--- Finding.h - a finding as plain data -------------------------------===//
//
// What the checks found, with no clang types in it: the driver fills these
// in, and every output format renders them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace corotidy::output {

enum class Severity { Note, Warning, Error };
llvm::StringRef severityName(Severity S);
std::optional<Severity> parseSeverity(llvm::StringRef Name);

/// 1-based line and column (columns count bytes, as clang's do).
struct Position {
  unsigned Line = 0;
  unsigned Column = 0;
};

struct Location {
  std::string File;
  unsigned Offset = 0; ///< Begin as a byte offset in File
  Position Begin;
  Position End;   ///< Exclusive; equal to Begin for a point.
  std::string SourceLine; ///< The text of Begin's line, for carets.
};

struct Replacement {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  Position Begin, End;
  std::string Text;
};

struct Note {
  Location Where;
  std::string Message;
};

struct Finding {
  std::string Check;
  Severity Level = Severity::Warning;
  Location Where;
  std::string Message;
  std::vector<Note> Notes;
  std::vector<Replacement> Fixes;
  /// What the finding is, independent of line numbers (the baseline's
  /// identity): the function it is in and the flagged code without spaces.
  std::string Function;
  std::string Code;
  /// Filled in by the findings stage: a hash of check, file, function, code
  /// and the finding's ordinal among equal ones.
  std::string Fingerprint;
  /// With --baseline: New, Unchanged (in the baseline: SARIF only), or
  /// Absent (a baseline entry the run no longer finds: SARIF only, placed at
  /// its file and function, with no line).
  enum class Baseline { None, New, Unchanged, Absent } BaselineState = Baseline::None;
  /// In the baseline or gone from the code: neither counted, fixed nor shown
  /// outside SARIF.
  bool IsBaselined() const {
    return BaselineState == Baseline::Unchanged || BaselineState == Baseline::Absent;
  }
  /// The code did not parse: a compiler error, not a check's finding (a
  /// warning -Werror turned into an error keeps its own name).
  bool IsCompilerError() const { return Check == "clang-diagnostic-error"; }
};

/// What the formats say about each check (SARIF rules, help links).
struct CheckInfo {
  std::string Id;
  std::string Summary;
  std::string HelpUri;
  Severity DefaultLevel = Severity::Warning;
};

struct Report {
  std::vector<Finding> Findings;
  std::vector<CheckInfo> Checks;
  std::string ToolVersion;
};

} // namespace corotidy::output
