#pragma once

// The organization the simulator serves, with the member index GetOrganizationMember needs, and
// helpers that keep its invariants when tests edit it. generate_organization is declared in
// simulator.h. Not thread-safe: the simulator guards its copy with a mutex.

#include <cstdint>
#include <unordered_map>

#include "simulator/simulator.h"

namespace tcorg::sim {

// The management account of every generated organization (the host of sent invitations, the
// invitee of received ones).
inline constexpr std::int64_t kHostUin = 100000000001;
// Invitations stay valid this long after they are sent.
inline constexpr std::int64_t kInvitationValiditySeconds = 15 * 86400;

struct IndexedOrganization {
  Organization org;
  std::unordered_map<std::int64_t, std::size_t> member_by_uin;  // index into org.members

  void reindex();
  const api::MemberDetail* member(std::int64_t uin) const;
};

// Moves a member to another node, updating its node fields and both nodes' member_count.
// Returns false (and changes nothing) if the member or the node does not exist.
bool move_member(Organization& org, std::int64_t uin, std::int64_t node_id);

}  // namespace tcorg::sim
