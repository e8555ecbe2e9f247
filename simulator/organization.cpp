#include "simulator/organization.h"

#include <algorithm>

namespace tcorg::sim {

void IndexedOrganization::reindex() {
  member_by_uin.clear();
  member_by_uin.reserve(org.members.size());
  for (std::size_t i = 0; i < org.members.size(); ++i) member_by_uin[org.members[i].uin] = i;
}

const api::MemberDetail* IndexedOrganization::member(std::int64_t uin) const {
  const auto it = member_by_uin.find(uin);
  return it == member_by_uin.end() ? nullptr : &org.members[it->second];
}

bool move_member(Organization& org, std::int64_t uin, std::int64_t node_id) {
  const auto by_id = [&](std::int64_t id) {
    return std::find_if(org.nodes.begin(), org.nodes.end(),
                        [&](const api::Node& n) { return n.node_id == id; });
  };
  const auto member = std::find_if(org.members.begin(), org.members.end(),
                                   [&](const api::MemberDetail& m) { return m.uin == uin; });
  const auto to = by_id(node_id);
  if (member == org.members.end() || to == org.nodes.end()) return false;
  if (const auto from = by_id(member->node_id); from != org.nodes.end()) --from->member_count;
  ++to->member_count;
  member->node_id = to->node_id;
  member->node_name = to->name;
  member->parent_node_id = to->parent_node_id;
  return true;
}

}  // namespace tcorg::sim
