#pragma once

// MetadataClient: the CVM instance metadata service's CAM role credentials (plain HTTP GETs, no
// signature: only the instance itself reaches the service). Thread-safe; no retries. Each GET is
// told to the observer as action "metadata".

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/api/call_observer.h"
#include "exporter/api/cam_names.h"
#include "exporter/api/credentials.h"
#include "exporter/api/error.h"

namespace tcorg::api {

inline constexpr std::string_view kDefaultMetadataEndpoint = "http://metadata.tencentyun.com";

namespace action {
inline constexpr std::string_view kMetadata = "metadata";
}  // namespace action

struct MetadataOptions {
  std::string endpoint = std::string(kDefaultMetadataEndpoint);  // http:// or https://
  // Short: off Tencent Cloud the service does not exist, and the chain should say so quickly.
  std::chrono::milliseconds timeout{2000};
  CallObserver* observer = nullptr;  // not owned; may be null
};

class MetadataClient {
 public:
  // Throws std::invalid_argument naming --tencentcloud.metadata-endpoint for a malformed one.
  explicit MetadataClient(MetadataOptions options);
  ~MetadataClient();
  MetadataClient(const MetadataClient&) = delete;
  MetadataClient& operator=(const MetadataClient&) = delete;

  // The role bound to the instance. No role bound: kHttpStatus with http_status 404.
  Result<std::string> role_name();
  // The role's current temporary keys (the service renews them well before they expire).
  Result<IssuedCredentials> role_credentials(const std::string& role);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::api
