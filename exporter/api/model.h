#pragma once

// Plain data of the Organization API, shared by every layer. No behaviour, no dependencies:
// tests build these by hand. Times are Unix seconds (already converted from the API's zone-less
// strings with the configured UTC offset).

#include <cstdint>
#include <string>
#include <vector>

namespace tcorg::api {

// `Invited=1` lists invitations this account received, `Invited=0` those it sent.
enum class Direction { kReceived, kSent };

inline const char* to_string(Direction d) {
  return d == Direction::kReceived ? "received" : "sent";
}

// OrgInvitation.Status is signed: -1 expired, 0 pending, 1 accepted, 2 invalidated, 3 cancelled.
// Any other value is kept as is and reported as "unknown".
namespace invitation_status {
inline constexpr std::int64_t kExpired = -1;
inline constexpr std::int64_t kPending = 0;
inline constexpr std::int64_t kAccepted = 1;
inline constexpr std::int64_t kInvalidated = 2;
inline constexpr std::int64_t kCancelled = 3;
}  // namespace invitation_status

struct Invitation {
  std::int64_t id = 0;
  std::int64_t uin = 0;       // invited account
  std::int64_t host_uin = 0;  // organization's management account
  std::string host_name;
  std::string host_mail;
  std::int64_t status = 0;
  std::string name;
  std::string remark;
  std::int64_t org_type = 0;
  std::int64_t invite_time = 0;
  std::int64_t expire_time = 0;
};

struct InvitationPage {
  std::vector<Invitation> invitations;
  std::int64_t total_count = 0;
  std::string request_id;
};

// An entry of ListOrganizationMembers.
struct Member {
  std::int64_t uin = 0;
  std::string name;
  std::string remark;
  std::int64_t join_time = 0;
};

struct MemberPage {
  std::vector<Member> members;
  std::int64_t total_count = 0;
  std::string request_id;
};

// The answer of GetOrganizationMember.
struct MemberDetail {
  std::int64_t uin = 0;
  std::string name;
  std::string remark;
  std::int64_t join_time = 0;
  std::int64_t node_id = 0;
  std::string node_name;
  std::int64_t parent_node_id = 0;  // 0: the node is the root
  std::string request_id;
};

// An organizational unit of ListOrganizationNodes.
struct Node {
  std::int64_t node_id = 0;
  std::string name;
  std::int64_t parent_node_id = 0;
  std::int64_t member_count = 0;
};

struct NodeList {
  std::vector<Node> nodes;
  std::string request_id;
};

}  // namespace tcorg::api
