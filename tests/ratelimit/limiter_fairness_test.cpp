// Concurrent waiters are served in arrival order, and a stop wakes every one of them at once.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/ratelimit/limiter.h"
#include "tests/ratelimit/fake_clock.h"

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;

void wait_for(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_TRUE(condition());
}

TEST(LimiterFairness, WaitersAreServedInArrivalOrder) {
  FakeClock clock;
  clock.set_threads(0);  // manual: nobody moves until all have queued
  Limiter limiter({.requests_per_second = 20}, clock);
  ASSERT_EQ(limiter.acquire({}), 0.0);

  constexpr int kWaiters = 6;
  std::mutex mutex;
  std::vector<int> order;
  std::vector<Clock::time_point> times;
  std::vector<std::jthread> threads;
  for (int k = 0; k < kWaiters; ++k) {
    threads.emplace_back([&, k] {
      EXPECT_TRUE(limiter.acquire({}).has_value());
      {
        std::lock_guard lock(mutex);
        order.push_back(k);
        times.push_back(clock.now());
      }
      clock.thread_done();
    });
    wait_for([&] { return clock.sleepers() == k + 1; });  // k has its slot before k+1 asks
  }
  clock.set_threads(kWaiters);  // now time jumps from one slot to the next
  threads.clear();

  const std::vector<int> expected{0, 1, 2, 3, 4, 5};
  EXPECT_EQ(order, expected);
  for (std::size_t i = 1; i < times.size(); ++i) {
    EXPECT_GE(to_seconds(times[i] - times[i - 1]), 1.0 / 20 - 1e-9);
  }
}

TEST(LimiterFairness, StopWakesAllWaitersPromptly) {
  SteadyClock clock;
  Limiter limiter({.requests_per_second = 1}, clock);  // slots 1 s apart: waits of up to 8 s
  std::stop_source stop;
  ASSERT_TRUE(limiter.acquire(stop.get_token()).has_value());

  std::atomic<int> stopped{0};
  std::vector<std::jthread> threads;
  for (int k = 0; k < 8; ++k) {
    threads.emplace_back([&] {
      if (!limiter.acquire(stop.get_token())) ++stopped;
    });
  }
  std::this_thread::sleep_for(50ms);  // let them queue (a late one returns at once anyway)

  const auto start = std::chrono::steady_clock::now();
  stop.request_stop();
  threads.clear();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(stopped.load(), 8);
  // The shortest wait left uninterrupted is a whole 1 s slot; half of it leaves room for a
  // loaded machine to wake and join eight threads.
  EXPECT_LT(elapsed, 500ms);
}

TEST(LimiterFairness, StoppedBeforeAcquireReturnsAtOnce) {
  FakeClock clock;
  Limiter limiter({.requests_per_second = 20}, clock);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(limiter.acquire(stop.get_token()).has_value());
}

}  // namespace
}  // namespace tcorg::ratelimit
