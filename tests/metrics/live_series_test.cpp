#include "exporter/metrics/live_series.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "tests/metrics/inflate.h"

namespace tcorg::metrics {
namespace {

struct LiveSeriesTest : ::testing::Test {
  prometheus::Registry registry;
  prometheus::Counter& calls =
      prometheus::BuildCounter().Name("calls_total").Help("h").Register(registry).Add({});
  prometheus::Gauge& gauge =
      prometheus::BuildGauge().Name("g").Help("h").Register(registry).Add({});
  prometheus::Histogram& histogram = prometheus::BuildHistogram()
                                         .Name("d_seconds")
                                         .Help("h")
                                         .Register(registry)
                                         .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 1});
  LiveSeries live{registry, LiveSeries::Clock::duration::zero()};

  std::string fresh() const { return prometheus::TextSerializer().Serialize(registry.Collect()); }
};

TEST_F(LiveSeriesTest, ReusedWhileNothingChanges) {
  const auto first = live.text(0);
  EXPECT_EQ(*first, fresh());
  EXPECT_EQ(live.text(0), first);  // the same bytes, not serialized again
}

TEST_F(LiveSeriesTest, SerializedAgainOnAnyChange) {
  auto before = live.text(0);
  calls.Increment();
  auto after = live.text(0);
  EXPECT_NE(after, before);
  EXPECT_EQ(*after, fresh());

  before = after;
  histogram.Observe(0.5);  // bucket counts and sum
  after = live.text(0);
  EXPECT_NE(after, before);
  EXPECT_EQ(*after, fresh());

  before = after;
  prometheus::BuildGauge().Name("new_series").Help("h").Register(registry).Add({{"a", "b"}});
  after = live.text(0);
  EXPECT_NE(after, before);
  EXPECT_EQ(*after, fresh());
}

TEST_F(LiveSeriesTest, NaNCountsAsUnchanged) {
  gauge.Set(std::nan(""));
  const auto first = live.text(0);
  EXPECT_EQ(live.text(0), first);
}

// The gzip member of a frame around `org`'s compressed part.
std::string joined(const GzipFrame& frame, const OrgExposition& org) {
  return frame.head + org.deflated.data + frame.tail;
}

TEST_F(LiveSeriesTest, GzipFrameFollowsTheLiveTextAndTheOrgPart) {
  auto org = std::make_shared<OrgExposition>();
  org->text = "org_series 1\n";
  org->deflated = deflate_final(org->text);
  const auto frame = live.gzip_frame(org, 0);
  EXPECT_EQ(testing::inflate_one_member(joined(*frame, *org)), fresh() + org->text);
  EXPECT_EQ(live.gzip_frame(org, 0), frame);  // cached

  auto next = std::make_shared<OrgExposition>();
  next->text = "org_series 2\n";
  next->deflated = deflate_final(next->text);
  const auto other = live.gzip_frame(next, 0);  // a new cycle: the trailer's CRC changes
  EXPECT_NE(other, frame);
  EXPECT_EQ(testing::inflate_one_member(joined(*other, *next)), fresh() + next->text);

  calls.Increment();  // the live part changed
  const auto changed = live.gzip_frame(next, 0);
  EXPECT_NE(changed, other);
  EXPECT_EQ(testing::inflate_one_member(joined(*changed, *next)), fresh() + next->text);
}

TEST_F(LiveSeriesTest, WithinMaxAgeReusedUntilTheStorePublishes) {
  LiveSeries bounded{registry, std::chrono::hours(1)};
  const auto first = bounded.text(7);
  calls.Increment();
  EXPECT_EQ(bounded.text(7), first);  // not collected again within max_age
  const auto after_publish = bounded.text(8);
  EXPECT_NE(after_publish, first);
  EXPECT_EQ(*after_publish, fresh());
}

TEST_F(LiveSeriesTest, WithoutWaitingOnlyWhatIsKept) {
  LiveSeries bounded{registry, std::chrono::hours(1)};
  EXPECT_EQ(bounded.text(7, false), nullptr);  // nothing collected yet
  const auto first = bounded.text(7);
  EXPECT_EQ(bounded.text(7, false), first);
  EXPECT_EQ(bounded.text(8, false), nullptr);  // the Store published: collect again
  EXPECT_EQ(bounded.text(7, false), first);    // and nothing was collected meanwhile

  auto org = std::make_shared<OrgExposition>();
  org->text = "org_series 1\n";
  org->deflated = deflate_final(org->text);
  EXPECT_EQ(bounded.gzip_frame(org, 7, false), nullptr);  // no gzip frame for this org yet
  const auto frame = bounded.gzip_frame(org, 7);
  EXPECT_EQ(bounded.gzip_frame(org, 7, false), frame);
  auto next = std::make_shared<OrgExposition>(*org);
  EXPECT_EQ(bounded.gzip_frame(next, 7, false), nullptr);
  EXPECT_EQ(bounded.gzip_frame(org, 8, false), nullptr);

  EXPECT_EQ(live.text(0, false), nullptr);  // no window: every call collects
  live.text(0);
  EXPECT_EQ(live.text(0, false), nullptr);
}

// A source whose Collect() can be held open, to see what other scrapes do meanwhile.
class GatedSource final : public prometheus::Collectable {
 public:
  explicit GatedSource(const prometheus::Collectable& inner) : inner_(inner) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::unique_lock lock(mu_);
    ++collecting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    --collecting_;
    return inner_.Collect();
  }
  void set_open(bool open) {
    std::lock_guard lock(mu_);
    open_ = open;
    changed_.notify_all();
  }
  void await_collecting() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return collecting_ > 0; });
  }

 private:
  const prometheus::Collectable& inner_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  mutable int collecting_ = 0;
  bool open_ = true;
};

TEST_F(LiveSeriesTest, ScrapesDoNotQueueBehindAWindowRefresh) {
  GatedSource source(registry);
  LiveSeries bounded{source, std::chrono::milliseconds(1)};
  const auto first = bounded.text(7);
  calls.Increment();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the window ended

  source.set_open(false);
  auto refreshing = std::async(std::launch::async, [&] { return bounded.text(7); });
  source.await_collecting();
  // Same Store version: the current text at once, although a refresh is under way.
  auto other = std::async(std::launch::async, [&] { return bounded.text(7); });
  ASSERT_EQ(other.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(other.get(), first);
  EXPECT_EQ(bounded.text(7, false), first);    // what other scrapes get meanwhile is at hand
  EXPECT_EQ(bounded.text(8, false), nullptr);  // but not after a publish
  // After a publish the live part must not be older than the org part: this one waits.
  auto published = std::async(std::launch::async, [&] { return bounded.text(8); });
  EXPECT_EQ(published.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);

  source.set_open(true);
  const auto refreshed = refreshing.get();
  EXPECT_NE(refreshed, first);
  EXPECT_EQ(*refreshed, fresh());
  EXPECT_EQ(*published.get(), fresh());
}

TEST_F(LiveSeriesTest, WithoutAWindowEveryCallSeesItsOwnCollect) {
  GatedSource source(registry);
  LiveSeries exact{source, LiveSeries::Clock::duration::zero()};
  exact.text(1);
  source.set_open(false);
  auto refreshing = std::async(std::launch::async, [&] { return exact.text(1); });
  source.await_collecting();
  auto other = std::async(std::launch::async, [&] { return exact.text(1); });
  EXPECT_EQ(other.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  calls.Increment();
  source.set_open(true);
  refreshing.get();
  EXPECT_EQ(*other.get(), fresh());  // collected after the increment
}

}  // namespace
}  // namespace tcorg::metrics
