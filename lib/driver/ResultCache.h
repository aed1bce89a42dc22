//===--- ResultCache.h - a file's findings, kept until its inputs change ---===//
//
// An entry is found by a key over everything known before the compile (the
// corotidy binary, the file's path and compile commands, its effective
// configuration, the rules), and is valid only while every file the compile
// read still has the content it had: the file itself and each header, so
// editing a header re-analyses exactly its includers. Entries are written
// whole through a rename, so concurrent runs never see half of one; an entry
// that does not read back completely, or was written for another key, is
// ignored and rewritten.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Finding.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corotidy::driver {

/// A 128-bit hash of the parts, as 32 hex digits.
std::string hashParts(llvm::ArrayRef<std::string> Parts);

/// A file's content hash, each file hashed once per run. Thread-safe.
class ContentHashes {
public:
  /// Empty when the file cannot be read.
  std::string of(const std::string &Path);

private:
  std::mutex Lock;
  llvm::StringMap<std::string> Known;
};

struct CachedResult {
  std::vector<output::Finding> Findings;
  bool ParseFailed = false;
  std::vector<std::string> Dependencies;
};

class ResultCache {
public:
  /// A cache in Dir (created on first store).
  explicit ResultCache(std::string Dir);

  std::optional<CachedResult> lookup(const std::string &Key);
  /// Best effort: returns the error text of a failed write (the run goes
  /// on), or an empty string.
  std::string store(const std::string &Key, const CachedResult &Result);

  /// How long File's last analysis took, in microseconds, for the
  /// scheduler (Schedule.h). Kept per path, whatever the file's content:
  /// an edit rarely changes what a file costs by much. Nothing when no
  /// record reads back.
  std::optional<uint64_t> recordedCost(const std::string &File) const;
  /// Best effort, like store.
  void recordCost(const std::string &File, uint64_t Micros);

  const std::string &directory() const { return Dir; }

private:
  std::string entryPath(const std::string &Key) const;
  std::string costPath(const std::string &File) const;
  /// Marks the directory as a cache: backup tools and git leave it alone.
  void markDirectory();

  std::string Dir;
  ContentHashes Hashes;
  std::once_flag Marked;
};

} // namespace corotidy::driver
