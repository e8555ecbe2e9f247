#include "exporter/metrics/limiter_events.h"

namespace tcorg::metrics {

void LimiterEvents::on_wait(std::string_view action, double seconds) {
  if (seconds > 0) metrics_.on_rate_limit_wait(action, seconds);
}

void LimiterEvents::on_retry(std::string_view action, const api::ApiError& error) {
  logger_.debug("retrying API call", {{"action", action}, {"err", error.to_string()}});
}

}  // namespace tcorg::metrics
