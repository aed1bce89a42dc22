//===--- ModuleRegistry.h - clang-tidy's module registry, any version ------===//
//
// LLVM 22 moved the registry into ClangTidyModule.h and deprecated the old
// header (removed in 24).
//
//===----------------------------------------------------------------------===//
#pragma once

#if COROTIDY_LLVM_MAJOR >= 22
#include "clang-tidy/ClangTidyModule.h"
#else
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
