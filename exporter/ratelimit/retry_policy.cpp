#include "exporter/ratelimit/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace tcorg::ratelimit {

RetryDecision decide_retry(const RetryPolicy& policy, const api::ApiError& error,
                           int retries_so_far, int throttle_retries_so_far) {
  if (error.is_throttled()) {
    return throttle_retries_so_far < policy.max_throttle_retries ? RetryDecision::kRetryThrottled
                                                                 : RetryDecision::kGiveUp;
  }
  if (error.is_retryable() && retries_so_far < policy.max_retries) return RetryDecision::kRetry;
  return RetryDecision::kGiveUp;
}

Clock::duration retry_delay(const RetryPolicy& policy, int retry, double uniform01) {
  const double base = to_seconds(policy.base_delay);
  const double cap = to_seconds(policy.max_delay);
  // Capping the exponent first keeps 2^retry finite for any retry count.
  const double ceiling = std::min(cap, base * std::exp2(std::min(retry, 62)));
  const double jitter = std::clamp(uniform01, 0.0, 1.0);
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(ceiling * jitter));
}

}  // namespace tcorg::ratelimit
