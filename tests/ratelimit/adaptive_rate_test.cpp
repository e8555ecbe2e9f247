// AIMD: a throttle halves the rate (once per cooldown, down to a floor), success wins it back
// slowly, and the rate never exceeds the configured maximum.

#include "exporter/ratelimit/adaptive_rate.h"

#include <gtest/gtest.h>

#include "exporter/ratelimit/limiter.h"
#include "tests/ratelimit/fake_clock.h"
#include "tests/ratelimit/send_times.h"

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;

const Clock::time_point t0 = Clock::time_point{} + 1000h;

TEST(AdaptiveRate, StartsAtMax) {
  AdaptiveRate rate(20, {}, t0);
  EXPECT_EQ(rate.rate(), 20);
}

TEST(AdaptiveRate, ThrottleHalvesOncePerCooldown) {
  AdaptiveRate rate(20, {}, t0);
  EXPECT_TRUE(rate.on_throttled(t0 + 1s));
  EXPECT_EQ(rate.rate(), 10);
  EXPECT_FALSE(rate.on_throttled(t0 + 1500ms));  // in-flight calls answering the same overload
  EXPECT_EQ(rate.rate(), 10);
  EXPECT_TRUE(rate.on_throttled(t0 + 2s));
  EXPECT_EQ(rate.rate(), 5);
}

TEST(AdaptiveRate, NeverBelowFloor) {
  AdaptiveRate rate(20, {.min_rate = 1}, t0);
  for (int i = 1; i <= 20; ++i) rate.on_throttled(t0 + i * 2s);
  EXPECT_EQ(rate.rate(), 1);
}

TEST(AdaptiveRate, FloorIsCappedByMax) {
  AdaptiveRate rate(0.5, {.min_rate = 1}, t0);
  rate.on_throttled(t0 + 1s);
  EXPECT_EQ(rate.rate(), 0.5);
}

TEST(AdaptiveRate, SuccessRecoversFivePercentOfMaxPerSecond) {
  AdaptiveRate rate(20, {}, t0);
  rate.on_throttled(t0);  // 10/s
  rate.on_success(t0 + 1s);
  EXPECT_DOUBLE_EQ(rate.rate(), 11);
  rate.on_success(t0 + 3s);
  EXPECT_DOUBLE_EQ(rate.rate(), 13);
}

TEST(AdaptiveRate, RecoveryNeverExceedsMax) {
  AdaptiveRate rate(20, {}, t0);
  rate.on_throttled(t0);
  for (int i = 1; i <= 100; ++i) rate.on_success(t0 + i * 1s);
  EXPECT_EQ(rate.rate(), 20);
  rate.on_success(t0 + 1000s);
  EXPECT_EQ(rate.rate(), 20);
}

TEST(LimiterBackoff, ThrottleWidensSpacingAndSuccessNarrowsIt) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  EXPECT_EQ(limiter.effective_rate(), 20);
  EXPECT_EQ(limiter.max_rate(), 20);

  limiter.on_throttled();
  EXPECT_EQ(limiter.effective_rate(), 10);
  testing::TimePoints sends;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(limiter.acquire({}).has_value());
    sends.push_back(clock.now());
  }
  EXPECT_NEAR(testing::min_gap_seconds(sends), 1.025 / 10, 1e-6);

  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(limiter.acquire({}).has_value());
    limiter.on_success();
  }
  EXPECT_EQ(limiter.effective_rate(), 20);
}

}  // namespace
}  // namespace tcorg::ratelimit
