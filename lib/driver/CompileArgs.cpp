//===--- CompileArgs.cpp - compile commands clang can run ------------------===//

#include "CompileArgs.h"

#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Driver/Options.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"

namespace corotidy::driver {

namespace {

namespace options = clang::driver::options;

/// Every warning group the compiler knows, as "-W<group>" and "-Wno-<group>".
const llvm::StringSet<> &knownWarningFlags() {
  static const llvm::StringSet<> Flags = [] {
    llvm::StringSet<> Flags;
    for (const std::string &Flag : clang::DiagnosticIDs::getDiagnosticFlags())
      Flags.insert(Flag);
    return Flags;
  }();
  return Flags;
}

/// The value of a -W<value> option names a warning group clang knows, or is
/// one of the controls clang's warning processing understands.
bool isKnownWarningOption(llvm::StringRef Value) {
  Value.consume_front("no-");
  if (Value.empty() || Value == "error" || Value == "fatal-errors" ||
      Value == "everything" || Value == "system-headers")
    return true;
  if (!Value.consume_front("error="))
    Value.consume_front("fatal-errors=");
  return knownWarningFlags().contains(("-W" + Value).str());
}

bool isClangCl(const clang::tooling::CommandLineArguments &Args) {
  if (Args.empty())
    return false;
  llvm::StringRef Program = llvm::StringRef(Args.front()).rsplit('/').second;
  if (Program.empty())
    Program = Args.front();
  return Program.contains_insensitive("cl.exe") || Program.ends_with("clang-cl") ||
         llvm::is_contained(Args, "--driver-mode=cl");
}

/// Parses Args[Index...] as clang's driver would, one option at a time; Begin
/// and End span the strings the option took (a flag and its separate value).
struct ParsedOption {
  size_t Begin, End;
  bool Unsupported;
};

std::vector<ParsedOption>
parseLikeClang(const clang::tooling::CommandLineArguments &Args) {
  std::vector<const char *> Argv;
  for (const std::string &Arg : Args)
    Argv.push_back(Arg.c_str());
  llvm::opt::InputArgList List(Argv.data(), Argv.data() + Argv.size());
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  std::vector<ParsedOption> Parsed;
  unsigned Index = 1; // after the program name
  while (Index < Args.size() && Args[Index] != "--") {
    unsigned Begin = Index;
    std::unique_ptr<llvm::opt::Arg> Arg = Table.ParseOneArg(
        List, Index, llvm::opt::Visibility(options::ClangOption));
    if (!Arg || Index <= Begin)
      break; // a flag missing its value: clang reports it, not us
    const llvm::opt::Option &Option = Arg->getOption();
    bool Unsupported = Option.getID() == options::OPT_UNKNOWN ||
                       Option.hasFlag(options::Ignored) ||
                       (Option.getID() == options::OPT_W_Joined &&
                        !isKnownWarningOption(Arg->getValue()));
    Parsed.push_back({Begin, std::min<size_t>(Index, Args.size()), Unsupported});
  }
  return Parsed;
}

} // namespace

bool isUnsupportedByClang(llvm::StringRef Arg) {
  std::vector<ParsedOption> Parsed = parseLikeClang({"clang", Arg.str()});
  return !Parsed.empty() && Parsed.front().Unsupported;
}

clang::tooling::CommandLineArguments
UnsupportedArgsFilter::operator()(const clang::tooling::CommandLineArguments &Args,
                                  llvm::StringRef) {
  if (isClangCl(Args))
    return Args;
  // GCC flags clang knows but does not use (-fcoroutines, -fmax-errors=5)
  // would be "argument unused" warnings, errors under -Werror.
  clang::tooling::CommandLineArguments Quiet = Args;
  if (!Quiet.empty() && !llvm::is_contained(Quiet, "-Qunused-arguments"))
    Quiet.insert(Quiet.begin() + 1, "-Qunused-arguments");
  return dropUnsupported(Quiet);
}

clang::tooling::CommandLineArguments
UnsupportedArgsFilter::dropUnsupported(const clang::tooling::CommandLineArguments &Args) {
  std::vector<bool> Drop(Args.size(), false);
  std::vector<std::string> Removed;
  for (const ParsedOption &Option : parseLikeClang(Args)) {
    if (!Option.Unsupported)
      continue;
    std::string Text;
    for (size_t I = Option.Begin; I < Option.End; ++I) {
      Drop[I] = true;
      Text += (I > Option.Begin ? " " : "") + Args[I];
    }
    Removed.push_back(std::move(Text));
  }
  if (Removed.empty())
    return Args;
  clang::tooling::CommandLineArguments Kept;
  for (size_t I = 0; I < Args.size(); ++I)
    if (!Drop[I])
      Kept.push_back(Args[I]);
  std::lock_guard<std::mutex> Guard(Lock);
  Dropped.insert(Removed.begin(), Removed.end());
  return Kept;
}

clang::tooling::ArgumentsAdjuster UnsupportedArgsFilter::adjuster() {
  return [this](const clang::tooling::CommandLineArguments &Args,
                llvm::StringRef File) { return (*this)(Args, File); };
}

std::vector<std::string> UnsupportedArgsFilter::dropped() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return {Dropped.begin(), Dropped.end()};
}

std::string droppedArgsNote(const std::vector<std::string> &Dropped) {
  if (Dropped.empty())
    return "";
  std::string Note = "ignored " + std::to_string(Dropped.size()) +
                     (Dropped.size() == 1 ? " GCC-only flag: " : " GCC-only flags: ");
  for (size_t I = 0; I < Dropped.size(); ++I)
    Note += (I ? ", " : "") + Dropped[I];
  return Note;
}

} // namespace corotidy::driver
