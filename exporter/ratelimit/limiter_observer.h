#pragma once

// Told of what the rate-limiting layer adds on top of the API calls: time spent waiting for a
// slot, and retries. (Attempts and errors are counted by the api::CallObserver of the Client.)

#include <string_view>

#include "exporter/api/error.h"

namespace tcorg::ratelimit {

class LimiterObserver {
 public:
  virtual ~LimiterObserver() = default;
  // Before every attempt, retries included; `seconds` may be 0. Called from the calling thread:
  // implementations must be thread-safe.
  virtual void on_wait(std::string_view action, double seconds) = 0;
  // An attempt failed with `error` and will be retried after a backoff delay.
  virtual void on_retry(std::string_view action, const api::ApiError& error) = 0;
};

}  // namespace tcorg::ratelimit
