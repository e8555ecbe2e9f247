#pragma once

// The exporter's own view of the API: requests, errors by code, latency, rate-limit waiting.
// Counted where each attempt is made (the Client tells it through CallObserver), so the counts
// equal what the cloud saw. Thread-safe. Families are registered on the given registry and held by
// reference; the registry must outlive this object.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "exporter/api/call_observer.h"

namespace tcorg::metrics {

class ApiMetrics final : public api::CallObserver {
 public:
  explicit ApiMetrics(prometheus::Registry& registry);

  void on_attempt(std::string_view action, double seconds, const api::ApiError* error) override;
  // Time a call spent waiting for the action's rate limiter.
  void on_rate_limit_wait(std::string_view action, double seconds);
  // The API server's clock minus ours, as the client now applies it to request signing.
  void set_clock_skew(double seconds);

 private:
  struct PerAction {
    prometheus::Counter* requests = nullptr;
    prometheus::Histogram* duration = nullptr;
    prometheus::Counter* wait = nullptr;
  };
  const PerAction& per_action(std::string_view action);

  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& errors_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& wait_;
  prometheus::Gauge& clock_skew_;
  std::mutex mu_;
  std::map<std::string, PerAction, std::less<>> actions_;
};

}  // namespace tcorg::metrics
