#include "tests/ratelimit/fake_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, SingleThreadSleepJumpsTime) {
  FakeClock clock;
  const auto start = clock.now();
  EXPECT_TRUE(clock.sleep_until(start + 5s, {}));
  EXPECT_EQ(clock.now(), start + 5s);
  EXPECT_TRUE(clock.sleep_until(start, {}));  // past deadlines return at once
  EXPECT_EQ(clock.now(), start + 5s);
}

TEST(FakeClock, ManualModeWaitsForAdvance) {
  FakeClock clock;
  clock.set_threads(0);
  const auto start = clock.now();
  std::jthread sleeper([&] { EXPECT_TRUE(clock.sleep_until(start + 2s, {})); });
  while (clock.sleepers() != 1) std::this_thread::yield();
  clock.advance(1s);
  EXPECT_EQ(clock.sleepers(), 1);
  clock.advance(1s);
  sleeper.join();
  EXPECT_EQ(clock.sleepers(), 0);
}

TEST(FakeClock, StopWakesSleeper) {
  FakeClock clock;
  clock.set_threads(0);
  std::stop_source stop;
  std::jthread sleeper(
      [&] { EXPECT_FALSE(clock.sleep_until(clock.now() + 1h, stop.get_token())); });
  while (clock.sleepers() != 1) std::this_thread::yield();
  stop.request_stop();
  sleeper.join();
  EXPECT_FALSE(clock.sleep_until(clock.now(), stop.get_token()));  // stopped before: false
}

TEST(FakeClock, AutoAdvanceWakesEarliestWhenAllSleep) {
  FakeClock clock;
  clock.set_threads(2);
  const auto start = clock.now();
  Clock::time_point woke_a;
  Clock::time_point woke_b;
  {
    std::jthread a([&] {
      clock.sleep_until(start + 3s, {});
      woke_a = clock.now();
      clock.thread_done();
    });
    std::jthread b([&] {
      clock.sleep_until(start + 1s, {});
      woke_b = clock.now();
      clock.thread_done();
    });
  }
  EXPECT_EQ(woke_b, start + 1s);
  EXPECT_EQ(woke_a, start + 3s);
}

}  // namespace
}  // namespace tcorg::ratelimit
