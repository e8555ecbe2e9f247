#include "exporter/collectors/members.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/collectors/fake_api.h"

namespace tcorg::collectors {
namespace {

using testing::FakeApi;
using testing::invitation;
using testing::member;
using testing::Signal;
using namespace std::chrono_literals;

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

TEST(MembersCollector, UinSeenTwiceIsFetchedOnce) {
  FakeApi api;
  small_org(api);
  api.sent = {invitation(1, 12, 1), invitation(2, 13, 1)};  // also listed
  auto o = options();
  o.static_uins = {11, 13};
  MembersCollector c(api, o);
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<MembersSnapshot>(*result.data).members.size(), 3u);
  EXPECT_EQ(api.calls, 1 + 1 + 1 + 3);  // nodes, one member page, sent invitations, 3 gets
}

// The pipelining: GetOrganizationMember calls run while the listings still read their pages.
// A collector that lists everything first leaves these waits to time out.

void many_members(FakeApi& api, std::int64_t n) {
  api.nodes = {{1, "Root", 0, 0}};
  for (std::int64_t uin = 1; uin <= n; ++uin) {
    api.details[uin] = member(uin, 1, "Root");
    api.listed.push_back({uin, "m", "", 0});
  }
}

TEST(MembersCollector, FetchesMembersWhileTheMemberListIsStillRead) {
  FakeApi api;
  many_members(api, 120);  // pages at offsets 0, 50, 100
  Signal fetching;
  std::atomic<bool> waited_in_vain{false};
  api.before_call = [&](std::string_view action, std::int64_t arg) -> std::optional<api::ApiError> {
    if (action == api::action::kGetOrganizationMember) fetching.raise();
    if (action == api::action::kListOrganizationMembers && arg > 0 && !fetching.wait())
      waited_in_vain = true;
    return std::nullopt;
  };
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<MembersSnapshot>(*result.data).members.size(), 120u);
  EXPECT_FALSE(waited_in_vain) << "no GetOrganizationMember before the member list was read";
}

TEST(MembersCollector, FetchesStaticUinsBeforeAnyListingOrNodeListAnswers) {
  FakeApi api;
  small_org(api);
  Signal fetching;
  std::atomic<int> waited_in_vain{0};
  api.before_call = [&](std::string_view action, std::int64_t) -> std::optional<api::ApiError> {
    if (action == api::action::kGetOrganizationMember) {
      fetching.raise();
    } else if (!fetching.wait()) {
      ++waited_in_vain;
    }
    return std::nullopt;
  };
  auto o = options();
  o.static_uins = {11};
  MembersCollector c(api, o);
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<MembersSnapshot>(*result.data).members.size(), 3u);
  EXPECT_EQ(waited_in_vain, 0);
}

TEST(MembersCollector, NodeListFailingMidFlightStopsTheWorkers) {
  FakeApi api;
  many_members(api, 200);
  api.listed.clear();
  auto o = options();
  for (std::int64_t uin = 1; uin <= 200; ++uin) o.static_uins.push_back(uin);
  api.failing_actions.insert("ListOrganizationNodes");
  std::atomic<int> gets{0};
  Signal three_started;
  api.before_call = [&](std::string_view action, std::int64_t) -> std::optional<api::ApiError> {
    if (action == api::action::kGetOrganizationMember) {
      if (++gets == 3) three_started.raise();
      std::this_thread::sleep_for(10ms);  // 200 gets, 4 at a time: 0.5 s in all
    } else if (action == api::action::kListOrganizationNodes) {
      three_started.wait();  // then fails
    }
    return std::nullopt;
  };
  MembersCollector c(api, o);
  const auto result = c.collect(nullptr, {});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.data, nullptr);
  EXPECT_EQ(result.error->code, "InternalError");
  EXPECT_GE(gets, 3);
  EXPECT_LT(gets, 100) << "workers kept fetching after discovery failed";
}

TEST(MembersCollector, MemberListFailingMidFlightFailsTheCycleWithoutData) {
  FakeApi api;
  many_members(api, 120);
  Signal fetching;
  api.before_call = [&](std::string_view action, std::int64_t arg) -> std::optional<api::ApiError> {
    if (action == api::action::kGetOrganizationMember) fetching.raise();
    if (action == api::action::kListOrganizationMembers && arg == 100) {
      fetching.wait();
      return FakeApi::error("InternalError");
    }
    return std::nullopt;
  };
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, {});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.data, nullptr);
  EXPECT_EQ(result.error->code, "InternalError");
}

TEST(MembersCollector, StopMidFlightSkipsTheRest) {
  FakeApi api;
  many_members(api, 200);
  std::stop_source stop;
  std::atomic<int> gets{0};
  api.before_call = [&](std::string_view action, std::int64_t) -> std::optional<api::ApiError> {
    if (action == api::action::kGetOrganizationMember && ++gets == 5) stop.request_stop();
    return std::nullopt;
  };
  MembersCollector c(api, options());
  const auto result = c.collect(nullptr, stop.get_token());
  ASSERT_TRUE(result.error.has_value());
  EXPECT_TRUE(result.error->is_stopped());
  ASSERT_NE(result.data, nullptr);  // what was fetched, as before
  const auto fetched = std::get<MembersSnapshot>(*result.data).members.size();
  EXPECT_EQ(fetched, static_cast<std::size_t>(gets.load()));
  EXPECT_LE(gets, 5 + 4);  // those started before the stop, at most max_in_flight more
}

}  // namespace
}  // namespace tcorg::collectors
