#include "simulator/sts.h"

#include <algorithm>
#include <array>
#include <span>

namespace tcorg::sim {
namespace {

constexpr std::array<std::string_view, 3> kAssumeRoleParams = {"RoleArn", "RoleSessionName",
                                                               "DurationSeconds"};
constexpr std::array<std::string_view, 5> kWebIdentityParams = {
    "ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName", "DurationSeconds"};

ApiFailure param_failure(const char* code, std::string_view name, std::string_view what) {
  return {code, "The parameter `" + std::string(name) + "` " + std::string(what)};
}

}  // namespace

bool is_sts_action(std::string_view action) {
  return action == kAssumeRole || action == kAssumeRoleWithWebIdentity;
}

std::variant<std::int64_t, ApiFailure> check_sts_params(std::string_view action,
                                                        std::string_view body,
                                                        const StsIdentity& identity,
                                                        std::int64_t max_lifetime) {
  const bool web = action == kAssumeRoleWithWebIdentity;
  const auto doc =
      body.empty() ? nlohmann::json::object() : nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return ApiFailure{"InvalidParameter", "The request body is not a JSON object."};
  }
  const auto names = web ? std::span<const std::string_view>(kWebIdentityParams)
                         : std::span<const std::string_view>(kAssumeRoleParams);
  for (const auto& [name, value] : doc.items()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return param_failure("UnknownParameter", name, "is not recognized.");
    }
    const bool ok = name == "DurationSeconds" ? value.is_number_integer() : value.is_string();
    if (!ok) return param_failure("InvalidParameter", name, "has the wrong type.");
  }
  for (const std::string_view name : names) {
    if (name != "DurationSeconds" && !doc.contains(name)) {
      return param_failure("MissingParameter", name, "is missing.");
    }
  }
  std::int64_t lifetime = max_lifetime;
  if (doc.contains("DurationSeconds")) {
    const auto d = doc["DurationSeconds"].get<std::int64_t>();
    if (d < 1) return param_failure("InvalidParameterValue", "DurationSeconds", "must be >= 1.");
    lifetime = std::min(lifetime, d);
  }
  if (web && doc["ProviderId"].get<std::string>() != identity.provider_id) {
    return ApiFailure{"InvalidParameter.ParamError", "The identity provider does not exist."};
  }
  if (web && doc["WebIdentityToken"].get<std::string>() != identity.web_identity_token) {
    return ApiFailure{"InvalidParameter.WebIdentityTokenError",
                      "The web identity token is invalid or expired."};
  }
  if (doc["RoleArn"].get<std::string>() != identity.role_arn) {
    return ApiFailure{"ResourceNotFound.RoleNotExist", "The role does not exist."};
  }
  return lifetime;
}

Json sts_credentials_answer(const TemporaryKey& key) {
  Json credentials;
  credentials["Token"] = key.token;
  credentials["TmpSecretId"] = key.secret_id;
  credentials["TmpSecretKey"] = key.secret_key;
  Json out;
  out["Credentials"] = std::move(credentials);
  out["ExpiredTime"] = key.expires_at;
  out["Expiration"] = iso8601_utc(key.expires_at);
  return out;
}

}  // namespace tcorg::sim
