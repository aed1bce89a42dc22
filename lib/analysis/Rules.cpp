//===--- Rules.cpp - parse and merge the rules data ------------------------===//

#include "Rules.h"
#include "RulesYAML.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

#include <algorithm>
#include <mutex>

using namespace corotidy;

LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::TaskTypeRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::SpawnRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::FrameworkRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::BlockingRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::CategoryRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::CheckMetadata)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::LockGuardRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::MutexRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(corotidy::ConnectionRule)

namespace llvm::yaml {

template <> struct ScalarEnumerationTraits<Laziness> {
  static void enumeration(IO &Io, Laziness &L) {
    Io.enumCase(L, "unknown", Laziness::Unknown);
    Io.enumCase(L, "lazy", Laziness::Lazy);
    Io.enumCase(L, "eager", Laziness::Eager);
  }
};

template <> struct MappingTraits<TaskTypeRule> {
  static void mapping(IO &Io, TaskTypeRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("Laziness", R.Lazy, Laziness::Unknown);
  }
};

template <> struct MappingTraits<SpawnRule> {
  static void mapping(IO &Io, SpawnRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("HandlerArg", R.HandlerArg);
    Io.mapOptional("DetachedTokens", R.DetachedTokens, decltype(R.DetachedTokens){});
    Io.mapOptional("Scoped", R.Scoped, false);
    Io.mapOptional("ErrorsInResult", R.ErrorsInResult, false);
  }
};

template <> struct MappingTraits<WhenAllRule> {
  static void mapping(IO &Io, WhenAllRule &R) {
    Io.mapOptional("Function", R.Function, decltype(R.Function){});
    Io.mapOptional("Header", R.Header, decltype(R.Header){});
    Io.mapOptional("Style", R.Style, std::string("call"));
    Io.mapOptional("UsingDirective", R.UsingDirective, decltype(R.UsingDirective){});
    Io.mapOptional("BoundedFunction", R.BoundedFunction, decltype(R.BoundedFunction){});
    Io.mapOptional("BoundedHeader", R.BoundedHeader, decltype(R.BoundedHeader){});
  }
  static std::string validate(IO &, WhenAllRule &R) {
    if (R.Style != "call" && R.Style != "operator-and")
      return "WhenAll.Style must be 'call' or 'operator-and'";
    return "";
  }
};

template <> struct MappingTraits<FrameworkRule> {
  static void mapping(IO &Io, FrameworkRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("TaskTypes", R.TaskTypes, decltype(R.TaskTypes){});
    Io.mapOptional("Combinators", R.Combinators, decltype(R.Combinators){});
    Io.mapOptional("BoundedCombinators", R.BoundedCombinators, decltype(R.BoundedCombinators){});
    Io.mapOptional("SpawnFunctions", R.SpawnFunctions, decltype(R.SpawnFunctions){});
    Io.mapOptional("OffloadFunctions", R.OffloadFunctions, decltype(R.OffloadFunctions){});
    Io.mapOptional("OrderingPrimitives", R.OrderingPrimitives, decltype(R.OrderingPrimitives){});
    Io.mapOptional("Limiters", R.Limiters, decltype(R.Limiters){});
    Io.mapOptional("Scopes", R.Scopes, decltype(R.Scopes){});
    Io.mapOptional("ReadinessFunctions", R.ReadinessFunctions,
                   decltype(R.ReadinessFunctions){});
    Io.mapOptional("WhenAll", R.WhenAll, decltype(R.WhenAll){});
    Io.mapOptional("AcceptsAsyncrtAwaitables", R.AcceptsAsyncrtAwaitables,
                   false);
  }
};

template <> struct MappingTraits<BlockingRule> {
  static void mapping(IO &Io, BlockingRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapRequired("Category", R.Category);
    Io.mapOptional("Alternative", R.Alternative, decltype(R.Alternative){});
    Io.mapOptional("Fix", R.Fix, decltype(R.Fix){});
    Io.mapOptional("Header", R.Header, decltype(R.Header){});
    Io.mapOptional("Constructor", R.Constructor, false);
    Io.mapOptional("NonBlockingArguments", R.NonBlockingArguments,
                   decltype(R.NonBlockingArguments){});
    Io.mapOptional("ByParameter", R.ByParameter, decltype(R.ByParameter){});
  }
};

template <> struct MappingTraits<LockGuardRule> {
  static void mapping(IO &Io, LockGuardRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("Acquire", R.Acquire, decltype(R.Acquire){});
    Io.mapOptional("Release", R.Release, decltype(R.Release){});
    Io.mapOptional("DeferTags", R.DeferTags, decltype(R.DeferTags){});
  }
};

template <> struct MappingTraits<MutexRule> {
  static void mapping(IO &Io, MutexRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("Acquire", R.Acquire, decltype(R.Acquire){});
    Io.mapOptional("Release", R.Release, decltype(R.Release){});
  }
};

template <> struct MappingTraits<ConnectionRule> {
  static void mapping(IO &Io, ConnectionRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("Description", R.Description, decltype(R.Description){});
    Io.mapOptional("Constructor", R.Constructor, false);
    Io.mapOptional("HandleArg", R.HandleArg);
    Io.mapOptional("WithCalls", R.WithCalls, decltype(R.WithCalls){});
  }
};

template <> struct MappingTraits<CategoryRule> {
  static void mapping(IO &Io, CategoryRule &R) {
    Io.mapRequired("Name", R.Name);
    Io.mapOptional("Description", R.Description, decltype(R.Description){});
    Io.mapOptional("Alternative", R.Alternative, decltype(R.Alternative){});
    Io.mapOptional("Fix", R.Fix, decltype(R.Fix){});
    Io.mapOptional("Header", R.Header, decltype(R.Header){});
  }
};

template <> struct MappingTraits<InferenceRule> {
  static void mapping(IO &Io, InferenceRule &R) {
    Io.mapOptional("AcquisitionNames", R.AcquisitionNames, decltype(R.AcquisitionNames){});
    Io.mapOptional("ReleaseNames", R.ReleaseNames, decltype(R.ReleaseNames){});
    Io.mapOptional("NonJoinNames", R.NonJoinNames, decltype(R.NonJoinNames){});
    Io.mapOptional("Off", R.Off, decltype(R.Off){});
  }
};

template <> struct MappingTraits<CheckMetadata> {
  static void mapping(IO &Io, CheckMetadata &R) {
    Io.mapRequired("Id", R.Id);
    Io.mapOptional("Severity", R.Severity, std::string("warning"));
    Io.mapOptional("Summary", R.Summary, decltype(R.Summary){});
    Io.mapOptional("Explanation", R.Explanation, decltype(R.Explanation){});
    Io.mapOptional("Doc", R.Doc, decltype(R.Doc){});
  }
  static std::string validate(IO &, CheckMetadata &R) {
    if (R.Severity != "note" && R.Severity != "warning" && R.Severity != "error")
      return "Severity must be note, warning or error";
    return "";
  }
};

// A rules file is a mapping with any of these keys; checks/*.yaml hold one
// "Check:" entry each.
void MappingTraits<RuleSet>::mapping(IO &Io, RuleSet &Set) {
  Io.mapOptional("Frameworks", Set.Frameworks);
  Io.mapOptional("BlockingFunctions", Set.Blocking);
  Io.mapOptional("RemoveBlockingFunctions", Set.RemoveBlocking);
  Io.mapOptional("Categories", Set.Categories);
  Io.mapOptional("Checks", Set.Checks);
  Io.mapOptional("LockGuards", Set.LockGuards);
  Io.mapOptional("Mutexes", Set.Mutexes);
  Io.mapOptional("Connections", Set.Connections);
  if (!Io.outputting() || !Set.Inference.AcquisitionNames.empty() ||
      !Set.Inference.ReleaseNames.empty() || !Set.Inference.NonJoinNames.empty() ||
      !Set.Inference.Off.empty())
    Io.mapOptional("Inference", Set.Inference);
  if (!Io.outputting()) {
    CheckMetadata Single;
    Io.mapOptional("Check", Single);
    if (!Single.Id.empty())
      Set.Checks.push_back(std::move(Single));
  }
}

std::string MappingTraits<RuleSet>::validate(IO &, RuleSet &Set) {
  for (const BlockingRule &B : Set.Blocking)
    if (B.Category.empty())
      return "blocking function '" + B.Name + "' has no category";
  return "";
}

} // namespace llvm::yaml

