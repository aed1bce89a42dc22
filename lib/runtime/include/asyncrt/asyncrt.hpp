// asyncrt/asyncrt.hpp - the whole runtime in one include.
#pragma once

#include <asyncrt/cancellation.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/io.hpp>
#include <asyncrt/mutex.hpp>
#include <asyncrt/offload.hpp>
#include <asyncrt/run.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/sleep.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/thread_pool.hpp>
#include <asyncrt/when_all.hpp>
