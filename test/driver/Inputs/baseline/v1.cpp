#include "lazy.hpp"
Lazy work();
Lazy other();
Lazy caller() {
  work();
  co_return;
}
