#pragma once

// What the collectors publish: immutable values, swapped whole. Plain data, no behaviour.

#include <cstdint>
#include <variant>
#include <vector>

#include "exporter/api/model.h"

namespace tcorg::collectors {

struct InvitationsSnapshot {
  std::vector<api::Invitation> received;
  std::vector<api::Invitation> sent;
};

struct MembersSnapshot {
  std::vector<api::MemberDetail> members;  // sorted by uin
  std::vector<api::Node> nodes;            // every node of the tree, sorted by node_id
};

using Snapshot = std::variant<InvitationsSnapshot, MembersSnapshot>;

}  // namespace tcorg::collectors
