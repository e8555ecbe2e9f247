#pragma once

// Cloud credentials as plain data. Never logged, never put in an error or a metric.

#include <string>

namespace tcorg::api {

struct Credentials {
  std::string secret_id;
  std::string secret_key;
  std::string token;  // session token of temporary credentials; empty for permanent keys

  bool empty() const { return secret_id.empty() || secret_key.empty(); }
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

}  // namespace tcorg::api
