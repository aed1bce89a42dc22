//===--- DocLinks.cpp - async-* diagnostics link to corotidy's pages -------===//

#include "DocLinks.h"

#include "Rules.h"

#include "llvm/Support/raw_ostream.h"

#include <thread>
#include <unistd.h>

namespace corotidy::clangd {

namespace {

constexpr llvm::StringLiteral ClangTidyDocs =
    "https://clang.llvm.org/extra/clang-tidy/checks/async/";
constexpr llvm::StringLiteral DocSite = "https://corotidy.dev/";

/// The check's page, or the clangd link unchanged when the rules do not
/// describe the check.
std::string pageOf(llvm::StringRef Check, llvm::StringRef ClangdLink) {
  auto Rules = builtinRules();
  if (!Rules) {
    llvm::consumeError(Rules.takeError());
    return ClangdLink.str();
  }
  const CheckMetadata *Meta = (*Rules)->check(Check);
  return Meta && !Meta->Doc.empty() ? (DocSite + Meta->Doc).str() : ClangdLink.str();
}

bool writeAll(int Fd, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t Wrote = ::write(Fd, Data.data(), Data.size());
    if (Wrote < 0 && errno == EINTR)
      continue;
    if (Wrote <= 0)
      return false;
    Data = Data.drop_front(Wrote);
  }
  return true;
}

} // namespace

std::string rewriteDocLinks(llvm::StringRef Body) {
  std::string Out;
  while (true) {
    size_t At = Body.find(ClangTidyDocs);
    size_t End = At == llvm::StringRef::npos ? At : Body.find(".html", At);
    if (End == llvm::StringRef::npos)
      break;
    End += strlen(".html");
    llvm::StringRef Link = Body.slice(At, End);
    llvm::StringRef Name = Link.drop_front(ClangTidyDocs.size()).drop_back(strlen(".html"));
    Out += Body.take_front(At);
    Out += pageOf(("async-" + Name).str(), Link);
    Body = Body.drop_front(End);
  }
  Out += Body;
  return Out;
}

/// Reads what clangd writes to stdout and forwards it frame by frame.
class DocLinkFilter::Pump {
public:
  Pump(int Input, int Output) : Input(Input), Output(Output) {
    Thread = std::thread([this] { run(); });
  }
  ~Pump() {
    Thread.join();
    ::close(Input);
  }

private:
  void run() {
    char Chunk[1 << 16];
    while (true) {
      ssize_t Got = ::read(Input, Chunk, sizeof(Chunk));
      if (Got < 0 && errno == EINTR)
        continue;
      if (Got <= 0)
        break;
      Pending.append(Chunk, Got);
      if (!forwardFrames())
        return;
    }
    writeAll(Output, Pending); // an unframed tail goes out as it is
  }

  /// Forwards each complete "Content-Length: N\r\n\r\n<body>" in Pending.
  bool forwardFrames() {
    while (true) {
      llvm::StringRef Data = Pending;
      size_t HeaderEnd = Data.find("\r\n\r\n");
      if (HeaderEnd == llvm::StringRef::npos)
        return true;
      llvm::StringRef Header = Data.take_front(HeaderEnd);
      size_t LengthAt = Header.find_insensitive("content-length:");
      unsigned long long Length = 0;
      if (LengthAt == llvm::StringRef::npos ||
          llvm::getAsUnsignedInteger(
              Header.drop_front(LengthAt + strlen("content-length:")).trim().split("\r\n").first,
              10, Length)) {
        // Not a frame we understand: pass the header on untouched.
        if (!writeAll(Output, Data.take_front(HeaderEnd + 4)))
          return false;
        Pending.erase(0, HeaderEnd + 4);
        continue;
      }
      if (Data.size() < HeaderEnd + 4 + Length)
        return true;
      std::string Body = rewriteDocLinks(Data.substr(HeaderEnd + 4, Length));
      std::string Frame = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
      if (!writeAll(Output, Frame))
        return false;
      Pending.erase(0, HeaderEnd + 4 + Length);
    }
  }

  int Input;
  int Output;
  std::string Pending;
  std::thread Thread;
};

std::unique_ptr<DocLinkFilter> DocLinkFilter::install() {
  int Pipe[2];
  if (::pipe(Pipe) != 0)
    return nullptr;
  int RealStdout = ::dup(STDOUT_FILENO);
  if (RealStdout < 0 || ::dup2(Pipe[1], STDOUT_FILENO) < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return nullptr;
  }
  ::close(Pipe[1]);
  return std::unique_ptr<DocLinkFilter>(
      new DocLinkFilter(std::make_unique<Pump>(Pipe[0], RealStdout)));
}

DocLinkFilter::DocLinkFilter(std::unique_ptr<Pump> P) : ThePump(std::move(P)) {}

DocLinkFilter::~DocLinkFilter() {
  llvm::outs().flush();
  ::close(STDOUT_FILENO); // the pump sees end of input, forwards the rest, stops
  ThePump.reset();
}

} // namespace corotidy::clangd
