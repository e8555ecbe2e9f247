#include "exporter/metrics/api_metrics.h"

#include "exporter/api/api.h"

namespace tcorg::metrics {
namespace {

// Present at 0 from the start, so rate() and alerts see the first error of each kind.
constexpr std::string_view kCommonCodes[] = {"RequestLimitExceeded",
                                             "InternalError",
                                             "AuthFailure.SignatureFailure",
                                             "AuthFailure.SignatureExpire",
                                             "AuthFailure.SecretIdNotFound",
                                             "AuthFailure.TokenFailure",
                                             "UnauthorizedOperation",
                                             "transport",
                                             "timeout",
                                             "decode"};

// From 10 ms (a loopback simulator) to the longest sensible per-request timeout.
const prometheus::Histogram::BucketBoundaries kDurationBuckets = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                                  1,    2.5,   5,    10,  30};

}  // namespace

ApiMetrics::ApiMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("tencentcloud_org_api_requests_total")
                    .Help("Requests sent to the Tencent Cloud Organization API by the background "
                          "collectors, every attempt including retries.")
                    .Register(registry)),
      errors_(prometheus::BuildCounter()
                  .Name("tencentcloud_org_api_errors_total")
                  .Help("Failed API requests by action and code: the API error code, or "
                        "transport, timeout, http_<status>, decode.")
                  .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("tencentcloud_org_api_request_duration_seconds")
                    .Help("Duration of API requests sent by the background collectors, from "
                          "sending to a decoded answer or failure.")
                    .Register(registry)),
      wait_(prometheus::BuildCounter()
                .Name("tencentcloud_org_api_rate_limit_wait_seconds_total")
                .Help("Time API calls spent waiting for the exporter's own per-action rate "
                      "limiter before being sent.")
                .Register(registry)),
      clock_skew_(prometheus::BuildGauge()
                      .Name("tencentcloud_org_clock_skew_seconds")
                      .Help("Estimated offset of the API server's clock from the local clock, "
                            "applied to request signing.")
                      .Register(registry)
                      .Add({})) {
  for (std::string_view action : api::action::kAll) {
    per_action(action);
    for (std::string_view code : kCommonCodes) {
      errors_.Add({{"action", std::string(action)}, {"code", std::string(code)}});
    }
  }
}

const ApiMetrics::PerAction& ApiMetrics::per_action(std::string_view action) {
  std::lock_guard lock(mu_);
  auto it = actions_.find(action);
  if (it == actions_.end()) {
    const std::string name(action);
    PerAction p;
    p.requests = &requests_.Add({{"action", name}});
    p.duration = &duration_.Add({{"action", name}}, kDurationBuckets);
    p.wait = &wait_.Add({{"action", name}});
    it = actions_.emplace(name, p).first;
  }
  return it->second;
}

void ApiMetrics::on_attempt(std::string_view action, double seconds, const api::ApiError* error) {
  const PerAction& p = per_action(action);
  p.requests->Increment();
  p.duration->Observe(seconds);
  if (error != nullptr) {
    errors_.Add({{"action", std::string(action)}, {"code", error->label()}}).Increment();
  }
}

void ApiMetrics::on_rate_limit_wait(std::string_view action, double seconds) {
  per_action(action).wait->Increment(seconds);
}

void ApiMetrics::set_clock_skew(double seconds) {
  clock_skew_.Set(seconds);
}

}  // namespace tcorg::metrics
