#include "lazy.hpp"
Lazy fetch();
Lazy handler() { co_await fetch(); }