namespace {

template <typename T>
void appendAll(std::vector<T> &To, std::vector<T> &&From) {
  To.insert(To.end(), std::make_move_iterator(From.begin()),
            std::make_move_iterator(From.end()));
}

void mergeFramework(FrameworkRule &Into, FrameworkRule &&From) {
  appendAll(Into.TaskTypes, std::move(From.TaskTypes));
  appendAll(Into.Combinators, std::move(From.Combinators));
  appendAll(Into.BoundedCombinators, std::move(From.BoundedCombinators));
  appendAll(Into.SpawnFunctions, std::move(From.SpawnFunctions));
  appendAll(Into.OffloadFunctions, std::move(From.OffloadFunctions));
  appendAll(Into.OrderingPrimitives, std::move(From.OrderingPrimitives));
  appendAll(Into.Limiters, std::move(From.Limiters));
  appendAll(Into.Scopes, std::move(From.Scopes));
  appendAll(Into.ReadinessFunctions, std::move(From.ReadinessFunctions));
  if (!From.WhenAll.Function.empty())
    Into.WhenAll = std::move(From.WhenAll);
  Into.AcceptsAsyncrtAwaitables |= From.AcceptsAsyncrtAwaitables;
}

llvm::StringRef withoutGlobalQualifier(llvm::StringRef Name) {
  Name.consume_front("::");
  return Name;
}

std::string &rulesDirectory() {
  static std::string Dir;
  return Dir;
}

// Defined in the generated EmbeddedRules.cpp: (file name, contents) pairs.
} // namespace

