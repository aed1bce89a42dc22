#include "lazy.hpp"
#include "a.hpp"
Lazy caller() {
  work();
  co_return;
}
