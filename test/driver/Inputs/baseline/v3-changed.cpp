#include "lazy.hpp"
Lazy work();
Lazy other();
Lazy caller() {
  other();
  co_return;
}
