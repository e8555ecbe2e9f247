#include "exporter/collectors/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

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
