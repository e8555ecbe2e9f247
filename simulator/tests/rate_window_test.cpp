#include "simulator/rate_window.h"

#include <gtest/gtest.h>

namespace tcorg::sim {
namespace {

using namespace std::chrono_literals;
using Clock = SlidingWindowLimiter::Clock;

TEST(SlidingWindowLimiter, AdmitsLimitPerSlidingSecond) {
  SlidingWindowLimiter limiter;
  const Clock::time_point t0{};
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.try_admit("A", t0 + i * 10ms, 20));
  EXPECT_FALSE(limiter.try_admit("A", t0 + 500ms, 20));
  EXPECT_FALSE(limiter.try_admit("A", t0 + 999ms, 20));
  // Exactly 1 s after the first admission it has left the window (now - 1 s, now].
  EXPECT_TRUE(limiter.try_admit("A", t0 + 1000ms, 20));
  EXPECT_FALSE(limiter.try_admit("A", t0 + 1005ms, 20));
  EXPECT_TRUE(limiter.try_admit("A", t0 + 1010ms, 20));
}

TEST(SlidingWindowLimiter, RefusalsDoNotCount) {
  SlidingWindowLimiter limiter;
  const Clock::time_point t0{};
  EXPECT_TRUE(limiter.try_admit("A", t0, 1));
  for (int i = 1; i < 100; ++i) EXPECT_FALSE(limiter.try_admit("A", t0 + i * 5ms, 1));
  EXPECT_TRUE(limiter.try_admit("A", t0 + 1s, 1));
}

TEST(SlidingWindowLimiter, KeysAreIndependent) {
  SlidingWindowLimiter limiter;
  const Clock::time_point t0{};
  EXPECT_TRUE(limiter.try_admit("A", t0, 1));
  EXPECT_FALSE(limiter.try_admit("A", t0, 1));
  EXPECT_TRUE(limiter.try_admit("B", t0, 1));
}

TEST(SlidingWindowLimiter, NegativeIsUnlimitedZeroRefusesAll) {
  SlidingWindowLimiter limiter;
  const Clock::time_point t0{};
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.try_admit("A", t0, -1));
  EXPECT_FALSE(limiter.try_admit("B", t0, 0));
  EXPECT_TRUE(limiter.try_admit("C", t0, 1.9));  // fractional limits round down
  EXPECT_FALSE(limiter.try_admit("C", t0, 1.9));
}

}  // namespace
}  // namespace tcorg::sim
