#include "exporter/metrics/org_families.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

namespace tcorg::metrics {
namespace {

double value_of(const prometheus::MetricFamily& f,
                const std::vector<prometheus::ClientMetric::Label>& labels) {
  for (const auto& m : f.metric) {
    bool match = true;
    for (const auto& l : labels) {
      bool found = false;
      for (const auto& ml : m.label) found = found || ml == l;
      match = match && found;
    }
    if (match) return m.gauge.value;
  }
  return -1;
}

api::Invitation inv(std::int64_t id, std::int64_t status, std::int64_t expire) {
  api::Invitation i;
  i.id = id;
  i.uin = 9000 + id;
  i.host_uin = 100;
  i.status = status;
  i.name = "acct \"" + std::to_string(id) + "\"";
  i.expire_time = expire;
  return i;
}

TEST(InvitationFamilies, EveryDirectionStatusPairPresent) {
  collectors::InvitationsSnapshot s;
  s.received = {inv(1, 0, 1800000000), inv(2, 0, 1800000100), inv(3, -1, 1), inv(4, 7, 1)};
  s.sent = {inv(5, 1, 1)};
  const auto families = invitation_families(s);
  ASSERT_EQ(families.size(), 2u);
  const auto& counts = families[0];
  EXPECT_EQ(counts.name, "tencentcloud_org_invitations");
  EXPECT_EQ(counts.metric.size(), 12u);  // 2 directions x 6 statuses
  EXPECT_EQ(value_of(counts, {{"direction", "received"}, {"status", "pending"}}), 2);
  EXPECT_EQ(value_of(counts, {{"direction", "received"}, {"status", "expired"}}), 1);
  EXPECT_EQ(value_of(counts, {{"direction", "received"}, {"status", "unknown"}}), 1);
  EXPECT_EQ(value_of(counts, {{"direction", "sent"}, {"status", "accepted"}}), 1);
  EXPECT_EQ(value_of(counts, {{"direction", "sent"}, {"status", "pending"}}), 0);

  const auto& expiry = families[1];
  EXPECT_EQ(expiry.name, "tencentcloud_org_invitation_expiry_timestamp_seconds");
  ASSERT_EQ(expiry.metric.size(), 2u);  // pending only
  EXPECT_EQ(value_of(expiry, {{"id", "2"}, {"uin", "9002"}, {"direction", "received"}}),
            1800000100);
}

TEST(InvitationFamilies, LabelValuesAreEscapedBySerializer) {
  collectors::InvitationsSnapshot s;
  s.received = {inv(1, 0, 1800000000)};
  const auto text = prometheus::TextSerializer().Serialize(invitation_families(s));
  EXPECT_NE(text.find(R"(name="acct \"1\"")"), std::string::npos) << text;
}

TEST(MemberFamilies, NodesMembersAndInfo) {
  collectors::MembersSnapshot s;
  s.nodes = {{1, "Root", 0, 1}, {2, "Empty", 1, 0}};
  api::MemberDetail m;
  m.uin = 42;
  m.name = "alice";
  m.node_id = 1;
  m.node_name = "Root";
  m.join_time = 1700000000;
  s.members = {m};
  const auto f = member_families(s);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].name, "tencentcloud_org_members");
  EXPECT_EQ(value_of(f[0], {{"node_id", "2"}, {"node_name", "Empty"}}), 0);
  EXPECT_EQ(value_of(f[0], {{"node_id", "1"}}), 1);
  EXPECT_EQ(f[1].name, "tencentcloud_org_member_info");
  EXPECT_EQ(value_of(f[1], {{"uin", "42"}, {"node_name", "Root"}, {"parent_node_id", "0"}}), 1);
  EXPECT_EQ(f[2].name, "tencentcloud_org_member_join_timestamp_seconds");
  EXPECT_EQ(value_of(f[2], {{"uin", "42"}}), 1700000000);
  EXPECT_EQ(f[3].name, "tencentcloud_org_node_info");
  EXPECT_EQ(value_of(f[3], {{"node_id", "2"}, {"parent_node_id", "1"}, {"name", "Empty"}}), 1);
}

TEST(StatusName, SignedCodes) {
  EXPECT_STREQ(status_name(-1), "expired");
  EXPECT_STREQ(status_name(0), "pending");
  EXPECT_STREQ(status_name(3), "cancelled");
  EXPECT_STREQ(status_name(4), "unknown");
  EXPECT_STREQ(status_name(-2), "unknown");
}

}  // namespace
}  // namespace tcorg::metrics
