//===--- SarifMerge.cpp - merge the SARIF logs of CI shards ----------------===//

#include "Formats.h"

#include "llvm/ADT/StringMap.h"

namespace corotidy::output {

namespace {

llvm::Error invalid(llvm::StringRef Name, const llvm::Twine &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 Name + ": not a corotidy SARIF log: " + What);
}

/// The one run of a log, checked for the parts the merge relies on.
llvm::Expected<llvm::json::Object *> onlyRun(llvm::json::Value &Log,
                                             llvm::StringRef Name) {
  llvm::json::Object *Root = Log.getAsObject();
  if (!Root || Root->getString("version") != "2.1.0")
    return invalid(Name, "no \"version\": \"2.1.0\"");
  llvm::json::Array *Runs = Root->getArray("runs");
  if (!Runs || Runs->size() != 1 || !(*Runs)[0].getAsObject())
    return invalid(Name, "expected exactly one run");
  llvm::json::Object *Run = (*Runs)[0].getAsObject();
  llvm::json::Object *Tool = Run->getObject("tool");
  if (!Tool || !Tool->getObject("driver") || !Run->getArray("results"))
    return invalid(Name, "the run has no tool.driver or results");
  return Run;
}

} // namespace

llvm::Expected<llvm::json::Value>
mergeSarif(llvm::ArrayRef<std::pair<std::string, std::string>> NamedLogs) {
  std::optional<llvm::json::Value> Merged;
  llvm::json::Array Rules, Results;
  llvm::StringMap<unsigned> RuleIndex;
  for (const auto &[Name, Text] : NamedLogs) {
    llvm::Expected<llvm::json::Value> Log = llvm::json::parse(Text);
    if (!Log)
      return invalid(Name, llvm::toString(Log.takeError()));
    llvm::Expected<llvm::json::Object *> Run = onlyRun(*Log, Name);
    if (!Run)
      return Run.takeError();
    llvm::json::Object &Driver = *(*Run)->getObject("tool")->getObject("driver");
    // This log's rule index -> the merged one.
    std::vector<unsigned> Renumber;
    if (llvm::json::Array *LogRules = Driver.getArray("rules"))
      for (llvm::json::Value &Rule : *LogRules) {
        std::optional<llvm::StringRef> Id =
            Rule.getAsObject() ? Rule.getAsObject()->getString("id") : std::nullopt;
        if (!Id)
          return invalid(Name, "a rule without an id");
        auto [It, Inserted] = RuleIndex.try_emplace(*Id, Rules.size());
        if (Inserted)
          Rules.push_back(Rule);
        Renumber.push_back(It->second);
      }
    for (llvm::json::Value &Result : *(*Run)->getArray("results")) {
      llvm::json::Object *R = Result.getAsObject();
      if (!R)
        return invalid(Name, "a result that is not an object");
      if (std::optional<int64_t> Index = R->getInteger("ruleIndex")) {
        if (*Index < 0 || size_t(*Index) >= Renumber.size())
          return invalid(Name, "a ruleIndex out of range");
        (*R)["ruleIndex"] = Renumber[*Index];
      }
      Results.push_back(std::move(Result));
    }
    if (!Merged)
      Merged = std::move(*Log);
  }
  if (!Merged)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--merge-sarif: no input logs");
  llvm::json::Object &Run = *(*Merged->getAsObject()->getArray("runs"))[0].getAsObject();
  (*Run.getObject("tool")->getObject("driver"))["rules"] = std::move(Rules);
  Run["results"] = std::move(Results);
  return std::move(*Merged);
}

} // namespace corotidy::output
