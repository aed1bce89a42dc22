//===--- Paths.h - how the driver names files ------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace corotidy::driver {

/// Path made absolute against BuildDirectory (or the working directory when
/// empty), with "." and ".." removed.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef BuildDirectory);

/// How a path is shown: relative to the working directory when inside it.
std::string displayPath(llvm::StringRef Abs);

} // namespace corotidy::driver
