//===--- AsyncModule.cpp - the "async" clang-tidy module -------------------===//
//
// The registration list: adding a check touches only this file.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

#include "SequentialAwaitCheck.h"
#include "UnawaitedTaskCheck.h"

namespace corotidy::checks {

class AsyncModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<SequentialAwaitCheck>("async-sequential-await");
    Factories.registerCheck<UnawaitedTaskCheck>("async-unawaited-task");
  }
};

} // namespace corotidy::checks

static clang::tidy::ClangTidyModuleRegistry::Add<corotidy::checks::AsyncModule>
    X("async-module", "corotidy: anti-patterns in C++20 coroutine code.");

// Referenced by the driver so the linker keeps this module's registration.
namespace corotidy {
volatile int AsyncModuleAnchorSource = 0;
} // namespace corotidy
