//===--- AsyncModule.h - the "async" clang-tidy module ---------------------===//
//
// Registered by the corotidy binary (lib/driver) and by the plugin
// (tools/plugin) for stock clang-tidy --load.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidyModule.h"

namespace corotidy::checks {

class AsyncModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override;
};

inline constexpr const char AsyncModuleName[] = "async-module";
inline constexpr const char AsyncModuleDescription[] =
    "corotidy: async anti-patterns in C++20 coroutine code.";

} // namespace corotidy::checks
