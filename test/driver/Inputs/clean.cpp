#include "lazy.hpp"
Lazy work();
Lazy caller() { co_await work(); }
