//===--- FindingJson.cpp - findings to JSON and back -----------------------===//

#include "FindingJson.h"

namespace corotidy::output {

namespace {

bool hasFields(const llvm::json::Value &V, std::initializer_list<const char *> Keys) {
  const llvm::json::Object *O = V.getAsObject();
  return O && llvm::all_of(Keys, [&](const char *K) { return O->get(K); });
}

bool readUnsigned(const llvm::json::Value *V, unsigned &Out) {
  std::optional<int64_t> I = V ? V->getAsInteger() : std::nullopt;
  if (!I || *I < 0 || *I > int64_t(UINT32_MAX))
    return false;
  Out = unsigned(*I);
  return true;
}

llvm::json::Value toJson(Position P) { return llvm::json::Array{P.Line, P.Column}; }

bool fromJson(const llvm::json::Value &V, Position &P, llvm::json::Path) {
  const llvm::json::Array *A = V.getAsArray();
  return A && A->size() == 2 && readUnsigned(&(*A)[0], P.Line) &&
         readUnsigned(&(*A)[1], P.Column);
}

llvm::json::Value toJson(const Location &L) {
  return llvm::json::Object{{"file", L.File},
                            {"offset", L.Offset},
                            {"begin", toJson(L.Begin)},
                            {"end", toJson(L.End)},
                            {"line", L.SourceLine}};
}

bool fromJson(const llvm::json::Value &V, Location &L, llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && O.map("file", L.File) && O.map("line", L.SourceLine) &&
         readUnsigned(V.getAsObject()->get("offset"), L.Offset) &&
         hasFields(V, {"begin", "end"}) &&
         fromJson(*V.getAsObject()->get("begin"), L.Begin, Path.field("begin")) &&
         fromJson(*V.getAsObject()->get("end"), L.End, Path.field("end"));
}


} // namespace

llvm::json::Value toJson(const Finding &F) {
  llvm::json::Array Notes, Fixes;
  for (const Note &N : F.Notes)
    Notes.push_back(llvm::json::Object{{"where", toJson(N.Where)},
                                       {"message", N.Message}});
  for (const Replacement &R : F.Fixes)
    Fixes.push_back(llvm::json::Object{{"file", R.File},
                                       {"offset", R.Offset},
                                       {"length", R.Length},
                                       {"begin", toJson(R.Begin)},
                                       {"end", toJson(R.End)},
                                       {"text", R.Text}});
  return llvm::json::Object{{"check", F.Check},
                            {"level", severityName(F.Level)},
                            {"where", toJson(F.Where)},
                            {"message", F.Message},
                            {"notes", std::move(Notes)},
                            {"fixes", std::move(Fixes)},
                            {"function", F.Function},
                            {"code", F.Code}};
}

std::optional<Finding> findingFromJson(const llvm::json::Value &V) {
  llvm::json::Path::Root Root;
  llvm::json::Path Path(Root);
  if (!hasFields(V, {"check", "level", "where", "message", "notes", "fixes",
                     "function", "code"}))
    return std::nullopt;
  const llvm::json::Object &O = *V.getAsObject();
  Finding F;
  std::string Level;
  llvm::json::ObjectMapper M(V, Path);
  if (!M.map("check", F.Check) || !M.map("level", Level) ||
      !M.map("message", F.Message) || !M.map("function", F.Function) ||
      !M.map("code", F.Code) || !fromJson(*O.get("where"), F.Where, Path))
    return std::nullopt;
  std::optional<Severity> S = parseSeverity(Level);
  if (!S)
    return std::nullopt;
  F.Level = *S;
  const llvm::json::Array *Notes = O.getArray("notes");
  const llvm::json::Array *Fixes = O.getArray("fixes");
  if (!Notes || !Fixes)
    return std::nullopt;
  for (const llvm::json::Value &N : *Notes) {
    Note Out;
    llvm::json::ObjectMapper NM(N, Path);
    if (!hasFields(N, {"where", "message"}) || !NM.map("message", Out.Message) ||
        !fromJson(*N.getAsObject()->get("where"), Out.Where, Path))
      return std::nullopt;
    F.Notes.push_back(std::move(Out));
  }
  for (const llvm::json::Value &R : *Fixes) {
    Replacement Out;
    llvm::json::ObjectMapper RM(R, Path);
    if (!hasFields(R, {"file", "offset", "length", "begin", "end", "text"}) ||
        !RM.map("file", Out.File) ||
        !readUnsigned(R.getAsObject()->get("offset"), Out.Offset) ||
        !readUnsigned(R.getAsObject()->get("length"), Out.Length) ||
        !RM.map("text", Out.Text) ||
        !fromJson(*R.getAsObject()->get("begin"), Out.Begin, Path) ||
        !fromJson(*R.getAsObject()->get("end"), Out.End, Path))
      return std::nullopt;
    F.Fixes.push_back(std::move(Out));
  }
  return F;
}

} // namespace corotidy::output
