//===--- DocLinks.h - async-* diagnostics link to corotidy's pages ---------===//
//
// clangd links each clang-tidy diagnostic (codeDescription.href) to
// clang.llvm.org/extra/clang-tidy/checks/<module>/<check>.html, a page that
// does not exist for async-*. The link is made inside libclangDaemon where no
// seam reaches, so corotidy-clangd passes its LSP output through a filter that
// rewrites those links to the check's doc page (the one SARIF's helpUri names).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace corotidy::clangd {

/// Body with every async-* link of clang-tidy's documentation replaced by the
/// check's page from the rules metadata.
std::string rewriteDocLinks(llvm::StringRef Body);

/// While alive, stdout goes through a pipe to a thread that re-frames each
/// LSP message with rewriteDocLinks and writes it to the real stdout.
/// Destruction flushes, closes the pipe and waits for the thread.
class DocLinkFilter {
public:
  static std::unique_ptr<DocLinkFilter> install();
  ~DocLinkFilter();

  class Pump;

private:
  explicit DocLinkFilter(std::unique_ptr<Pump> P);
  std::unique_ptr<Pump> ThePump;
};

} // namespace corotidy::clangd
