#pragma once

// The two STS actions (service sts, version 2018-08-13) the exporter's credential chain calls:
// parameter checks with their error codes, and the credentials answer. Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "simulator/envelope.h"
#include "simulator/temporary_keys.h"

namespace tcorg::sim {

inline constexpr std::string_view kStsVersion = "2018-08-13";
inline constexpr std::string_view kStsService = "sts";
inline constexpr std::string_view kAssumeRole = "AssumeRole";
inline constexpr std::string_view kAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity";

bool is_sts_action(std::string_view action);

// What a web identity must present, and the one role that can be assumed.
struct StsIdentity {
  std::string provider_id;
  std::string web_identity_token;
  std::string role_arn;
};

// The lifetime to issue (min of DurationSeconds and `max_lifetime`), or the error: body not an
// object or a value of the wrong type → InvalidParameter; unknown name → UnknownParameter; absent
// required one → MissingParameter; DurationSeconds < 1 → InvalidParameterValue; another
// ProviderId → InvalidParameter.ParamError; another WebIdentityToken →
// InvalidParameter.WebIdentityTokenError; another RoleArn → ResourceNotFound.RoleNotExist.
std::variant<std::int64_t, ApiFailure> check_sts_params(std::string_view action,
                                                        std::string_view body,
                                                        const StsIdentity& identity,
                                                        std::int64_t max_lifetime);

// The "Response" fields (without RequestId) for an issued key.
Json sts_credentials_answer(const TemporaryKey& key);

}  // namespace tcorg::sim
