#include "exporter/metrics/credentials_metrics.h"

#include <string>

namespace tcorg::metrics {

CredentialsMetrics::CredentialsMetrics(prometheus::Registry& registry, std::string_view source)
    : expiry_(prometheus::BuildGauge()
                  .Name("tencentcloud_org_credentials_expiry_timestamp_seconds")
                  .Help("When the temporary API keys in use expire, Unix seconds; 0 for "
                        "permanent keys.")
                  .Register(registry)
                  .Add({})),
      refresh_errors_(prometheus::BuildCounter()
                          .Name("tencentcloud_org_credentials_refresh_errors_total")
                          .Help("Failed refreshes of temporary API keys (the last good keys stay "
                                "in use until they expire).")
                          .Register(registry)
                          .Add({})) {
  prometheus::BuildGauge()
      .Name("tencentcloud_org_credentials_info")
      .Help("Where the API keys come from: environment, file, tke_oidc, cvm_role or assume_role.")
      .Register(registry)
      .Add({{"source", std::string(source)}})
      .Set(1);
}

void CredentialsMetrics::set_expiry(std::int64_t unix_seconds) {
  expiry_.Set(static_cast<double>(unix_seconds));
}

void CredentialsMetrics::refresh_failed() {
  refresh_errors_.Increment();
}

}  // namespace tcorg::metrics
