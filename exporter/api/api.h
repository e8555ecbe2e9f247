#pragma once

// The Organization API as the collectors see it: one call per action, typed results.
// Implementations: Client (signed HTTPS), RateLimitedApi (wraps another Api with pacing and
// retries). Implementations are thread-safe: several calls may be in flight at once.

#include <cstdint>
#include <string_view>

#include "exporter/api/error.h"
#include "exporter/api/model.h"

namespace tcorg::api {

namespace action {
inline constexpr std::string_view kListOrganizationInvitations = "ListOrganizationInvitations";
inline constexpr std::string_view kGetOrganizationMember = "GetOrganizationMember";
inline constexpr std::string_view kListOrganizationMembers = "ListOrganizationMembers";
inline constexpr std::string_view kListOrganizationNodes = "ListOrganizationNodes";
inline constexpr std::string_view kAll[] = {kListOrganizationInvitations, kGetOrganizationMember,
                                            kListOrganizationMembers, kListOrganizationNodes};
}  // namespace action

// Largest page the exporter asks for (the API documents 1..50 for member listing).
inline constexpr std::int64_t kMaxPageSize = 50;

class Api {
 public:
  virtual ~Api() = default;
  virtual Result<InvitationPage> list_invitations(Direction direction, std::int64_t offset,
                                                  std::int64_t limit) = 0;
  virtual Result<MemberDetail> get_member(std::int64_t member_uin) = 0;
  virtual Result<MemberPage> list_members(std::int64_t offset, std::int64_t limit) = 0;
  virtual Result<NodeList> list_nodes() = 0;
};

}  // namespace tcorg::api
