//===--- AtomicFile.h - write a file whole or not at all -------------------===//
#pragma once

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

namespace corotidy::driver {

/// Writes Text to Path through a temporary in the same directory and a
/// rename: readers (another corotidy, a crash, a full disk) see the old file
/// or the new one, never half of one. Keeps an existing file's permissions.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Text);

} // namespace corotidy::driver
