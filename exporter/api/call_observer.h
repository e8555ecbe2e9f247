#pragma once

// Told of every attempt an Api implementation sends, where it is sent. This is how the API
// request/error counters and latency histograms stay exactly equal to what the cloud saw.

#include <string_view>

#include "exporter/api/error.h"

namespace tcorg::api {

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // `error` is null on success. Called from the calling thread; must be thread-safe.
  virtual void on_attempt(std::string_view action, double seconds, const ApiError* error) = 0;
};

}  // namespace tcorg::api
