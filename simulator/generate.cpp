// generate_organization: the node tree and the members; invitations in generate_invitations.cpp.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>

#include "simulator/generate_internal.h"
#include "simulator/organization.h"

namespace tcorg::sim {
namespace {

using detail::kDay;

constexpr std::int64_t kRootNodeId = 100000;
constexpr std::int64_t kFirstMemberUin = 100001000000;
constexpr std::array<const char*, 10> kNodeNames = {"Finance",  "Engineering", "Sales", "Marketing",
                                                    "Security", "Operations",  "HR",    "Legal",
                                                    "Research", "Support"};
constexpr std::array<const char*, 5> kRemarks = {"production", "sandbox", "billing",
                                                 "shared services", "team lead account"};

std::string numbered(const char* prefix, long long n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%04lld", prefix, n);
  return buf;
}

// A root (ParentNodeId 0) and children; node 2 hangs under node 1 so the tree always nests.
std::vector<api::Node> make_nodes(int count, Random& random) {
  std::vector<api::Node> nodes;
  nodes.reserve(static_cast<std::size_t>(count));
  nodes.push_back({kRootNodeId, "root", 0, 0});
  for (int i = 1; i < count; ++i) {
    const std::size_t parent = i <= 2 ? static_cast<std::size_t>(i - 1)
                                      : static_cast<std::size_t>(random.between(0, i - 1));
    const std::string name = i <= static_cast<int>(kNodeNames.size())
                                 ? kNodeNames[static_cast<std::size_t>(i - 1)]
                                 : "dev-team-" + std::to_string(i - kNodeNames.size());
    nodes.push_back({kRootNodeId + i, name, nodes[parent].node_id, 0});
  }
  return nodes;
}

// Members spread over every node but the last, which stays empty when there are 3 or more.
std::vector<api::MemberDetail> make_members(int count, std::vector<api::Node>& nodes,
                                            std::int64_t now, Random& random) {
  const auto usable =
      static_cast<std::int64_t>(nodes.size() >= 3 ? nodes.size() - 1 : nodes.size());
  std::vector<api::MemberDetail> members;
  members.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    api::Node& node = nodes[static_cast<std::size_t>(random.between(0, usable - 1))];
    ++node.member_count;
    api::MemberDetail m;
    m.uin = kFirstMemberUin + 10LL * i + random.between(0, 9);  // increasing, unique, not dense
    m.name = numbered("member-", i);
    if (random.chance(0.3)) {
      m.remark = kRemarks[static_cast<std::size_t>(random.between(0, kRemarks.size() - 1))];
    }
    // At least 20 days ago, so the invitation that brought the member in has expired.
    m.join_time = now - random.between(20 * kDay, 3 * 365 * kDay);
    m.node_id = node.node_id;
    m.node_name = node.name;
    m.parent_node_id = node.parent_node_id;
    members.push_back(std::move(m));
  }
  return members;
}

}  // namespace

Organization generate_organization(const OrgSpec& spec) {
  const std::int64_t now = spec.now != 0 ? spec.now
                                         : std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count();
  Random random(spec.seed);
  Organization org;
  org.nodes = make_nodes(std::max(spec.nodes, 1), random);
  org.members = make_members(std::max(spec.members, 0), org.nodes, now, random);
  detail::generate_invitations(std::max(spec.invitations, 0), now, random, org);
  return org;
}

}  // namespace tcorg::sim
