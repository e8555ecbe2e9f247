// generate_organization: deterministic, every status present, the near-expiry invariants.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "simulator/codec.h"
#include "simulator/organization.h"

namespace tcorg::sim {
namespace {

namespace status = api::invitation_status;
constexpr std::int64_t kNow = 1700000000;
constexpr std::int64_t kHour = 3600;

OrgSpec spec(int members, int nodes, int invitations, std::uint64_t seed = 1) {
  OrgSpec s;
  s.members = members;
  s.nodes = nodes;
  s.invitations = invitations;
  s.seed = seed;
  s.now = kNow;
  return s;
}

TEST(Generate, IsDeterministicPerSeed) {
  EXPECT_EQ(to_json(generate_organization(spec(200, 8, 40, 5))),
            to_json(generate_organization(spec(200, 8, 40, 5))));
  EXPECT_NE(to_json(generate_organization(spec(200, 8, 40, 5))),
            to_json(generate_organization(spec(200, 8, 40, 6))));
}

TEST(Generate, EveryStatusInEachDirection) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Organization org = generate_organization(spec(50, 5, 12, seed));
    for (const auto* list : {&org.received, &org.sent}) {
      std::set<std::int64_t> seen;
      for (const auto& inv : *list) seen.insert(inv.status);
      EXPECT_EQ(seen, (std::set<std::int64_t>{-1, 0, 1, 2, 3})) << "seed " << seed;
    }
  }
}

TEST(Generate, ExpiryTimesFollowStatus) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Organization org = generate_organization(spec(50, 5, 60, seed));
    bool received_within_12h = false, sent_within_24_72h = false;
    for (const auto* list : {&org.received, &org.sent}) {
      for (const auto& inv : *list) {
        EXPECT_LT(inv.invite_time, kNow);
        EXPECT_LT(inv.invite_time, inv.expire_time);
        if (inv.status != status::kPending) {
          EXPECT_LT(inv.expire_time, kNow) << "status " << inv.status;
          continue;
        }
        const std::int64_t left = inv.expire_time - kNow;
        EXPECT_GT(left, 0);
        if (list == &org.received && left < 12 * kHour) received_within_12h = true;
        if (list == &org.sent && left > 24 * kHour && left < 72 * kHour) sent_within_24_72h = true;
        if (left >= 72 * kHour) {
          EXPECT_GE(left, 3 * 24 * kHour);
          EXPECT_LE(left, 14 * 24 * kHour);
        }
      }
    }
    EXPECT_TRUE(received_within_12h) << "seed " << seed;
    EXPECT_TRUE(sent_within_24_72h) << "seed " << seed;
  }
}

TEST(Generate, AcceptedSentInvitationsNameMembers) {
  const Organization org = generate_organization(spec(100, 5, 80));
  std::set<std::int64_t> members;
  for (const auto& m : org.members) members.insert(m.uin);
  int accepted = 0;
  for (const auto& inv : org.sent) {
    EXPECT_EQ(inv.host_uin, kHostUin);
    if (inv.status == status::kAccepted) {
      ++accepted;
      EXPECT_TRUE(members.contains(inv.uin)) << inv.uin;
    }
  }
  EXPECT_GT(accepted, 0);
  for (const auto& inv : org.received) EXPECT_EQ(inv.uin, kHostUin);
}

TEST(Generate, NodeTreeAndMemberCounts) {
  const Organization org = generate_organization(spec(500, 12, 0));
  ASSERT_EQ(org.nodes.size(), 12u);
  EXPECT_EQ(org.nodes[0].parent_node_id, 0);
  std::map<std::int64_t, std::int64_t> counts, parents;
  for (const auto& n : org.nodes) parents[n.node_id] = n.parent_node_id;
  for (const auto& m : org.members) {
    ++counts[m.node_id];
    EXPECT_EQ(m.parent_node_id, parents.at(m.node_id));
  }
  bool nested = false, empty = false;
  for (const auto& n : org.nodes) {
    EXPECT_EQ(n.member_count, counts[n.node_id]) << n.name;
    if (n.parent_node_id != 0) {
      EXPECT_TRUE(parents.contains(n.parent_node_id));
      nested = nested || parents.at(n.parent_node_id) != 0;
    }
    empty = empty || n.member_count == 0;
  }
  EXPECT_TRUE(nested);
  EXPECT_TRUE(empty);
}

TEST(Generate, IdsAndUinsAreUnique) {
  const Organization org = generate_organization(spec(1000, 5, 200));
  std::set<std::int64_t> ids, uins;
  for (const auto* list : {&org.received, &org.sent}) {
    for (const auto& inv : *list) EXPECT_TRUE(ids.insert(inv.id).second);
  }
  for (const auto& m : org.members) {
    EXPECT_TRUE(uins.insert(m.uin).second);
    EXPECT_GE(m.uin, 100000000000);
  }
  EXPECT_EQ(org.members.at(42).name, "member-0042");
}

TEST(Generate, EmptyAndTinyOrganizations) {
  const Organization empty = generate_organization(spec(0, 0, 0));
  EXPECT_TRUE(empty.members.empty());
  EXPECT_TRUE(empty.received.empty());
  EXPECT_EQ(empty.nodes.size(), 1u);  // an organization always has its root
  const Organization one = generate_organization(spec(0, 1, 1));
  ASSERT_EQ(one.received.size(), 1u);
  EXPECT_EQ(one.received[0].status, status::kPending);
}

TEST(Generate, HundredThousandMembersUnderASecond) {
  const auto start = std::chrono::steady_clock::now();
  const Organization org = generate_organization(spec(100000, 50, 2000));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(org.members.size(), 100000u);
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(MoveMember, KeepsCountsAndNodeFields) {
  Organization org = generate_organization(spec(20, 4, 0));
  const auto member = org.members[0];
  const auto& target = org.nodes[3];
  ASSERT_NE(member.node_id, target.node_id);
  const auto target_count = target.member_count;
  ASSERT_TRUE(move_member(org, member.uin, target.node_id));
  EXPECT_EQ(org.members[0].node_id, org.nodes[3].node_id);
  EXPECT_EQ(org.members[0].node_name, org.nodes[3].name);
  EXPECT_EQ(org.nodes[3].member_count, target_count + 1);
  EXPECT_FALSE(move_member(org, 1, target.node_id));
  EXPECT_FALSE(move_member(org, member.uin, 1));
}

}  // namespace
}  // namespace tcorg::sim
