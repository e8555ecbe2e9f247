#include "exporter/http/request_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tcorg::http {
namespace {

// --web.max-requests=N: N slots, the next is refused until one is let go.
TEST(RequestLimit, OneMoreThanTheLimitIsRefusedUntilASlotIsFree) {
  RequestLimit limit(3);
  std::vector<std::shared_ptr<void>> slots;
  for (int i = 0; i < 3; ++i) {
    slots.push_back(limit.try_acquire());
    ASSERT_NE(slots.back(), nullptr);
  }
  EXPECT_EQ(limit.in_flight(), 3);
  EXPECT_EQ(limit.try_acquire(), nullptr);
  EXPECT_EQ(limit.in_flight(), 3);  // a refusal takes nothing

  auto copy = slots[0];  // a reply holds its slot until written: copies keep it
  slots[0].reset();
  EXPECT_EQ(limit.try_acquire(), nullptr);
  copy.reset();
  auto again = limit.try_acquire();
  EXPECT_NE(again, nullptr);
  slots.clear();
  again.reset();
  EXPECT_EQ(limit.in_flight(), 0);
}

TEST(RequestLimit, ZeroMeansUnlimited) {
  RequestLimit unlimited(0);
  std::vector<std::shared_ptr<void>> slots;
  for (int i = 0; i < 1000; ++i) {
    slots.push_back(unlimited.try_acquire());
    ASSERT_NE(slots.back(), nullptr);
  }
  EXPECT_EQ(unlimited.in_flight(), 1000);
  slots.clear();
  EXPECT_EQ(unlimited.in_flight(), 0);
}

// Many threads at once never hold more than the limit, and every slot comes back.
TEST(RequestLimit, NeverMoreThanTheLimitAtOnce) {
  constexpr int kMax = 4;
  RequestLimit limit(kMax);
  std::atomic<int> held{0}, most{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = limit.try_acquire();
        if (!slot) {
          ++refused;
          continue;
        }
        const int now = ++held;
        for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
        }
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), kMax);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(limit.in_flight(), 0);
}

}  // namespace
}  // namespace tcorg::http