namespace corotidy {
struct EmbeddedRulesFile {
  const char *Name;
  const char *Text;
};
extern const EmbeddedRulesFile EmbeddedRules[];
extern const unsigned NumEmbeddedRules;
} // namespace corotidy

void RuleSet::merge(RuleSet Overlay) {
  for (FrameworkRule &F : Overlay.Frameworks) {
    auto It = std::find_if(Frameworks.begin(), Frameworks.end(),
                           [&](const FrameworkRule &Existing) {
                             return Existing.Name == F.Name;
                           });
    if (It == Frameworks.end())
      Frameworks.push_back(std::move(F));
    else
      mergeFramework(*It, std::move(F));
  }
  // Later entries win for the same name: drop the earlier ones.
  for (BlockingRule &B : Overlay.Blocking)
    std::erase_if(Blocking, [&](const BlockingRule &Existing) {
      return withoutGlobalQualifier(Existing.Name) ==
             withoutGlobalQualifier(B.Name);
    });
  appendAll(Blocking, std::move(Overlay.Blocking));
  for (CategoryRule &C : Overlay.Categories) {
    std::erase_if(Categories,
                  [&](const CategoryRule &E) { return E.Name == C.Name; });
    Categories.push_back(std::move(C));
  }
  for (CheckMetadata &C : Overlay.Checks) {
    std::erase_if(Checks, [&](const CheckMetadata &E) { return E.Id == C.Id; });
    Checks.push_back(std::move(C));
  }
  for (const std::string &Removed : Overlay.RemoveBlocking)
    std::erase_if(Blocking, [&](const BlockingRule &B) {
      return withoutGlobalQualifier(B.Name) == withoutGlobalQualifier(Removed);
    });
  appendAll(RemoveBlocking, std::move(Overlay.RemoveBlocking));
  appendAll(LockGuards, std::move(Overlay.LockGuards));
  appendAll(Mutexes, std::move(Overlay.Mutexes));
  appendAll(Connections, std::move(Overlay.Connections));
  appendAll(Inference.AcquisitionNames,
            std::move(Overlay.Inference.AcquisitionNames));
  appendAll(Inference.ReleaseNames, std::move(Overlay.Inference.ReleaseNames));
  appendAll(Inference.NonJoinNames, std::move(Overlay.Inference.NonJoinNames));
  appendAll(Inference.Off, std::move(Overlay.Inference.Off));
}

