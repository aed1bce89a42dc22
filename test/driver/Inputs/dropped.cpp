#include "lazy.hpp"
Lazy work();
Lazy caller() {
  work();
  co_return;
}
