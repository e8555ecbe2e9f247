// The core guarantee: many threads asking as fast as they can never get more than R sends into
// any one-second window, and still get >= 95% of R. Fake clock: exact and instant.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/ratelimit/limiter.h"
#include "tests/ratelimit/fake_clock.h"
#include "tests/ratelimit/send_times.h"

namespace tcorg::ratelimit {
namespace {

using testing::TimePoints;

// `threads` threads share `calls` acquisitions; returns the time each one was let through.
TimePoints race(Limiter& limiter, FakeClock& clock, int threads, int calls) {
  clock.set_threads(threads);
  std::atomic<int> tickets{0};
  std::mutex mutex;
  TimePoints sends;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        while (tickets.fetch_add(1) < calls) {
          EXPECT_TRUE(limiter.acquire({}).has_value());
          std::lock_guard lock(mutex);
          sends.push_back(clock.now());
        }
        clock.thread_done();
      });
    }
  }
  return sends;
}

class LimiterWindowTest : public ::testing::TestWithParam<double> {};

TEST_P(LimiterWindowTest, NeverMoreThanRateInAnySecondAndAtLeast95Percent) {
  const double rate = GetParam();
  FakeClock clock;
  Limiter limiter({.requests_per_second = rate}, clock);

  const TimePoints sends = race(limiter, clock, 6, 1000);

  ASSERT_EQ(sends.size(), 1000u);
  EXPECT_LE(testing::max_in_window(sends), static_cast<int>(rate));
  EXPECT_GE(testing::achieved_rate(sends), 0.95 * std::floor(rate));
  EXPECT_GE(testing::min_gap_seconds(sends), 1.0 / rate - 1e-9);
  RecordProperty("achieved_rate", std::to_string(testing::achieved_rate(sends)));
  RecordProperty("max_in_window", testing::max_in_window(sends));
}

INSTANTIATE_TEST_SUITE_P(Rates, LimiterWindowTest, ::testing::Values(15.0, 20.0, 50.0, 15.5, 2.9));

TEST(LimiterWindow, HoldsWhileTheAdaptiveRateMoves) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  clock.set_threads(1);
  TimePoints sends;
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(limiter.acquire({}).has_value());
    sends.push_back(clock.now());
    if (i % 97 == 0) {
      limiter.on_throttled();
    } else {
      limiter.on_success();
    }
  }
  EXPECT_LE(testing::max_in_window(sends), 20);
  EXPECT_GE(testing::min_gap_seconds(sends), 1.0 / 20 - 1e-9);
}

}  // namespace
}  // namespace tcorg::ratelimit
