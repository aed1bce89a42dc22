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

#include "llvm/Support/Error.h"

#include <set>
#include <string>
#include <vector>

namespace corotidy::driver {

/// Sets each finding's Fingerprint (32 hex digits).
void assignFingerprints(std::vector<output::Finding> &Findings);

using Baseline = std::set<std::string>; ///< fingerprints

llvm::Expected<Baseline> readBaseline(llvm::StringRef Path);
/// Writes the findings' fingerprints, with what each was, as JSON.
llvm::Error writeBaseline(llvm::StringRef Path,
                          const std::vector<output::Finding> &Findings,
                          llvm::StringRef ToolVersion);

/// Marks each finding New or Unchanged; returns how many were in the baseline.
size_t markBaselined(std::vector<output::Finding> &Findings, const Baseline &Known);

} // namespace corotidy::driver
