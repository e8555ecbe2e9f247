#pragma once

// Cloud credentials as plain data. Never logged, never put in an error or a metric.

#include <cstdint>
#include <string>
#include <utility>

namespace tcorg::api {

struct Credentials {
  Credentials() = default;
  Credentials(std::string id, std::string key, std::string session_token = {})
      : secret_id(std::move(id)), secret_key(std::move(key)), token(std::move(session_token)) {}

  std::string secret_id;
  std::string secret_key;
  std::string token;  // session token of temporary credentials; empty for permanent keys
  // When empty(): why there are no keys (say, temporary keys that expired while every refresh
  // failed), for the error of a request that is not sent. Never holds a secret.
  std::string unavailable;

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
