//===--- Schedule.h - the order files are handed to the workers ------------===//
//
// With -j N the run ends when the last worker finishes. Handed out in the
// order given, a long file that comes last runs alone while the other
// workers idle; handed out longest first (greedy LPT scheduling), the last
// files to start are the short ones and the workers finish together.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace corotidy::driver {

/// What is known of a file's cost before it is analysed.
struct FileCost {
  /// How long its last analysis took (the result cache records it), if known.
  std::optional<uint64_t> RecordedMicros;
  /// Its size in bytes: the tie-breaker for files with no record.
  uint64_t Bytes = 0;
};

/// Indices into Costs, longest first: files with no record come first
/// (nothing bounds their cost, and a long one started last is the worst
/// case), larger before smaller; then recorded files, slowest first. Equal
/// costs keep their input order, so the order is deterministic.
std::vector<size_t> longestFirst(llvm::ArrayRef<FileCost> Costs);

} // namespace corotidy::driver
