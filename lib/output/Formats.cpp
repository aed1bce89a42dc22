//===--- Formats.cpp - text, JSON, SARIF and GitHub renderers --------------===//

#include "Formats.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

namespace corotidy::output {

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(llvm::StringRef Name) {
  if (Name == "note")
    return Severity::Note;
  if (Name == "warning")
    return Severity::Warning;
  if (Name == "error")
    return Severity::Error;
  return std::nullopt;
}

std::optional<Format> parseFormat(llvm::StringRef Name) {
  if (Name == "text")
    return Format::Text;
  if (Name == "json")
    return Format::Json;
  if (Name == "sarif")
    return Format::Sarif;
  if (Name == "github")
    return Format::Github;
  if (Name == "codeclimate")
    return Format::CodeClimate;
  return std::nullopt;
}

// --- text ------------------------------------------------------------------

namespace {

void writeCaret(const Location &L, llvm::raw_ostream &OS, bool Color) {
  if (L.SourceLine.empty() || L.Begin.Column == 0)
    return;
  OS << L.SourceLine << "\n";
  std::string Caret;
  // Copy tabs so the caret lines up under tab-indented code.
  for (unsigned I = 0; I + 1 < L.Begin.Column && I < L.SourceLine.size(); ++I)
    Caret += L.SourceLine[I] == '\t' ? '\t' : ' ';
  Caret += '^';
  if (L.End.Line == L.Begin.Line && L.End.Column > L.Begin.Column + 1)
    Caret.append(L.End.Column - L.Begin.Column - 1, '~');
  if (Color)
    OS.changeColor(llvm::raw_ostream::GREEN, true);
  OS << Caret;
  if (Color)
    OS.resetColor();
  OS << "\n";
}

void writeFixLine(const Finding &F, llvm::raw_ostream &OS, bool Color) {
  // Like clang, show the fix-it text on the diagnostic's line only.
  for (const Replacement &R : F.Fixes) {
    if (R.File != F.Where.File || R.Begin.Line != F.Where.Begin.Line ||
        R.Text.find('\n') != std::string::npos)
      continue;
    std::string Line(R.Begin.Column > 0 ? R.Begin.Column - 1 : 0, ' ');
    for (unsigned I = 0; I < Line.size() && I < F.Where.SourceLine.size(); ++I)
      if (F.Where.SourceLine[I] == '\t')
        Line[I] = '\t';
    if (Color)
      OS.changeColor(llvm::raw_ostream::GREEN);
    OS << Line << R.Text;
    if (Color)
      OS.resetColor();
    OS << "\n";
  }
}

void writeHeader(const Location &L, Severity Level, llvm::StringRef Message,
                 llvm::StringRef Check, llvm::raw_ostream &OS, bool Color) {
  if (Color)
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << L.File;
  if (L.Begin.Line)
    OS << ":" << L.Begin.Line << ":" << L.Begin.Column;
  OS << ": ";
  if (Color)
    OS.changeColor(Level == Severity::Error     ? llvm::raw_ostream::RED
                   : Level == Severity::Warning ? llvm::raw_ostream::MAGENTA
                                                : llvm::raw_ostream::BLACK,
                   true);
  OS << severityName(Level) << ": ";
  if (Color)
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
  OS << Message;
  if (!Check.empty())
    OS << " [" << Check << "]";
  if (Color)
    OS.resetColor();
  OS << "\n";
}

} // namespace

void renderText(const Report &R, llvm::raw_ostream &OS, TextOptions Options) {
  for (const Finding &F : R.Findings) {
    writeHeader(F.Where, F.Level, F.Message, F.Check, OS, Options.Color);
    writeCaret(F.Where, OS, Options.Color);
    writeFixLine(F, OS, Options.Color);
    for (const Note &N : F.Notes) {
      writeHeader(N.Where, Severity::Note, N.Message, "", OS, Options.Color);
      writeCaret(N.Where, OS, Options.Color);
    }
  }
}

// --- JSON ------------------------------------------------------------------

namespace {
llvm::json::Object jsonLocation(const Location &L) {
  return llvm::json::Object{{"file", L.File},
                            {"line", L.Begin.Line},
                            {"column", L.Begin.Column},
                            {"endLine", L.End.Line},
                            {"endColumn", L.End.Column}};
}
} // namespace

void renderJson(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Findings;
  for (const Finding &F : R.Findings) {
    llvm::json::Array Notes, Fixes;
    for (const Note &N : F.Notes)
      Notes.push_back(llvm::json::Object{{"message", N.Message},
                                         {"location", jsonLocation(N.Where)}});
    for (const Replacement &Rep : F.Fixes)
      Fixes.push_back(llvm::json::Object{{"file", Rep.File},
                                         {"offset", Rep.Offset},
                                         {"length", Rep.Length},
                                         {"line", Rep.Begin.Line},
                                         {"column", Rep.Begin.Column},
                                         {"text", Rep.Text}});
    Findings.push_back(llvm::json::Object{
        {"check", F.Check},
        {"severity", severityName(F.Level)},
        {"message", F.Message},
        {"location", jsonLocation(F.Where)},
        {"notes", std::move(Notes)},
        {"fixes", std::move(Fixes)}});
  }
  OS << llvm::formatv("{0:2}",
                      llvm::json::Value(llvm::json::Object{
                          {"version", R.ToolVersion},
                          {"findings", std::move(Findings)}}))
     << "\n";
}

// --- SARIF 2.1.0 -------------------------------------------------------------

namespace {

/// SARIF wants URIs: relative to the working directory where possible (what
/// code scanning expects), else a file:// URI.
std::string sarifUri(llvm::StringRef File) {
  llvm::SmallString<256> Abs(File);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, true);
  llvm::SmallString<256> Cwd;
  if (!llvm::sys::fs::current_path(Cwd)) {
    llvm::StringRef Rel = Abs.str();
    if (Rel.consume_front(Cwd) && Rel.consume_front("/"))
      return Rel.str();
  }
  std::string Uri = "file://";
  for (char C : Abs) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C))
      Uri += C;
    else
      Uri += llvm::formatv("%{0:X2}", (unsigned char)C).str();
  }
  return Uri;
}

