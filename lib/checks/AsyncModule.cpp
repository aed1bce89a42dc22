//===--- AsyncModule.cpp - the "async" clang-tidy module -------------------===//
//
// The registration list: adding a check touches only this file.
//
//===----------------------------------------------------------------------===//

#include "AsyncModule.h"

#include "BlockingCallCheck.h"
#include "DroppedExceptionCheck.h"
#include "LockAcrossAwaitCheck.h"
#include "PerCallConnectionCheck.h"
#include "SequentialAwaitCheck.h"
#include "UnawaitedTaskCheck.h"
#include "UnboundedFanoutCheck.h"

namespace corotidy::checks {

void AsyncModule::addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) {
  Factories.registerCheck<BlockingCallCheck>("async-blocking-call");
  Factories.registerCheck<DroppedExceptionCheck>("async-dropped-exception");
  Factories.registerCheck<LockAcrossAwaitCheck>("async-lock-across-await");
  Factories.registerCheck<PerCallConnectionCheck>("async-per-call-connection");
  Factories.registerCheck<SequentialAwaitCheck>("async-sequential-await");
  Factories.registerCheck<UnawaitedTaskCheck>("async-unawaited-task");
  Factories.registerCheck<UnboundedFanoutCheck>("async-unbounded-fanout");
}

} // namespace corotidy::checks
