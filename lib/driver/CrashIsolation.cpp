//===--- CrashIsolation.cpp - one file's crash is that file's error --------===//

#include "CrashIsolation.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <mutex>

namespace corotidy::driver {

namespace {

/// What the crashing thread was doing, read from its pretty stack trace
/// while the crashed frames still exist (signal handlers run on top of them).
thread_local std::string CrashStack;

void captureStack(void *) {
  auto *Entry = static_cast<const llvm::PrettyStackTraceEntry *>(
      llvm::SavePrettyStackState());
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  for (; Entry; Entry = Entry->getNextEntry())
    Entry->print(OS);
  CrashStack = std::move(Text);
}

/// LLVM runs each signal callback once; arm ours again for the next crash.
void armCapture() { llvm::sys::AddSignalHandler(captureStack, nullptr); }

std::string signalName(int RetCode) {
  switch (RetCode - 128) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGABRT:
    return "SIGABRT";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  default:
    return "exit code " + std::to_string(RetCode);
  }
}

/// The first line of the innermost entry that names what clang was doing
/// ("file.cpp:3:1: parsing function body 'f'"), and the check whose matcher
/// ran ("ASTMatcher: Processing 'async-x' against:").
void readStack(llvm::StringRef Stack, CrashReport &Report) {
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  Stack.split(Lines, '\n', -1, false);
  for (llvm::StringRef Line : Lines) {
    if (Line.starts_with("\t") || Line.starts_with(" "))
      continue; // the AST node an ASTMatcher entry dumps
    Line = Line.trim();
    if (Line.consume_front("ASTMatcher: Processing '")) {
      if (Report.Check.empty())
        Report.Check = Line.split('\'').first.str();
      continue;
    }
    if (Report.Activity.empty() && !Line.starts_with("ASTMatcher:") &&
        !Line.starts_with("Program arguments"))
      Report.Activity = Line.str();
  }
}

} // namespace

void enableCrashIsolation() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::CrashRecoveryContext::Enable();
    armCapture();
  });
}

std::optional<CrashReport> runIsolated(llvm::function_ref<void()> Work) {
  llvm::CrashRecoveryContext Context;
  // Runs the signal callbacks (ours, and LLVM's stack dump the first time)
  // while the crashed frames are still there.
  Context.DumpStackAndCleanupOnFailure = true;
  const void *Stack = llvm::SavePrettyStackState();
  CrashStack.clear();
  if (Context.RunSafely(Work))
    return std::nullopt;
  // The crashed frames' entries are gone: restore the list as it was.
  llvm::RestorePrettyStackState(Stack);
  armCapture();
  CrashReport Report;
  Report.Signal = signalName(Context.RetCode);
  readStack(CrashStack, Report);
  return Report;
}

std::string describeCrash(const CrashReport &Crash) {
  std::string Text = "internal error: corotidy crashed (" + Crash.Signal + ")";
  if (!Crash.Check.empty())
    Text += " in check " + Crash.Check;
  if (!Crash.Activity.empty())
    Text += " at " + Crash.Activity;
  Text += "; this file's findings are missing, every other file was analysed. "
          "Please report it with this file and its compile command";
  return Text;
}

} // namespace corotidy::driver
