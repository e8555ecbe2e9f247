#pragma once

// The credential chain, first match wins, as the official SDKs order it:
//   1. environment (TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SECURITY_TOKEN),
//   2. the credentials file (flag, $TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials,
//      /etc/tencentcloud/credentials),
//   3. TKE OIDC when TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are
//      all set (STS AssumeRoleWithWebIdentity),
//   4. the CVM CAM role from instance metadata.
// With a role ARN, the keys found call STS AssumeRole and the exporter uses the assumed keys.
// Temporary keys are refreshed in the background (RefreshingCredentials).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exporter/api/call_observer.h"
#include "exporter/api/credentials.h"
#include "exporter/common/result.h"
#include "exporter/config/credentials_source.h"

namespace tcorg::credentials {

struct ChainOptions {
  config::CredentialsOptions static_keys;  // environment and file (as before the chain)
  // Tried in order when the file was not named explicitly and static_keys.file does not exist.
  // The SDKs' system-wide file, then the Debian package's configuration directory.
  std::vector<std::string> fallback_files = {"/etc/tencentcloud/credentials",
                                             "/etc/tencentcloud-org-exporter/credentials"};
  std::string cvm_role;  // empty: discover
  std::string metadata_endpoint = "http://metadata.tencentyun.com";
  std::string sts_endpoint = "https://sts.tencentcloudapi.com";
  bool sts_endpoint_explicit = false;
  std::string sts_region;  // X-TC-Region of AssumeRole; empty: ap-guangzhou
  std::string role_arn;    // empty: no AssumeRole
  std::string role_session_name = "tencentcloud-org-exporter";
  std::chrono::seconds role_duration{7200};
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds metadata_timeout{2000};
  std::string ca_file;
  std::string request_client = "tencentcloud_org_exporter";
  api::CallObserver* observer = nullptr;                    // STS and metadata attempts; not owned
  std::function<void(std::int64_t expires_at)> on_refresh;  // temporary keys only
  std::function<void(const std::string& message)> on_refresh_error;
  std::chrono::milliseconds min_backoff{1000};
};

class Chain {
 public:
  virtual ~Chain() = default;
  // environment, file, tke_oidc, cvm_role or assume_role.
  virtual const std::string& source() const = 0;
  // For the startup log, no secret: "environment", a file path, a role name or ARN.
  virtual const std::string& origin() const = 0;
  // One consistent triple; empty only when temporary keys expired and cannot be refreshed.
  virtual api::Credentials current() const = 0;
  // Unix seconds; 0 for permanent keys.
  virtual std::int64_t expires_at() const = 0;
};

// An error names what is wrong: nothing found (with the ways to provide keys), a half-set
// environment, a broken file, a token file that is missing or empty, an STS or metadata error.
Result<std::unique_ptr<Chain>> open_chain(ChainOptions options);

// Whether this machine names a source itself: keys in the environment, a credentials file that
// is named or exists, any TKE_* variable, or a named CVM role. When open_chain fails and this is
// false, the exporter is not configured yet (only the instance metadata was left to ask), which
// main tells apart from a broken configuration by its exit status.
bool has_local_source(const ChainOptions& options);

}  // namespace tcorg::credentials
