#include "exporter/credentials/issuers.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace tcorg::credentials {
namespace {

Result<api::IssuedCredentials> from(api::Result<api::IssuedCredentials> r,
                                    const std::string& what) {
  if (!r.ok()) return Error{what + ": " + r.error().to_string()};
  return std::move(r).value();
}

// The token file's content without surrounding whitespace; an error names the file.
Result<std::string> read_token(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"TKE_WEB_IDENTITY_TOKEN_FILE " + path + ": cannot be read"};
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return Error{"TKE_WEB_IDENTITY_TOKEN_FILE " + path + ": is empty"};
  }
  token = token.substr(first, token.find_last_not_of(" \t\r\n") - first + 1);
  return token;
}

}  // namespace

Issue cvm_role_issuer(std::shared_ptr<api::MetadataClient> metadata, std::string role,
                      std::shared_ptr<std::string> discovered) {
  return [metadata = std::move(metadata), role = std::move(role),
          discovered = std::move(discovered)]() -> Result<api::IssuedCredentials> {
    std::string name = role;
    if (name.empty()) {
      auto found = metadata->role_name();
      if (!found.ok()) {
        if (found.error().http_status == 404) {
          return Error{
              "no CAM role is bound to this instance (instance metadata "
              "answered 404)"};
        }
        return Error{"instance metadata: " + found.error().to_string()};
      }
      name = *found;
      if (discovered != nullptr && discovered->empty()) *discovered = name;
    }
    return from(metadata->role_credentials(name), "CAM role " + name);
  };
}

Issue tke_oidc_issuer(std::shared_ptr<api::StsClient> sts, TkeOidc oidc, std::string session_name,
                      std::int64_t duration_seconds) {
  return [sts = std::move(sts), oidc = std::move(oidc), session_name = std::move(session_name),
          duration_seconds]() -> Result<api::IssuedCredentials> {
    auto token = read_token(oidc.token_file);
    if (!token) return Error{token.error()};
    return from(sts->assume_role_with_web_identity(oidc.region, oidc.provider_id, token.value(),
                                                   {oidc.role_arn, session_name, duration_seconds}),
                "AssumeRoleWithWebIdentity for " + oidc.role_arn);
  };
}

Issue assume_role_issuer(std::shared_ptr<api::StsClient> sts,
                         std::function<api::Credentials()> caller, std::string region,
                         api::RoleSession session) {
  return [sts = std::move(sts), caller = std::move(caller), region = std::move(region),
          session = std::move(session)]() -> Result<api::IssuedCredentials> {
    const api::Credentials keys = caller();
    if (keys.empty()) {
      return Error{"AssumeRole for " + session.role_arn +
                   ": the chain's own temporary keys have expired"};
    }
    return from(sts->assume_role(keys, region, session), "AssumeRole for " + session.role_arn);
  };
}

}  // namespace tcorg::credentials
