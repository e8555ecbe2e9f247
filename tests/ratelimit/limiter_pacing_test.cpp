// Sends are spaced evenly, also right after an idle period: no burst ever.

#include <gtest/gtest.h>

#include "exporter/ratelimit/limiter.h"
#include "tests/ratelimit/fake_clock.h"
#include "tests/ratelimit/send_times.h"

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;
using testing::TimePoints;

TimePoints acquire_n(Limiter& limiter, FakeClock& clock, int n) {
  TimePoints sends;
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(limiter.acquire({}).has_value());
    sends.push_back(clock.now());
  }
  return sends;
}

TEST(LimiterPacing, ConsecutiveSendsAtLeastOneOverRateApart) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  const TimePoints sends = acquire_n(limiter, clock, 50);
  EXPECT_GE(testing::min_gap_seconds(sends), 1.0 / 20 - 1e-9);
  // The default 25 ms margin is spread over the window: 1.025 s / 20.
  EXPECT_NEAR(testing::min_gap_seconds(sends), 1.025 / 20, 1e-6);
}

TEST(LimiterPacing, FirstCallDoesNotWait) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  EXPECT_EQ(limiter.acquire({}), 0.0);
  EXPECT_NEAR(limiter.acquire({}).value(), 0.05125, 1e-6);
}

TEST(LimiterPacing, NoBurstAfterIdle) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  acquire_n(limiter, clock, 30);
  clock.advance(10s);

  const auto idle_end = clock.now();
  const TimePoints sends = acquire_n(limiter, clock, 20);
  EXPECT_EQ(sends.front(), idle_end);                           // the first goes at once...
  EXPECT_GE(testing::min_gap_seconds(sends), 1.0 / 20 - 1e-9);  // ...the rest are paced
  EXPECT_GE(to_seconds(sends.back() - sends.front()), 19.0 / 20);
}

TEST(LimiterPacing, ZeroMarginStillPacesAtOneOverRate) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 10, .margin = Clock::duration::zero()}, clock);
  const TimePoints sends = acquire_n(limiter, clock, 21);
  EXPECT_NEAR(testing::min_gap_seconds(sends), 0.1, 1e-9);
  EXPECT_LE(testing::max_in_window(sends), 11);  // closed window [t, t+1s] holds both ends
  EXPECT_LE(testing::max_in_window(sends, 999ms), 10);
}

TEST(LimiterPacing, RejectsInvalidOptions) {
  FakeClock clock;
  EXPECT_THROW(Limiter({.requests_per_second = 0}, clock), std::invalid_argument);
  EXPECT_THROW(Limiter({.requests_per_second = -1}, clock), std::invalid_argument);
  EXPECT_THROW(Limiter({.requests_per_second = 1.0 / 0.0}, clock), std::invalid_argument);
  EXPECT_THROW(Limiter({.requests_per_second = 1, .margin = -1ms}, clock), std::invalid_argument);
}

}  // namespace
}  // namespace tcorg::ratelimit
