#include "lazy.hpp"
Lazy fetch();
Lazy handler() {
  fetch();
  co_return;
}
