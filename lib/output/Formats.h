//===--- Formats.h - render a Report ---------------------------------------===//
#pragma once

#include "Finding.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace corotidy::output {

enum class Format { Text, Json, Sarif, Github, CodeClimate };
std::optional<Format> parseFormat(llvm::StringRef Name);

struct TextOptions {
  bool Color = false;
};

/// clang's layout: "file:line:col: warning: message [check]", the source line,
/// a caret under the range, and a fix-it line showing inserted text.
void renderText(const Report &R, llvm::raw_ostream &OS, TextOptions Options);
/// One JSON document: {"version", "findings": [...]}.
void renderJson(const Report &R, llvm::raw_ostream &OS);
/// SARIF 2.1.0, one run, rules from R.Checks, fixes as artifactChanges.
void renderSarif(const Report &R, llvm::raw_ostream &OS);
/// GitHub Actions workflow commands: "::warning file=...,line=...::msg".
void renderGithub(const Report &R, llvm::raw_ostream &OS);

/// GitLab's code quality report: a Code Climate issue array.
void renderCodeClimate(const Report &R, llvm::raw_ostream &OS);

/// The partialFingerprints key corotidy's fingerprints go under.
inline constexpr llvm::StringLiteral SarifFingerprintKey = "corotidy/v1";

/// Merges SARIF logs written by corotidy shards into one run: the union of
/// the rules (by id), every result with its ruleIndex renumbered, the first
/// log's tool. Errors name the file and what is wrong with it.
llvm::Expected<llvm::json::Value>
mergeSarif(llvm::ArrayRef<std::pair<std::string, std::string>> NamedLogs);

void render(Format F, const Report &R, llvm::raw_ostream &OS, TextOptions Options);

} // namespace corotidy::output
