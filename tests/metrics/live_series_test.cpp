#include "exporter/metrics/live_series.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <cmath>

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

TEST_F(LiveSeriesTest, GzipFrameFollowsTheLiveTextAndTheOrgPart) {
  auto org = std::make_shared<OrgExposition>();
  org->text = "org_series 1\n";
  org->deflated = deflate_final(org->text);
  const auto frame = live.gzip_frame(org, 0);
  EXPECT_EQ(testing::inflate_one_member(frame->head + org->deflated.data + frame->tail),
            fresh() + org->text);
  EXPECT_EQ(live.gzip_frame(org, 0), frame);  // cached

  auto next = std::make_shared<OrgExposition>();
  next->text = "org_series 2\n";
  next->deflated = deflate_final(next->text);
  const auto other = live.gzip_frame(next, 0);  // a new cycle: the trailer's CRC changes
  EXPECT_NE(other, frame);
  EXPECT_EQ(testing::inflate_one_member(other->head + next->deflated.data + other->tail),
            fresh() + next->text);

  calls.Increment();  // the live part changed
  const auto changed = live.gzip_frame(next, 0);
  EXPECT_NE(changed, other);
  EXPECT_EQ(testing::inflate_one_member(changed->head + next->deflated.data + changed->tail),
            fresh() + next->text);
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

}  // namespace
}  // namespace tcorg::metrics
