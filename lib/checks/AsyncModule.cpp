//===--- AsyncModule.cpp - the "async" clang-tidy module -------------------===//
//
// The registration list: adding a check touches only this file.
//
//===----------------------------------------------------------------------===//

#include "AsyncModule.h"

#include "BlockingCallCheck.h"
#include "UnawaitedTaskCheck.h"

namespace corotidy::checks {

void AsyncModule::addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) {
  Factories.registerCheck<BlockingCallCheck>("async-blocking-call");
  Factories.registerCheck<UnawaitedTaskCheck>("async-unawaited-task");
}

} // namespace corotidy::checks
