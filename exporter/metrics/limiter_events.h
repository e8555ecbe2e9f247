#pragma once

// LimiterEvents: the rate-limiting layer's observer as the exporter wires it. Waits go into
// tencentcloud_org_api_rate_limit_wait_seconds_total (through ApiMetrics), retries into the
// debug log. Thread-safe, as ApiMetrics and the Logger are.

#include <string_view>

#include "exporter/api/error.h"
#include "exporter/log/logger.h"
#include "exporter/metrics/api_metrics.h"
#include "exporter/ratelimit/limiter_observer.h"

namespace tcorg::metrics {

class LimiterEvents final : public ratelimit::LimiterObserver {
 public:
  // `metrics` and `logger` must outlive this object.
  LimiterEvents(ApiMetrics& metrics, const log::Logger& logger)
      : metrics_(metrics), logger_(logger) {}

  void on_wait(std::string_view action, double seconds) override;
  void on_retry(std::string_view action, const api::ApiError& error) override;

 private:
  ApiMetrics& metrics_;
  const log::Logger& logger_;
};

}  // namespace tcorg::metrics
