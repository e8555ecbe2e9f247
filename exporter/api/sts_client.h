#pragma once

// StsClient: the two STS actions (service sts, version 2018-08-13) that turn an identity into
// temporary keys. AssumeRole is TC3-signed by the caller's keys; AssumeRoleWithWebIdentity is sent
// unsigned, as the SDKs send it, the OIDC token being the proof. Thread-safe; no retries (the
// refresher decides when to try again). Errors never hold the caller's key, its token, the web
// identity token or the issued keys.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/api/call_observer.h"
#include "exporter/api/credentials.h"
#include "exporter/api/error.h"

namespace tcorg::api {

inline constexpr std::string_view kDefaultStsEndpoint = "https://sts.tencentcloudapi.com";
inline constexpr std::string_view kStsVersion = "2018-08-13";
// STS wants a region; the Organization service is global, so this is only where STS answers.
inline constexpr std::string_view kDefaultStsRegion = "ap-guangzhou";

namespace action {
inline constexpr std::string_view kAssumeRole = "AssumeRole";
inline constexpr std::string_view kAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity";
}  // namespace action

struct StsOptions {
  // scheme://host[:port]. http:// is accepted only when endpoint_explicit is true.
  std::string endpoint = std::string(kDefaultStsEndpoint);
  bool endpoint_explicit = false;
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;  // empty: system CA store
  std::string request_client = "tencentcloud_org_exporter";
  std::function<std::int64_t()> clock;  // Unix seconds; default: the system clock
  CallObserver* observer = nullptr;     // not owned; may be null
};

// Which role to assume, as whom, for how long.
struct RoleSession {
  std::string role_arn;  // qcs::cam::uin/<uin>:roleName/<name>
  std::string session_name;
  std::int64_t duration_seconds = 7200;
};

class StsClient {
 public:
  // Throws std::invalid_argument naming --tencentcloud.sts-endpoint for a malformed endpoint.
  explicit StsClient(StsOptions options);
  ~StsClient();
  StsClient(const StsClient&) = delete;
  StsClient& operator=(const StsClient&) = delete;

  Result<IssuedCredentials> assume_role(const Credentials& caller, std::string_view region,
                                        const RoleSession& session);
  Result<IssuedCredentials> assume_role_with_web_identity(std::string_view region,
                                                          std::string_view provider_id,
                                                          const std::string& web_identity_token,
                                                          const RoleSession& session);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::api
