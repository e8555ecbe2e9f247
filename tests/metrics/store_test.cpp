#include "exporter/metrics/store.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "exporter/metrics/exposition.h"

namespace tcorg::metrics {
namespace {

collectors::CycleResult good(int pending) {
  collectors::InvitationsSnapshot s;
  for (int i = 0; i < pending; ++i) {
    api::Invitation inv;
    inv.id = i;
    s.received.push_back(inv);
  }
  return {std::make_shared<const collectors::Snapshot>(s), std::nullopt};
}

collectors::CycleResult failed() {
  return {nullptr, api::ApiError{api::ErrorKind::kApi, "InternalError", "boom", "r", 0}};
}

struct StoreTest : ::testing::Test {
  prometheus::Registry registry;
  double now = 1000;
  Store store{registry, {{"invitations", 60}, {"members", 600}}, [this] { return now; }};
  Exposition exposition{store, registry};
};

TEST_F(StoreTest, NotReadyUntilEveryCollectorCompletedACycle) {
  EXPECT_FALSE(store.ready());
  store.publish("invitations", good(1), 0.5);
  EXPECT_FALSE(store.ready());
  store.publish("members", failed(), 0.5);
  EXPECT_TRUE(store.ready());  // completed, even though it failed
}

TEST_F(StoreTest, ExportsEachCollectorsIntervalBeforeAnyCycle) {
  const std::string text = exposition.render();
  EXPECT_NE(
      text.find("tencentcloud_org_collector_interval_seconds{collector=\"invitations\"} 60\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("tencentcloud_org_collector_interval_seconds{collector=\"members\"} 600\n"),
            std::string::npos)
      << text;
}

TEST_F(StoreTest, FailureKeepsLastGoodDataAndMarksHealth) {
  store.publish("invitations", good(3), 0.25);
  const std::string before = exposition.render();
  EXPECT_NE(
      before.find("tencentcloud_org_invitations{direction=\"received\",status=\"pending\"} 3"),
      std::string::npos)
      << before;
  EXPECT_NE(before.find("tencentcloud_org_collector_success{collector=\"invitations\"} 1"),
            std::string::npos);

  now = 1060;
  store.publish("invitations", failed(), 2.0);
  const std::string after = exposition.render();
  EXPECT_NE(after.find("tencentcloud_org_invitations{direction=\"received\",status=\"pending\"} 3"),
            std::string::npos);
  EXPECT_NE(after.find("tencentcloud_org_collector_success{collector=\"invitations\"} 0"),
            std::string::npos);
  EXPECT_NE(after.find("tencentcloud_org_collector_last_success_timestamp_seconds{collector="
                       "\"invitations\"} 1000"),
            std::string::npos);
  EXPECT_NE(after.find("tencentcloud_org_collector_duration_seconds{collector=\"invitations\"} 2"),
            std::string::npos);
  const auto h = store.health().at("invitations");
  EXPECT_FALSE(h.success);
  ASSERT_TRUE(h.last_error.has_value());
  EXPECT_EQ(h.last_error->code, "InternalError");
}

TEST_F(StoreTest, NewSnapshotReplacesSeriesWhole) {
  collectors::InvitationsSnapshot s;
  api::Invitation inv;
  inv.id = 77;
  s.received = {inv};
  store.publish("invitations", {std::make_shared<const collectors::Snapshot>(s), std::nullopt}, 1);
  EXPECT_NE(exposition.render().find("id=\"77\""), std::string::npos);
  store.publish("invitations", good(0), 1);  // the invitation was answered: its series goes
  EXPECT_EQ(exposition.render().find("id=\"77\""), std::string::npos);
}

TEST_F(StoreTest, NoHealthSeriesBeforeTheFirstCycle) {
  const std::string before = exposition.render();
  for (const char* name : {"success", "last_success_timestamp_seconds", "duration_seconds"}) {
    EXPECT_EQ(
        before.find(std::string("tencentcloud_org_collector_") + name + "{collector=\"members\"}"),
        std::string::npos)
        << name;
  }
  store.publish("members", failed(), 1);
  EXPECT_NE(
      exposition.render().find(
          "tencentcloud_org_collector_last_success_timestamp_seconds{collector=\"members\"} 0"),
      std::string::npos);
}

TEST_F(StoreTest, UnknownCollectorIsIgnored) {
  store.publish("nope", good(1), 1);
  EXPECT_EQ(store.latest("nope"), nullptr);
  EXPECT_EQ(store.health().size(), 2u);
}

}  // namespace
}  // namespace tcorg::metrics
