// Umbrella header of the acme test framework (lazy tasks).
#pragma once
#include "acme/mutex.hpp"
#include "acme/spawn.hpp"
#include "acme/task.hpp"
#include "acme/task_group.hpp"
#include "acme/when_all.hpp"
