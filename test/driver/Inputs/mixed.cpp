#include "lazy.hpp"
Lazy work();
void plain() { work(); }
Lazy caller() {
  work();
  co_return;
}
