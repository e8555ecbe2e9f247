#include "exporter/collectors/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <system_error>
#include <vector>

namespace tcorg::collectors {
namespace {

using namespace std::chrono_literals;

// Counts cycles and how many run at once; each cycle takes `work`.
class CountingCollector final : public Collector {
 public:
  CountingCollector(std::chrono::milliseconds interval, std::chrono::milliseconds work)
      : interval_(interval), work_(work) {}
  std::string_view name() const override { return "counting"; }
  std::chrono::milliseconds interval() const override { return interval_; }
  CycleResult collect(const Snapshot*, std::stop_token) override {
    max_running = std::max(max_running.load(), ++running);
    std::this_thread::sleep_for(work_);
    --running;
    ++cycles;
    return {std::make_shared<const Snapshot>(InvitationsSnapshot{}), std::nullopt};
  }
  std::atomic<int> cycles{0}, running{0}, max_running{0};

 private:
  std::chrono::milliseconds interval_, work_;
};

TEST(Scheduler, RunsAtTheIntervalAndStopsPromptly) {
  CountingCollector c(50ms, 1ms);
  std::atomic<int> callbacks{0};
  std::stop_source stop;
  auto started = std::chrono::steady_clock::now();
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; },
        [&](const Collector&, const CycleResult&, std::chrono::duration<double>) { ++callbacks; });
    s.start(stop.get_token());
    std::this_thread::sleep_for(275ms);
    stop.request_stop();
    started = std::chrono::steady_clock::now();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);  // the wait was interrupted
  EXPECT_GE(c.cycles, 5);
  EXPECT_LE(c.cycles, 7);
  EXPECT_EQ(callbacks, c.cycles);
}

TEST(Scheduler, SlowCycleIsFollowedAtOnceAndNeverOverlaps) {
  CountingCollector c(10ms, 40ms);
  std::stop_source stop;
  {
    Scheduler s(
        {&c}, [](const Collector&) { return nullptr; },
        [](const Collector&, const CycleResult&, std::chrono::duration<double>) {});
    s.start(stop.get_token());
    std::this_thread::sleep_for(210ms);
    stop.request_stop();
  }
  EXPECT_GE(c.cycles, 4);  // back to back, not waiting an extra interval
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
    for (int i = 0; i < 200 && c.cycles < 2; ++i) std::this_thread::sleep_for(5ms);
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
