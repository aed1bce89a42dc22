#include "Schedule.h"

#include <gtest/gtest.h>

using namespace corotidy::driver;

TEST(Schedule, SlowestRecordedFileFirst) {
  std::vector<FileCost> Costs = {{100, 50}, {9000, 10}, {400, 5000}};
  EXPECT_EQ(longestFirst(Costs), (std::vector<size_t>{1, 2, 0}));
}

TEST(Schedule, UnknownFilesFirstLargestFirst) {
  // A cold run knows only sizes; a file never analysed may be the longest.
  std::vector<FileCost> Costs = {{5, 100}, {std::nullopt, 10},
                                 {std::nullopt, 3000}, {90000, 1}};
  EXPECT_EQ(longestFirst(Costs), (std::vector<size_t>{2, 1, 3, 0}));
}

TEST(Schedule, EqualCostsKeepTheInputOrder) {
  std::vector<FileCost> Costs = {{std::nullopt, 7}, {std::nullopt, 7},
                                 {std::nullopt, 7}};
  EXPECT_EQ(longestFirst(Costs), (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(longestFirst({}).empty());
}

TEST(Schedule, LongFileLastWouldIdleAWorker) {
  // Two workers, greedy list scheduling: the makespan of the order given vs
  // longest first, for files that take 1, 1, 1, 1 and 4 units.
  std::vector<FileCost> Costs = {{1, 0}, {1, 0}, {1, 0}, {1, 0}, {4, 0}};
  auto Makespan = [&](const std::vector<size_t> &Order) {
    uint64_t Worker[2] = {0, 0};
    for (size_t I : Order)
      *std::min_element(Worker, Worker + 2) += *Costs[I].RecordedMicros;
    return std::max(Worker[0], Worker[1]);
  };
  EXPECT_EQ(Makespan({0, 1, 2, 3, 4}), 6u);
  EXPECT_EQ(Makespan(longestFirst(Costs)), 4u);
}