llvm::StringRef sarifLevel(Severity S) {
  return S == Severity::Error ? "error" : S == Severity::Warning ? "warning" : "note";
}

llvm::json::Object sarifRegion(Position Begin, Position End) {
  llvm::json::Object Region{{"startLine", Begin.Line},
                            {"startColumn", Begin.Column}};
  if (End.Line >= Begin.Line && End.Line) {
    Region["endLine"] = End.Line;
    Region["endColumn"] = std::max(End.Column, 1u);
  }
  return Region;
}

llvm::json::Object sarifPhysical(const Location &L) {
  llvm::json::Object Phys{
      {"artifactLocation", llvm::json::Object{{"uri", sarifUri(L.File)}}}};
  if (L.Begin.Line)
    Phys["region"] = sarifRegion(L.Begin, L.End);
  return Phys;
}

/// With --baseline: "new", "unchanged" (suppressed by the baseline, so code
/// scanning shows it as such), or "absent" (a baseline entry no longer found:
/// a "pass" result at its file and function, no line).
void addBaselineState(const Finding &F, llvm::json::Object &Result) {
  switch (F.BaselineState) {
  case Finding::Baseline::None:
    return;
  case Finding::Baseline::New:
    Result["baselineState"] = "new";
    return;
  case Finding::Baseline::Unchanged:
    Result["baselineState"] = "unchanged";
    Result["suppressions"] = llvm::json::Array{llvm::json::Object{
        // No status: the schema's copies disagree on its name ("state" or
        // "status"), and a suppression without one counts as accepted.
        {"kind", "external"},
        {"justification", "in the corotidy baseline (--baseline)"}}};
    return;
  case Finding::Baseline::Absent:
    Result["baselineState"] = "absent";
    Result["kind"] = "pass";
    Result["level"] = "none";
    if (!F.Function.empty())
      Result["locations"] = llvm::json::Array{llvm::json::Object{
          {"physicalLocation", sarifPhysical(F.Where)},
          {"logicalLocations",
           llvm::json::Array{llvm::json::Object{{"fullyQualifiedName", F.Function},
                                                {"kind", "function"}}}}}};
    return;
  }
}

} // namespace

