//===--- Fixes.h - apply fix-its to files, atomically ----------------------===//
#pragma once

#include "Finding.h"

#include <string>
#include <vector>

namespace corotidy::driver {

struct FixSummary {
  unsigned Applied = 0;      ///< findings whose fix-its were applied
  unsigned FilesWritten = 0;
  /// Each file written, with the number of findings fixed in it.
  std::vector<std::pair<std::string, unsigned>> Written;
  /// Per finding (same order as the input): were all its fix-its written?
  std::vector<bool> Fixed;
  bool WriteFailed = false;  ///< a file could not be written (left untouched)
  std::vector<std::string> Problems;
};

/// Applies each finding's replacements. A finding whose fix conflicts with an
/// earlier one is skipped whole, so no fix is ever half applied. Each file is
/// written to a temporary and renamed over the original: a crash or a full
/// disk leaves the old file, never a half-written one.
FixSummary applyFixes(const std::vector<output::Finding> &Findings);

} // namespace corotidy::driver
