// A class template whose pattern derives from another specialisation of
// itself (Catch2's amalgamated header has one): --infer-rules walks the
// pattern's bases and must not follow the template back to itself.
#include "lazy.hpp"

template <typename T, typename... Rest> struct chain : chain<Rest...> {
  T head;
};
template <typename T> struct chain<T> {
  T head;
};
