#pragma once

// JSON answer bytes → typed structs. Pure: no I/O, so every case is a string fixture.
// Any `{"Response":{"Error":{...}}}` becomes an ApiError of kind kApi; anything malformed becomes
// kDecode with a message naming the field (e.g. `Response.Invitations[3].Status: expected integer`).
// Unknown fields are ignored.

#include <string_view>

#include "exporter/api/error.h"
#include "exporter/api/model.h"

namespace tcorg::api {

Result<InvitationPage> decode_invitation_page(std::string_view body, int utc_offset_seconds);
Result<MemberDetail> decode_member_detail(std::string_view body, int utc_offset_seconds);
Result<MemberPage> decode_member_page(std::string_view body, int utc_offset_seconds);
Result<NodeList> decode_node_list(std::string_view body);

}  // namespace tcorg::api
