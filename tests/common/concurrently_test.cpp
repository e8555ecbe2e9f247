#include "exporter/common/concurrently.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tcorg {
namespace {

using namespace std::chrono_literals;

TEST(ForEachConcurrently, CallsEveryItemOnceWithBoundedInFlight) {
  std::vector<int> items(40);
  std::iota(items.begin(), items.end(), 0);
  std::vector<std::atomic<int>> hits(items.size());
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};

  const std::size_t called = for_each_concurrently(
      items, 4,
      [&](int item) {
        const int now = ++in_flight;
        int prev = most.load();
        while (prev < now && !most.compare_exchange_weak(prev, now)) {
        }
        std::this_thread::sleep_for(2ms);  // long enough for the others to overlap
        ++hits[static_cast<std::size_t>(item)];
        --in_flight;
      },
      {});

  EXPECT_EQ(called, items.size());
  for (const auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_LE(most.load(), 4);
  EXPECT_GE(most.load(), 2);
}

TEST(ForEachConcurrently, EmptyAndSerial) {
  const std::vector<int> none;
  EXPECT_EQ(for_each_concurrently(none, 8, [](int) { FAIL(); }, {}), 0u);
  std::vector<int> order;
  const std::vector<int> items{1, 2, 3};
  EXPECT_EQ(for_each_concurrently(items, 1, [&](int i) { order.push_back(i); }, {}), 3u);
  EXPECT_EQ(order, items);  // one in flight: the calling thread, in order
}

TEST(ForEachConcurrently, StopSkipsTheRest) {
  std::stop_source stop;
  const std::vector<int> items(100, 0);
  std::atomic<int> calls{0};
  const std::size_t called = for_each_concurrently(
      items, 3,
      [&](int) {
        if (++calls == 5) stop.request_stop();
      },
      stop.get_token());
  EXPECT_LT(called, items.size());
  EXPECT_EQ(called, static_cast<std::size_t>(calls.load()));
}

TEST(ForEachConcurrently, RethrowsFirstException) {
  const std::vector<int> items(20, 0);
  EXPECT_THROW(for_each_concurrently(items, 4, [](int) { throw std::runtime_error("bug"); }, {}),
               std::runtime_error);
}

}  // namespace
}  // namespace tcorg
