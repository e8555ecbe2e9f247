#pragma once

// A collector decides what to fetch from the API and when; it returns a whole new Snapshot and
// never touches metrics. One collector per file; its name is its flag name and `collector` label.

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string_view>

#include "exporter/api/error.h"
#include "exporter/collectors/snapshot.h"

namespace tcorg::collectors {

// The outcome of one cycle. `data` is what to publish: on full success the fresh view; after a
// partial failure a merge of fresh and last good values (so nothing good is lost), or null when
// there is nothing better than the previous snapshot. `error` is set when the cycle failed.
struct CycleResult {
  std::shared_ptr<const Snapshot> data;
  std::optional<api::ApiError> error;
  bool ok() const { return !error.has_value(); }
};

// Not required to be thread-safe: the scheduler runs one cycle of a collector at a time.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string_view name() const = 0;
  virtual std::chrono::milliseconds interval() const = 0;
  // `previous` is the last published snapshot of this collector (may be null).
  virtual CycleResult collect(const Snapshot* previous, std::stop_token stop) = 0;
};

}  // namespace tcorg::collectors
