//===--- ResultCache.cpp - a file's findings, kept until its inputs change -===//

#include "ResultCache.h"

#include "AtomicFile.h"
#include "FindingJson.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace corotidy::driver {

namespace {

constexpr llvm::StringLiteral EntryFormat = "corotidy-cache/1";
constexpr llvm::StringLiteral CostFormat = "corotidy-cost/1";

std::string hex128(llvm::StringRef Data) {
  llvm::XXH128_hash_t H = llvm::xxh3_128bits(
      llvm::ArrayRef(Data.bytes_begin(), Data.size()));
  return llvm::utohexstr(H.high64, /*LowerCase=*/true, 16) +
         llvm::utohexstr(H.low64, /*LowerCase=*/true, 16);
}

} // namespace

std::string hashParts(llvm::ArrayRef<std::string> Parts) {
  std::string Joined;
  for (const std::string &Part : Parts) {
    // Length-prefixed, so ("ab","c") and ("a","bc") differ.
    Joined += std::to_string(Part.size());
    Joined += ':';
    Joined += Part;
  }
  return hex128(Joined);
}

std::string ContentHashes::of(const std::string &Path) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (auto It = Known.find(Path); It != Known.end())
      return It->second;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  std::string Hash = Buffer ? hex128((*Buffer)->getBuffer()) : "";
  std::lock_guard<std::mutex> Guard(Lock);
  Known[Path] = Hash;
  return Hash;
}

ResultCache::ResultCache(std::string Dir) : Dir(std::move(Dir)) {}

std::string ResultCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Key.substr(0, 2), Key + ".json");
  return std::string(Path);
}

std::optional<CachedResult> ResultCache::lookup(const std::string &Key) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key));
  if (!Buffer)
    return std::nullopt;
  llvm::Expected<llvm::json::Value> Entry = llvm::json::parse((*Buffer)->getBuffer());
  if (!Entry) {
    llvm::consumeError(Entry.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *O = Entry->getAsObject();
  if (!O || O->getString("format") != EntryFormat || O->getString("key") != Key)
    return std::nullopt;
  const llvm::json::Array *Dependencies = O->getArray("dependencies");
  const llvm::json::Array *Findings = O->getArray("findings");
  std::optional<bool> ParseFailed = O->getBoolean("parseFailed");
  if (!Dependencies || Dependencies->empty() || !Findings || !ParseFailed)
    return std::nullopt;
  CachedResult Result;
  Result.ParseFailed = *ParseFailed;
  for (const llvm::json::Value &D : *Dependencies) {
    const llvm::json::Array *Pair = D.getAsArray();
    if (!Pair || Pair->size() != 2)
      return std::nullopt;
    std::optional<llvm::StringRef> Path = (*Pair)[0].getAsString();
    std::optional<llvm::StringRef> Hash = (*Pair)[1].getAsString();
    if (!Path || !Hash || Hash->empty() || Hashes.of(Path->str()) != *Hash)
      return std::nullopt; // changed, gone, or not an entry we wrote
    Result.Dependencies.push_back(Path->str());
  }
  for (const llvm::json::Value &F : *Findings) {
    std::optional<output::Finding> Finding = output::findingFromJson(F);
    if (!Finding)
      return std::nullopt;
    Result.Findings.push_back(std::move(*Finding));
  }
  return Result;
}

std::string ResultCache::costPath(const std::string &File) const {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, "costs", hashParts({File}) + ".cost");
  return std::string(Path);
}

std::optional<uint64_t> ResultCache::recordedCost(const std::string &File) const {
  auto Buffer = llvm::MemoryBuffer::getFile(costPath(File));
  if (!Buffer)
    return std::nullopt;
  // "corotidy-cost/1 <micros> <path>": the path guards against a collision.
  llvm::SmallVector<llvm::StringRef, 3> Fields;
  (*Buffer)->getBuffer().rtrim('\n').split(Fields, ' ', 2);
  uint64_t Micros;
  if (Fields.size() != 3 || Fields[0] != CostFormat || Fields[2] != File ||
      Fields[1].getAsInteger(10, Micros))
    return std::nullopt;
  return Micros;
}

void ResultCache::recordCost(const std::string &File, uint64_t Micros) {
  std::string Path = costPath(File);
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return;
  std::call_once(Marked, [this] { markDirectory(); });
  llvm::consumeError(writeFileAtomically(
      Path, (CostFormat + " " + llvm::Twine(Micros) + " " + File + "\n").str()));
}

void ResultCache::markDirectory() {
  llvm::SmallString<256> Tag(Dir), Ignore(Dir);
  llvm::sys::path::append(Tag, "CACHEDIR.TAG");
  llvm::sys::path::append(Ignore, ".gitignore");
  if (!llvm::sys::fs::exists(Tag))
    llvm::consumeError(writeFileAtomically(
        Tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
             "# This directory is corotidy's result cache (--cache-dir).\n"));
  if (!llvm::sys::fs::exists(Ignore))
    llvm::consumeError(writeFileAtomically(Ignore, "*\n"));
}

std::string ResultCache::store(const std::string &Key, const CachedResult &Result) {
  llvm::json::Array Dependencies, Findings;
  for (const std::string &Path : Result.Dependencies) {
    std::string Hash = Hashes.of(Path);
    if (Hash.empty())
      return ""; // a file gone already: nothing worth keeping
    Dependencies.push_back(llvm::json::Array{Path, Hash});
  }
  if (Dependencies.empty())
    return "";
  for (const output::Finding &F : Result.Findings)
    Findings.push_back(output::toJson(F));
  llvm::json::Object Entry{{"format", EntryFormat},
                           {"key", Key},
                           {"parseFailed", Result.ParseFailed},
                           {"dependencies", std::move(Dependencies)},
                           {"findings", std::move(Findings)}};
  std::string Path = entryPath(Key);
  if (std::error_code EC =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return Dir + ": " + EC.message();
  std::call_once(Marked, [this] { markDirectory(); });
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::json::Value(std::move(Entry));
  if (llvm::Error Err = writeFileAtomically(Path, Text))
    return Path + ": " + llvm::toString(std::move(Err));
  return "";
}

} // namespace corotidy::driver
