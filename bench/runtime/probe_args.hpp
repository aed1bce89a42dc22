// The command line both callgrind probes take (asyncrt's and TooManyCooks'), so that
// bench/runtime_callgrind.py runs them the same way.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

struct probe_args {
    std::string what;  // when_all, fork_join, chain or semaphore
    int n = 0;  // children, fib(n), or acquire+release pairs
    int third = 0;  // CHILDREN for when_all, WORKERS for fork_join, 0 otherwise
};

// The arguments, or nothing after printing the usage.
inline std::optional<probe_args> parse_probe_args(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s when_all N CHILDREN | fork_join N WORKERS | chain N 0 | semaphore N 0\n", argv[0]);
        return std::nullopt;
    }
    return probe_args{argv[1], std::atoi(argv[2]), std::atoi(argv[3])};
}
