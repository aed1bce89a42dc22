//===--- FindingJson.h - findings to JSON and back -------------------------===//
//
// The result cache stores a file's findings as JSON; reading them back is
// strict: anything missing or of the wrong type makes the whole entry
// unreadable, so a corrupt cache entry is never half trusted.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Finding.h"

#include "llvm/Support/JSON.h"

namespace corotidy::output {

llvm::json::Value toJson(const Finding &F);
std::optional<Finding> findingFromJson(const llvm::json::Value &V);

} // namespace corotidy::output
