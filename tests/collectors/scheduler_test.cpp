#include "exporter/collectors/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace tcorg::collectors {
namespace {

using namespace std::chrono_literals;

// Counts cycles and how many run at once, and keeps when each began and ended; each takes `work`.
class CountingCollector final : public Collector {
 public:
  using Clock = std::chrono::steady_clock;
  CountingCollector(std::chrono::milliseconds interval, std::chrono::milliseconds work)
      : interval_(interval), work_(work) {}
  std::string_view name() const override { return "counting"; }
  std::chrono::milliseconds interval() const override { return interval_; }
  CycleResult collect(const Snapshot*, std::stop_token) override {
    const auto began = Clock::now();
    max_running = std::max(max_running.load(), ++running);
    std::this_thread::sleep_for(work_);
    --running;
    {
      std::lock_guard lock(mu_);
      spans_.emplace_back(began, Clock::now());
    }
    ++cycles;
    return {std::make_shared<const Snapshot>(InvitationsSnapshot{}), std::nullopt};
  }
  std::vector<std::pair<Clock::time_point, Clock::time_point>> spans() const {
    std::lock_guard lock(mu_);
    return spans_;
  }
  std::atomic<int> cycles{0}, running{0}, max_running{0};

 private:
  std::chrono::milliseconds interval_, work_;
  mutable std::mutex mu_;
  std::vector<std::pair<Clock::time_point, Clock::time_point>> spans_;
};

// Waits by condition, with a bound far above what a loaded machine needs.
bool await_cycles(const CountingCollector& c, int n) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (c.cycles < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  return c.cycles >= n;
}

void ignore_cycle(const Collector&, const CycleResult&, std::chrono::duration<double>) {}

// A cycle begins no sooner than the interval after the one before (less the moment between the
// scheduler taking the time and the collector's first line); a loaded machine only adds to it.
TEST(Scheduler, RunsAtTheInterval) {
  CountingCollector c(100ms, 1ms);
  std::atomic<int> callbacks{0};
  std::stop_source stop;
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; },
        [&](const Collector&, const CycleResult&, std::chrono::duration<double>) { ++callbacks; });
    s.start(stop.get_token());
    ASSERT_TRUE(await_cycles(c, 5));
    stop.request_stop();
  }
  const auto spans = c.spans();
  for (std::size_t i = 1; i < spans.size(); ++i) {
    EXPECT_GE(spans[i].first - spans[i - 1].first, 75ms) << "cycle " << i;
  }
  EXPECT_EQ(callbacks, c.cycles);
}

TEST(Scheduler, StopInterruptsTheWaitForTheNextCycle) {
  CountingCollector c(1h, 1ms);
  std::stop_source stop;
  auto stopped = std::chrono::steady_clock::now();
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; }, ignore_cycle);
    s.start(stop.get_token());
    ASSERT_TRUE(await_cycles(c, 1));
    stop.request_stop();
    stopped = std::chrono::steady_clock::now();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, 5s);  // not the hour to the next cycle
  EXPECT_EQ(c.cycles, 1);
}

// A cycle longer than the interval is followed at once: the gap after it is far below the 400 ms
// an extra interval would add, with room for a loaded machine.
TEST(Scheduler, SlowCycleIsFollowedAtOnceAndNeverOverlaps) {
  CountingCollector c(400ms, 500ms);
  std::stop_source stop;
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; }, ignore_cycle);
    s.start(stop.get_token());
    ASSERT_TRUE(await_cycles(c, 3));
    stop.request_stop();
  }
  const auto spans = c.spans();
  for (std::size_t i = 1; i < spans.size(); ++i) {
    EXPECT_LT(spans[i].first - spans[i - 1].second, 200ms) << "cycle " << i;
  }
  EXPECT_EQ(c.max_running, 1);
}

// Fails its first cycle the way thread creation fails under a memory limit, then succeeds.
class ThrowingCollector final : public Collector {
 public:
  std::string_view name() const override { return "throwing"; }
  std::chrono::milliseconds interval() const override { return 10ms; }
  CycleResult collect(const Snapshot*, std::stop_token) override {
    if (++cycles == 1) {
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "cannot create thread");
    }
    return {std::make_shared<const Snapshot>(InvitationsSnapshot{}), std::nullopt};
  }
  std::atomic<int> cycles{0};
};

TEST(Scheduler, ThrowingCycleIsAFailedCycleAndTheLoopGoesOn) {
  ThrowingCollector c;
  std::mutex mu;
  std::vector<CycleResult> results;
  std::stop_source stop;
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; },
        [&](const Collector&, CycleResult r, std::chrono::duration<double>) {
          std::lock_guard lock(mu);
          results.push_back(std::move(r));
        });
    s.start(stop.get_token());
    const auto two_published = [&] {
      std::lock_guard lock(mu);
      return results.size() >= 2;
    };
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!two_published() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    stop.request_stop();
  }
  ASSERT_GE(results.size(), 2u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].data, nullptr);  // nothing published over the last good data
  EXPECT_EQ(results[0].error->kind, api::ErrorKind::kInternal);
  EXPECT_EQ(results[0].error->label(), "internal");
  EXPECT_FALSE(results[0].error->is_retryable());
  EXPECT_NE(results[0].error->to_string().find("cannot create thread"), std::string::npos)
      << results[0].error->to_string();
  EXPECT_TRUE(results[1].ok());
}

TEST(Scheduler, RunOnceRunsEveryCollectorOnce) {
  CountingCollector a(1h, 1ms), b(1h, 1ms);
  std::mutex mu;
  std::vector<double> durations;
  Scheduler s(
      {&a, &b}, [](const Collector&) { return nullptr; },
      [&](const Collector&, const CycleResult& r, std::chrono::duration<double> took) {
        std::lock_guard lock(mu);
        EXPECT_TRUE(r.ok());
        durations.push_back(took.count());
      });
  s.run_once({});
  EXPECT_EQ(a.cycles, 1);
  EXPECT_EQ(b.cycles, 1);
  ASSERT_EQ(durations.size(), 2u);
  EXPECT_GT(durations[0], 0.0);
}

}  // namespace
}  // namespace tcorg::collectors
