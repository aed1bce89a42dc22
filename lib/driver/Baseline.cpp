//===--- Baseline.cpp - findings a team has accepted, by identity ----------===//

#include "Baseline.h"

#include "AtomicFile.h"
#include "ResultCache.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <set>

namespace corotidy::driver {

namespace {
constexpr llvm::StringLiteral BaselineFormat = "corotidy-baseline/1";
} // namespace

void assignFingerprints(std::vector<output::Finding> &Findings) {
  std::map<std::string, unsigned> Seen;
  for (output::Finding &F : Findings) {
    std::string Identity =
        hashParts({F.Check, F.Where.File, F.Function, F.Code});
    unsigned Ordinal = Seen[Identity]++;
    F.Fingerprint = hashParts({Identity, std::to_string(Ordinal)});
  }
}

llvm::Expected<Baseline> readBaseline(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "--baseline: %s: %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  auto Fail = [&](const llvm::Twine &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--baseline: " + Path + ": " + What);
  };
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse((*Buffer)->getBuffer());
  if (!Doc)
    return Fail(llvm::toString(Doc.takeError()));
  const llvm::json::Object *O = Doc->getAsObject();
  if (!O || O->getString("format") != BaselineFormat)
    return Fail("not a corotidy baseline (written by --write-baseline)");
  const llvm::json::Array *Findings = O->getArray("findings");
  if (!Findings)
    return Fail("no \"findings\" array");
  Baseline Known;
  for (const llvm::json::Value &F : *Findings) {
    const llvm::json::Object *Entry = F.getAsObject();
    std::optional<llvm::StringRef> Fingerprint =
        Entry ? Entry->getString("fingerprint") : std::nullopt;
    if (!Fingerprint)
      return Fail("a finding without a \"fingerprint\"");
    auto Field = [&](llvm::StringRef Name) {
      return Entry->getString(Name).value_or("").str();
    };
    Known[Fingerprint->str()] = {Field("check"), Field("file"), Field("function"),
                                 Field("message")};
  }
  return Known;
}

llvm::Error writeBaseline(llvm::StringRef Path,
                          const std::vector<output::Finding> &Findings,
                          llvm::StringRef ToolVersion) {
  llvm::json::Array Entries;
  for (const output::Finding &F : Findings)
    if (F.BaselineState != output::Finding::Baseline::Absent)
      Entries.push_back(llvm::json::Object{{"fingerprint", F.Fingerprint},
                                         {"check", F.Check},
                                         {"file", F.Where.File},
                                         {"function", F.Function},
                                         {"message", F.Message}});
  std::string Text;
  llvm::raw_string_ostream(Text)
      << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                    {"format", BaselineFormat},
                                    {"tool", ToolVersion},
                                    {"findings", std::move(Entries)}}))
      << "\n";
  return writeFileAtomically(Path, Text);
}

size_t markBaselined(std::vector<output::Finding> &Findings, const Baseline &Known) {
  size_t Unchanged = 0;
  for (output::Finding &F : Findings) {
    bool Old = Known.count(F.Fingerprint);
    F.BaselineState = Old ? output::Finding::Baseline::Unchanged
                          : output::Finding::Baseline::New;
    Unchanged += Old;
  }
  return Unchanged;
}

std::vector<output::Finding>
absentFindings(const Baseline &Known, const std::vector<output::Finding> &Findings,
               llvm::function_ref<bool(llvm::StringRef, llvm::StringRef)> Covered) {
  std::set<llvm::StringRef> Found;
  for (const output::Finding &F : Findings)
    Found.insert(F.Fingerprint);
  std::vector<output::Finding> Absent;
  for (const auto &[Fingerprint, Entry] : Known) {
    if (Found.count(Fingerprint) || Entry.File.empty() || Entry.Check.empty() ||
        !Covered(Entry.File, Entry.Check))
      continue;
    output::Finding F;
    F.Check = Entry.Check;
    F.Where.File = Entry.File;
    F.Function = Entry.Function;
    F.Message = Entry.Message;
    F.Fingerprint = Fingerprint;
    F.BaselineState = output::Finding::Baseline::Absent;
    Absent.push_back(std::move(F));
  }
  return Absent;
}

} // namespace corotidy::driver
