#include "exporter/collectors/members.h"

#include <gtest/gtest.h>

#include "tests/collectors/fake_api.h"

namespace tcorg::collectors {
namespace {

using testing::FakeApi;
using testing::invitation;
using testing::member;

void small_org(FakeApi& api) {
  api.nodes = {{1, "Root", 0, 0}, {2, "Finance", 1, 0}, {3, "Empty", 1, 0}};
  for (std::int64_t uin : {11, 12, 13}) {
    api.details[uin] = member(uin, uin == 11 ? 1 : 2, uin == 11 ? "Root" : "Finance");
    api.listed.push_back({uin, "member", "", 0});
  }
}

MembersOptions options() {
  MembersOptions o;
  o.max_in_flight = 4;
  return o;
}

TEST(MembersCollector, CountsMembersPerNodeIncludingEmptyNodes) {
  FakeApi api;
  small_org(api);
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  const auto& snap = std::get<MembersSnapshot>(*result.data);
  ASSERT_EQ(snap.members.size(), 3u);
  ASSERT_EQ(snap.nodes.size(), 3u);
  EXPECT_EQ(snap.nodes[0].member_count, 1);
  EXPECT_EQ(snap.nodes[1].member_count, 2);
  EXPECT_EQ(snap.nodes[2].member_count, 0);
  EXPECT_EQ(snap.members[0].uin, 11);  // sorted
}

TEST(MembersCollector, DiscoversUinsFromAcceptedSentInvitationsAndStaticList) {
  FakeApi api;
  small_org(api);
  api.listed.clear();
  api.sent = {invitation(1, 12, 1), invitation(2, 13, 0), invitation(3, 99, 1)};
  auto o = options();
  o.use_member_list = false;
  o.static_uins = {11};
  MembersCollector c(api, o);
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  const auto& snap = std::get<MembersSnapshot>(*result.data);
  // 11 static, 12 accepted; 13 only pending; 99 accepted but has left (ResourceNotFound).
  ASSERT_EQ(snap.members.size(), 2u);
  EXPECT_EQ(snap.members[0].uin, 11);
  EXPECT_EQ(snap.members[1].uin, 12);
}

TEST(MembersCollector, ListingTurnedOffDoesNotCallIt) {
  FakeApi api;
  small_org(api);
  api.failing_actions.insert("ListOrganizationMembers");
  auto o = options();
  o.use_member_list = false;
  o.static_uins = {11, 12};
  MembersCollector c(api, o);
  EXPECT_TRUE(c.collect(nullptr, {}).ok());
}

TEST(MembersCollector, NodeListFailureFailsTheCycleWithoutData) {
  FakeApi api;
  small_org(api);
  api.failing_actions.insert("ListOrganizationNodes");
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.data, nullptr);
}

TEST(MembersCollector, FailedMemberKeepsItsLastGoodDetails) {
  FakeApi api;
  small_org(api);
  MembersCollector c(api, options());
  const auto first = c.collect(nullptr, {});
  ASSERT_TRUE(first.ok());

  api.member_errors[12] = FakeApi::error("InternalError");
  api.details[13].node_id = 1;  // 13 moved to Root meanwhile
  api.details[13].node_name = "Root";
  const auto second = c.collect(first.data.get(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error->code, "InternalError");
  ASSERT_NE(second.data, nullptr);
  const auto& snap = std::get<MembersSnapshot>(*second.data);
  ASSERT_EQ(snap.members.size(), 3u);
  EXPECT_EQ(snap.members[1].uin, 12);
  EXPECT_EQ(snap.members[1].node_id, 2);  // last good
  EXPECT_EQ(snap.members[2].node_id, 1);  // fresh
  EXPECT_EQ(snap.nodes[0].member_count, 2);
  EXPECT_EQ(snap.nodes[1].member_count, 1);
}

TEST(MembersCollector, MemberInUnknownNodeAddsThatNode) {
  FakeApi api;
  small_org(api);
  api.details[13] = member(13, 7, "Created-Meanwhile");
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  const auto& snap = std::get<MembersSnapshot>(*result.data);
  ASSERT_EQ(snap.nodes.size(), 4u);
  EXPECT_EQ(snap.nodes[3].node_id, 7);
  EXPECT_EQ(snap.nodes[3].name, "Created-Meanwhile");
  EXPECT_EQ(snap.nodes[3].member_count, 1);
}

TEST(MembersCollector, ManyMembersAllFetchedOnce) {
  FakeApi api;
  api.nodes = {{1, "Root", 0, 0}};
  for (std::int64_t uin = 1; uin <= 500; ++uin) {
    api.details[uin] = member(uin, 1, "Root");
    api.listed.push_back({uin, "m", "", 0});
  }
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<MembersSnapshot>(*result.data).members.size(), 500u);
  EXPECT_EQ(api.calls, 1 + 10 + 1 + 500);  // nodes, 10 member pages, sent invitations, 500 gets
}

}  // namespace
}  // namespace tcorg::collectors
