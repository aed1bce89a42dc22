//===--- LoopBounds.h - how many times does a loop run? --------------------===//
//
// Enough to tell a loop over a runtime-sized range (a container, a count read
// at run time) from one whose trip count is a small compile-time constant.
// Loops whose count cannot be read (while, do, for(;;), odd conditions) are
// Unknown: checks treat them as "do not know", never as "runtime-sized".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

#include <cstdint>
#include <string>

namespace corotidy {

struct TripCount {
  enum Kind {
    Unknown,  ///< while / do / for with no recognisable counted condition
    Runtime,  ///< a container, or a counted loop whose bound is not constant
    Constant, ///< a compile-time count: constant array, init list, `i < 8`,
              ///< a local container built from a braced list and never changed
    FixedSize ///< a std::array: its size is part of the type
  };
  Kind K = Unknown;
  uint64_t Count = 0; ///< for Constant (and FixedSize)
  /// What the loop runs over or up to: the range of a range-for, the bound
  /// of a counted for.
  const clang::Expr *Bound = nullptr;
  bool IsRange = false; ///< a range-for (Bound is the range)
};

/// The trip count of a for / range-for / while / do statement.
TripCount tripCountOf(const clang::Stmt &Loop, const clang::ASTContext &Ctx);

/// Whether S is a loop statement tripCountOf understands.
bool isLoop(const clang::Stmt &S);

/// The loop's body.
const clang::Stmt *loopBody(const clang::Stmt &Loop);

} // namespace corotidy
