#pragma once

// JSON answer bytes → typed structs. Pure: no I/O, so every case is a string fixture.
// Any `{"Response":{"Error":{...}}}` becomes an ApiError of kind kApi; anything malformed becomes
// kDecode with a message naming the field (e.g. `Response.Invitations[3].Status: expected
// integer`). Unknown fields are ignored.
//
// Strictness, decided once for all four actions:
// - required (missing → kDecode "<path>: missing"): RequestId on every successful answer;
//   TotalCount on pages (and not negative); Id and Status of an invitation (the dedup key and the
//   metric); Uin of a member (both actions); NodeId of a node. Everything else is optional.
// - optional fields that are missing or JSON null take the model's default (0 / "").
// - `Error` present and not null makes the answer kApi (Code required, Message and RequestId best
//   effort), whatever else the Response holds.
// - integers must be JSON integers within int64 (UINs beyond 2^53 are exact); floats, strings and
//   booleans are rejected. Status is signed (-1 = expired).
// - times: "" and "0000-00-00 00:00:00" mean "not set" and give 0, like a missing field; any other
//   string that is not "YYYY-MM-DD hh:mm:ss" is a kDecode error naming the field.
// - a body that is not JSON gives its size and a printable excerpt (first 64 bytes).
// Only the first problem is reported. Never throws.

#include <string_view>

#include "exporter/api/credentials.h"
#include "exporter/api/error.h"
#include "exporter/api/model.h"

namespace tcorg::api {

Result<InvitationPage> decode_invitation_page(std::string_view body, int utc_offset_seconds);
Result<MemberDetail> decode_member_detail(std::string_view body, int utc_offset_seconds);
Result<MemberPage> decode_member_page(std::string_view body, int utc_offset_seconds);
Result<NodeList> decode_node_list(std::string_view body);

// STS AssumeRole / AssumeRoleWithWebIdentity: Response.Credentials.{TmpSecretId, TmpSecretKey,
// Token} and Response.ExpiredTime (Unix seconds), all required and non-empty.
Result<IssuedCredentials> decode_sts_credentials(std::string_view body);
// The CVM metadata's role credentials: a bare object {TmpSecretId, TmpSecretKey, Token,
// ExpiredTime, Code}; Code must be "Success" (anything else is kApi with that code).
Result<IssuedCredentials> decode_metadata_credentials(std::string_view body);

}  // namespace tcorg::api
