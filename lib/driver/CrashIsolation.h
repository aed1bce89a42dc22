//===--- CrashIsolation.h - one file's crash is that file's error ----------===//
//
// clang-tidy 19's diagnostic consumer segfaults on some inputs (a [[noreturn]]
// coroutine under -Winvalid-noreturn); without isolation that one file takes
// every other file's findings with it. Each file runs under LLVM's
// CrashRecoveryContext, on whichever worker thread analyses it: a signal in
// that thread unwinds to the file's entry point, the file is reported as an
// internal error, and the run goes on. (A subprocess per file would also
// survive heap corruption, at a process start and a re-parse of the rules
// per file; clang's own driver runs its cc1 jobs in-process this way.)
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/FunctionExtras.h"

#include <optional>
#include <string>

namespace corotidy::driver {

struct CrashReport {
  std::string Signal;   ///< "SIGSEGV"
  std::string Activity; ///< what clang was doing: "parsing function body 'f'"
  std::string Check;    ///< the check whose matcher ran, if one did
};

/// Installs the signal handlers (once per process).
void enableCrashIsolation();

/// Runs Work; a crash in it becomes the returned report.
std::optional<CrashReport> runIsolated(llvm::function_ref<void()> Work);

/// "internal error: corotidy crashed (SIGSEGV) while parsing function body
/// 'f' in check async-x; ..." for the report.
std::string describeCrash(const CrashReport &Crash);

} // namespace corotidy::driver
