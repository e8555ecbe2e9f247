#pragma once

// The issuers of temporary keys the chain can end in, as functions the refresher calls: each
// call asks again (and reads the web identity token file again: TKE rotates it). Error messages
// name what failed and hold no secret.

#include <functional>
#include <memory>
#include <string>

#include "exporter/api/credentials.h"
#include "exporter/api/metadata_client.h"
#include "exporter/api/sts_client.h"
#include "exporter/common/result.h"

namespace tcorg::credentials {

using Issue = std::function<Result<api::IssuedCredentials>()>;

// The pod identity TKE injects: all four variables set, or none.
struct TkeOidc {
  std::string region;       // TKE_REGION
  std::string provider_id;  // TKE_PROVIDER_ID
  std::string token_file;   // TKE_WEB_IDENTITY_TOKEN_FILE
  std::string role_arn;     // TKE_ROLE_ARN
};

// CVM CAM role: `role` empty discovers the bound role at every call. `discovered`, when given
// and empty, receives the name the first discovery found (for the startup log); later calls
// leave it alone, so it is written before the refresh thread exists and only read after.
Issue cvm_role_issuer(std::shared_ptr<api::MetadataClient> metadata, std::string role,
                      std::shared_ptr<std::string> discovered = nullptr);

Issue tke_oidc_issuer(std::shared_ptr<api::StsClient> sts, TkeOidc oidc, std::string session_name,
                      std::int64_t duration_seconds);

// AssumeRole, signed by whatever `caller` returns at the time (permanent or refreshed keys).
Issue assume_role_issuer(std::shared_ptr<api::StsClient> sts,
                         std::function<api::Credentials()> caller, std::string region,
                         api::RoleSession session);

}  // namespace tcorg::credentials
