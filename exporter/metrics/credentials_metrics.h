#pragma once

// Where the API keys come from and, for temporary keys, when they expire and how often their
// refresh failed. Families are registered on the given registry and held by reference.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <string_view>

namespace tcorg::metrics {

class CredentialsMetrics {
 public:
  // `source`: environment, file, tke_oidc, cvm_role or assume_role.
  CredentialsMetrics(prometheus::Registry& registry, std::string_view source);
  void set_expiry(std::int64_t unix_seconds);  // 0: permanent keys
  void refresh_failed();

 private:
  prometheus::Gauge& expiry_;
  prometheus::Counter& refresh_errors_;
};

}  // namespace tcorg::metrics