const FrameworkRule *RuleSet::framework(llvm::StringRef Name) const {
  for (const FrameworkRule &F : Frameworks)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

const CategoryRule *RuleSet::category(llvm::StringRef Name) const {
  for (const CategoryRule &C : Categories)
    if (C.Name == Name)
      return &C;
  return nullptr;
}

const CheckMetadata *RuleSet::check(llvm::StringRef Id) const {
  for (const CheckMetadata &C : Checks)
    if (C.Id == Id)
      return &C;
  return nullptr;
}

llvm::Expected<RuleSet> corotidy::parseRules(llvm::StringRef Yaml,
                                             llvm::StringRef Source) {
  RuleSet Set;
  std::string Diagnostics;
  auto Buffer = llvm::MemoryBufferRef(Yaml, Source);
  llvm::yaml::Input In(
      Buffer, /*Ctxt=*/nullptr,
      [](const llvm::SMDiagnostic &D, void *Out) {
        llvm::raw_string_ostream OS(*static_cast<std::string *>(Out));
        OS << D.getFilename() << ":" << D.getLineNo() << ":"
           << (D.getColumnNo() + 1) << ": " << D.getMessage();
      },
      &Diagnostics);
  if (!Yaml.trim().empty())
    In >> Set;
  if (In.error())
    return llvm::createStringError(
        In.error(), Diagnostics.empty() ? Source.str() + ": invalid rules YAML"
                                        : Diagnostics);
  return std::move(Set);
}

std::string corotidy::serializeRules(const RuleSet &Set) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  llvm::yaml::Output Out(OS, nullptr, /*WrapColumn=*/0);
  Out << const_cast<RuleSet &>(Set);
  return Text;
}

void corotidy::setRulesDirectory(std::string Dir) {
  rulesDirectory() = std::move(Dir);
}

namespace {

llvm::Expected<RuleSet> loadDirectory(llvm::StringRef Dir) {
  // Files in a fixed order so that merges are deterministic.
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End;
       It != End && !EC; It.increment(EC))
    if (llvm::sys::path::extension(It->path()) == ".yaml")
      Files.push_back(It->path());
  if (EC)
    return llvm::createStringError(EC, "cannot read rules directory %s",
                                   Dir.str().c_str());
  std::sort(Files.begin(), Files.end());
  RuleSet All;
  for (const std::string &File : Files) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer)
      return llvm::createStringError(Buffer.getError(), "cannot read %s",
                                     File.c_str());
    auto Parsed = parseRules((*Buffer)->getBuffer(), File);
    if (!Parsed)
      return Parsed.takeError();
    All.merge(std::move(*Parsed));
  }
  return std::move(All);
}

llvm::Expected<RuleSet> loadEmbedded() {
  RuleSet All;
  for (unsigned I = 0; I < NumEmbeddedRules; ++I) {
    auto Parsed = parseRules(EmbeddedRules[I].Text, EmbeddedRules[I].Name);
    if (!Parsed)
      return Parsed.takeError();
    All.merge(std::move(*Parsed));
  }
  return std::move(All);
}

} // namespace

llvm::Expected<std::shared_ptr<const RuleSet>> corotidy::builtinRules() {
  static std::mutex Lock;
  static std::shared_ptr<const RuleSet> Cached;
  static std::string CachedFor = "\x01";
  std::lock_guard<std::mutex> Guard(Lock);
  const std::string &Dir = rulesDirectory();
  if (Cached && CachedFor == Dir)
    return Cached;
  llvm::Expected<RuleSet> Loaded =
      !Dir.empty() && llvm::sys::fs::is_directory(Dir) ? loadDirectory(Dir)
                                                       : loadEmbedded();
  if (!Loaded)
    return Loaded.takeError();
  Cached = std::make_shared<const RuleSet>(std::move(*Loaded));
  CachedFor = Dir;
  return Cached;
}