void renderSarif(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Rules;
  llvm::StringMap<unsigned> RuleIndex;
  for (const CheckInfo &C : R.Checks) {
    RuleIndex[C.Id] = Rules.size();
    llvm::json::Object Rule{
        {"id", C.Id},
        {"name", C.Id},
        {"shortDescription", llvm::json::Object{{"text", C.Summary}}},
        {"defaultConfiguration",
         llvm::json::Object{{"level", sarifLevel(C.DefaultLevel)}}}};
    if (!C.HelpUri.empty())
      Rule["helpUri"] = C.HelpUri;
    Rules.push_back(std::move(Rule));
  }
  llvm::json::Array Results;
  for (const Finding &F : R.Findings) {
    llvm::json::Object Result{
        {"ruleId", F.Check},
        {"level", sarifLevel(F.Level)},
        {"message", llvm::json::Object{{"text", F.Message}}},
        {"locations",
         llvm::json::Array{
             llvm::json::Object{{"physicalLocation", sarifPhysical(F.Where)}}}}};
    if (auto It = RuleIndex.find(F.Check); It != RuleIndex.end())
      Result["ruleIndex"] = It->second;
    if (!F.Fingerprint.empty())
      Result["partialFingerprints"] =
          llvm::json::Object{{SarifFingerprintKey, F.Fingerprint}};
    addBaselineState(F, Result);
    if (!F.Notes.empty()) {
      llvm::json::Array Related;
      for (const Note &N : F.Notes)
        Related.push_back(llvm::json::Object{
            {"id", Related.size()},
            {"message", llvm::json::Object{{"text", N.Message}}},
            {"physicalLocation", sarifPhysical(N.Where)}});
      Result["relatedLocations"] = std::move(Related);
    }
    if (!F.Fixes.empty()) {
      // One artifactChange per file, replacements in order.
      llvm::StringMap<llvm::json::Array> PerFile;
      std::vector<std::string> Order;
      for (const Replacement &Rep : F.Fixes) {
        if (!PerFile.count(Rep.File))
          Order.push_back(Rep.File);
        PerFile[Rep.File].push_back(llvm::json::Object{
            {"deletedRegion", sarifRegion(Rep.Begin, Rep.End)},
            {"insertedContent", llvm::json::Object{{"text", Rep.Text}}}});
      }
      llvm::json::Array Changes;
      for (const std::string &File : Order)
        Changes.push_back(llvm::json::Object{
            {"artifactLocation", llvm::json::Object{{"uri", sarifUri(File)}}},
            {"replacements", std::move(PerFile[File])}});
      Result["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description", llvm::json::Object{{"text", "apply the fix-it"}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Results.push_back(std::move(Result));
  }
  llvm::json::Object Driver{{"name", "corotidy"},
                            {"version", R.ToolVersion},
                            {"informationUri", "https://corotidy.dev"},
                            {"rules", std::move(Rules)}};
  llvm::json::Object Sarif{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{llvm::json::Object{
                   {"tool", llvm::json::Object{{"driver", std::move(Driver)}}},
                   {"columnKind", "utf16CodeUnits"},
                   {"results", std::move(Results)}}}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Sarif))) << "\n";
}

// --- GitHub Actions ------------------------------------------------------------

namespace {
// Workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
std::string escapeData(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '%')
      Out += "%25";
    else if (C == '\r')
      Out += "%0D";
    else if (C == '\n')
      Out += "%0A";
    else
      Out += C;
  }
  return Out;
}
std::string escapeProperty(llvm::StringRef S) {
  std::string Out;
  for (char C : escapeData(S)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}
} // namespace

void renderGithub(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings) {
    llvm::StringRef Command = F.Level == Severity::Error     ? "error"
                              : F.Level == Severity::Warning ? "warning"
                                                             : "notice";
    OS << "::" << Command << " file=" << escapeProperty(sarifUri(F.Where.File));
    if (F.Where.Begin.Line) {
      OS << ",line=" << F.Where.Begin.Line << ",col=" << F.Where.Begin.Column;
      if (F.Where.End.Line)
        OS << ",endLine=" << F.Where.End.Line;
    }
    OS << ",title=" << escapeProperty(F.Check) << "::"
       << escapeData(F.Message + " [" + F.Check + "]") << "\n";
  }
}

// --- GitLab code quality (Code Climate JSON) ------------------------------------

void renderCodeClimate(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Issues;
  for (const Finding &F : R.Findings) {
    llvm::StringRef Level = F.Level == Severity::Error     ? "major"
                            : F.Level == Severity::Warning ? "minor"
                                                           : "info";
    Issues.push_back(llvm::json::Object{
        {"type", "issue"},
        {"check_name", F.Check},
        {"description", F.Message},
        {"categories", llvm::json::Array{F.IsCompilerError() ? "Bug Risk" : "Performance"}},
        {"severity", Level},
        {"fingerprint", F.Fingerprint},
        {"location",
         llvm::json::Object{
             {"path", sarifUri(F.Where.File)},
             {"lines", llvm::json::Object{{"begin", std::max(F.Where.Begin.Line, 1u)},
                                          {"end", std::max(F.Where.End.Line, std::max(F.Where.Begin.Line, 1u))}}}}}});
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Issues))) << "\n";
}

void render(Format F, const Report &R, llvm::raw_ostream &OS,
            TextOptions Options) {
  switch (F) {
  case Format::Text:
    return renderText(R, OS, Options);
  case Format::Json:
    return renderJson(R, OS);
  case Format::Sarif:
    return renderSarif(R, OS);
  case Format::Github:
    return renderGithub(R, OS);
  case Format::CodeClimate:
    return renderCodeClimate(R, OS);
  }
}

} // namespace corotidy::output
