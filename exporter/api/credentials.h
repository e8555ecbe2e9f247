#pragma once

// Cloud credentials as plain data. Never logged, never put in an error or a metric.

#include <cstdint>
#include <string>

namespace tcorg::api {

struct Credentials {
  std::string secret_id;
  std::string secret_key;
  std::string token;  // session token of temporary credentials; empty for permanent keys

  bool empty() const { return secret_id.empty() || secret_key.empty(); }
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

// Temporary keys as STS and the instance metadata issue them.
struct IssuedCredentials {
  Credentials keys;
  std::int64_t expires_at = 0;  // Unix seconds
  std::string request_id;       // STS answers only
};

}  // namespace tcorg::api
