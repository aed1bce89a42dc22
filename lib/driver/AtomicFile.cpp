//===--- AtomicFile.cpp - write a file whole or not at all -----------------===//

#include "AtomicFile.h"

#include "llvm/Support/raw_ostream.h"

namespace corotidy::driver {

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::sys::fs::perms Permissions = llvm::sys::fs::all_read | llvm::sys::fs::owner_write;
  llvm::sys::fs::file_status Status;
  if (!llvm::sys::fs::status(Path, Status))
    Permissions = Status.permissions();
  auto Temp = llvm::sys::fs::TempFile::create(Path + ".corotidy-%%%%%%", Permissions);
  if (!Temp)
    return Temp.takeError();
  {
    llvm::raw_fd_ostream OS(Temp->FD, /*shouldClose=*/false);
    OS << Text;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::consumeError(Temp->discard());
      return llvm::errorCodeToError(EC);
    }
  }
  return Temp->keep(Path);
}

} // namespace corotidy::driver
