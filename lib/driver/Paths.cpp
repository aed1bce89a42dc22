//===--- Paths.cpp - how the driver names files ----------------------------===//

#include "Paths.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace corotidy::driver {

std::string absolutePath(llvm::StringRef Path, llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Abs;
  if (llvm::sys::path::is_absolute(Path))
    Abs = Path;
  else if (!BuildDirectory.empty()) {
    Abs = BuildDirectory;
    llvm::sys::path::append(Abs, Path);
  } else {
    Abs = Path;
    llvm::sys::fs::make_absolute(Abs);
  }
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

std::string displayPath(llvm::StringRef Abs) {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return Abs.str();
  llvm::StringRef Rel = Abs;
  if (Rel.consume_front(Cwd) && Rel.consume_front("/"))
    return Rel.str();
  return Abs.str();
}

} // namespace corotidy::driver
