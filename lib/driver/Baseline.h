//===--- Baseline.h - findings a team has accepted, by identity ------------===//
//
// A finding's identity survives edits elsewhere in the file: it is the check,
// the file, the enclosing function and the flagged code without spaces, plus
// its ordinal among findings with the same four (two identical calls in one
// function). Line numbers are not part of it, so moving a function, adding
// lines above it or reformatting keeps a baselined finding baselined;
// changing the flagged code makes it new.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Finding.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Sets each finding's Fingerprint (32 hex digits).
void assignFingerprints(std::vector<output::Finding> &Findings);

/// What the baseline file says of one finding: enough to place it at its
/// file and function when it is gone (no line: lines are not its identity).
struct BaselineEntry {
  std::string Check, File, Function, Message;
};
using Baseline = std::map<std::string, BaselineEntry>; ///< by fingerprint

llvm::Expected<Baseline> readBaseline(llvm::StringRef Path);
/// Writes the findings' fingerprints, with what each was, as JSON.
llvm::Error writeBaseline(llvm::StringRef Path,
                          const std::vector<output::Finding> &Findings,
                          llvm::StringRef ToolVersion);

/// Marks each finding New or Unchanged; returns how many were in the baseline.
size_t markBaselined(std::vector<output::Finding> &Findings, const Baseline &Known);

/// The baseline's entries no finding matches, as Absent findings, for the
/// entries Covered(file, check) says this run looked for: their file was
/// analysed whole with their check enabled. Anything else (a header, a file
/// of another shard, a check switched off) cannot be told apart from a
/// finding nobody looked for, so it is left out.
std::vector<output::Finding>
absentFindings(const Baseline &Known, const std::vector<output::Finding> &Findings,
               llvm::function_ref<bool(llvm::StringRef File, llvm::StringRef Check)> Covered);

} // namespace corotidy::driver
