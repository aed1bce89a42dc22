#include "lazy.hpp"
Lazy caller() {
  this is not C++;
}
