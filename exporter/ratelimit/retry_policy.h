#pragma once

// When and how long to retry a failed API call. Plain data plus one pure function.

#include <chrono>

#include "exporter/api/error.h"
#include "exporter/ratelimit/clock.h"

namespace tcorg::ratelimit {

struct RetryPolicy {
  int max_retries = 3;            // for retryable errors other than throttling
  int max_throttle_retries = 10;  // throttling is expected under shared quota: more patience
  Clock::duration base_delay = std::chrono::milliseconds(200);
  Clock::duration max_delay = std::chrono::seconds(10);
};

enum class RetryDecision { kGiveUp, kRetry, kRetryThrottled };

// Throttled errors retry up to max_throttle_retries, other retryable errors up to max_retries
// (each counted separately, `*_so_far` before this error); the rest (auth, decode, not found,
// invalid parameter...) are final at once.
RetryDecision decide_retry(const RetryPolicy& policy, const api::ApiError& error,
                           int retries_so_far, int throttle_retries_so_far);

// Exponential backoff with full jitter: uniform in [0, min(max_delay, base_delay * 2^retry)],
// `uniform01` in [0, 1). Full jitter spreads the retries of concurrent callers apart.
Clock::duration retry_delay(const RetryPolicy& policy, int retry, double uniform01);

}  // namespace tcorg::ratelimit
