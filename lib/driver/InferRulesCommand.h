//===--- InferRulesCommand.h - corotidy --infer-rules ---------------------===//
#pragma once

#include "Driver.h"

namespace corotidy::driver {

/// Parses each file and prints, as a .corotidy.yaml "Rules:" fragment, the
/// framework vocabulary recognised by shape (lib/analysis/InferRules.h).
/// Exit codes as for a check run: 2 usage, 3 a file did not parse.
int inferRulesCommand(const DriverOptions &Options);

} // namespace corotidy::driver
