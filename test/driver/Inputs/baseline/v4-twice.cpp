#include "lazy.hpp"
Lazy work();
Lazy other();
Lazy caller() {
  work();
  work();
  co_return;
}
