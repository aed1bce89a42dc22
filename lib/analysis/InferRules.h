//===--- InferRules.h - the framework vocabulary a TU shows, as rules -----===//
//
// `corotidy --infer-rules` prints what RoleInference recognises in the code
// and the headers it includes, in the rules schema, so that a team can
// review it and commit it to .corotidy.yaml. Inference runs without the
// built-in framework entries: it shows what the shapes alone say.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "CoroutineModel.h"

#include "clang/AST/ASTContext.h"

namespace corotidy {

/// A model that knows the blocking rules and the inference settings but no
/// framework: every role it answers comes from a shape.
std::shared_ptr<const CoroutineModel> shapeOnlyModel(const RuleSet &Builtin);

/// Adds the task types, combinators, spawns, scopes, sync-waits and ordering
/// primitives declared in Ctx's TU to Into, one framework per top-level
/// namespace. Declarations in std and implementation namespaces are skipped.
void inferRules(clang::ASTContext &Ctx, const CoroutineModel &ShapeOnly,
                RuleSet &Into);

/// Sorted, without duplicates: the same header seen from several TUs.
void normaliseInferred(RuleSet &Set);

/// The .corotidy.yaml fragment: "Rules:" and the set, indented below it.
std::string printRulesFragment(const RuleSet &Set);

} // namespace corotidy
