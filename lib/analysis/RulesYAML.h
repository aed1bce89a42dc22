//===--- RulesYAML.h - YAML mapping of the rules schema --------------------===//
//
// For code that embeds the rules schema in a larger YAML document (the
// Rules: section of .corotidy.yaml). Defined in Rules.cpp.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Rules.h"

#include "llvm/Support/YAMLTraits.h"

namespace llvm::yaml {
template <> struct MappingTraits<corotidy::RuleSet> {
  static void mapping(IO &Io, corotidy::RuleSet &Set);
  static std::string validate(IO &Io, corotidy::RuleSet &Set);
};
} // namespace llvm::yaml
