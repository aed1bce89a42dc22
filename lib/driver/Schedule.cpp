//===--- Schedule.cpp - the order files are handed to the workers ----------===//

#include "Schedule.h"

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <tuple>

namespace corotidy::driver {

std::vector<size_t> longestFirst(llvm::ArrayRef<FileCost> Costs) {
  std::vector<size_t> Order(Costs.size());
  std::iota(Order.begin(), Order.end(), 0);
  // Greatest first: unknown before known, then the measure; ties by index.
  auto Key = [&](size_t I) {
    const FileCost &C = Costs[I];
    return std::make_tuple(!C.RecordedMicros.has_value(),
                           C.RecordedMicros.value_or(C.Bytes), -ptrdiff_t(I));
  };
  std::sort(Order.begin(), Order.end(),
            [&](size_t A, size_t B) { return Key(A) > Key(B); });
  return Order;
}

} // namespace corotidy::driver
