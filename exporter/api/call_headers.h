#pragma once

// The headers of one API 3.0 call (Host, X-TC-*, Authorization), shared by every service the
// exporter calls: organization, and sts for temporary keys. Private to the api library.

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/api/credentials.h"
#include "exporter/api/transport.h"
#include "tc3/signer.h"

namespace tcorg::api::detail {

struct CallTarget {
  std::string host;                 // the Host header, also what is signed
  std::string_view service;         // signing scope: fixed, not taken from the host (simulators)
  std::string_view version;         // X-TC-Version
  std::string_view region;          // X-TC-Region, sent only when non-empty
  std::string_view language;        // X-TC-Language, sent only when non-empty
  std::string_view request_client;  // X-TC-RequestClient and User-Agent
};

inline constexpr std::string_view kContentType = "application/json";

// Signed with `key`, derived for the timestamp's UTC date and the target's service; X-TC-Token
// when the credentials have a token.
HeaderList signed_headers(const CallTarget& target, std::string_view action, std::string_view body,
                          std::int64_t timestamp, const Credentials& credentials,
                          const tc3::Digest& key);

// The same headers with `Authorization: SKIP`, as the SDKs send AssumeRoleWithWebIdentity (the
// web identity token in the body is the proof).
HeaderList unsigned_headers(const CallTarget& target, std::string_view action,
                            std::int64_t timestamp);

}  // namespace tcorg::api::detail
