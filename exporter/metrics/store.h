#pragma once

// The latest published snapshot and the health of each collector, and the organization's series
// rendered from them. Publishing a cycle swaps the snapshot whole and renders the series once, as
// text and compressed, so a scrape only writes bytes and never sees a half-written view. A failed
// cycle that brings no data keeps the previous snapshot. Thread-safe; publishing renders without
// holding the lock that readers take.

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/collectors/collector.h"
#include "exporter/metrics/gzip.h"

namespace tcorg::metrics {

struct CollectorHealth {
  bool completed = false;        // at least one cycle ended
  bool success = false;          // the last cycle succeeded
  double last_success_unix = 0;  // 0: never
  double duration_seconds = 0;   // of the last cycle
  std::optional<api::ApiError> last_error;
};

// A collector as the Store sees it: its `collector` label and its configured interval.
struct CollectorSpec {
  std::string name;
  double interval_seconds = 0;
};

// The organization's series of one published state.
struct OrgExposition {
  std::string text;   // text exposition format
  Deflated deflated;  // `text` compressed alone: ends a gzip body after the live series
};

class Store {
 public:
  // Health gauges are registered on `registry` (held by reference; must outlive the Store).
  // `now` gives wall-clock Unix seconds. Each collector's interval is exported from the start, so
  // alerts can compare the data's age with it instead of assuming the defaults.
  Store(prometheus::Registry& registry, std::vector<CollectorSpec> collectors,
        std::function<double()> now);

  void publish(std::string_view collector, collectors::CycleResult result, double seconds);

  std::shared_ptr<const collectors::Snapshot> latest(std::string_view collector) const;
  std::map<std::string, CollectorHealth> health() const;
  // Every collector has completed at least one cycle.
  bool ready() const;
  // The organization's series as of the last publish that brought data; never null.
  std::shared_ptr<const OrgExposition> org() const;
  // Counts publishes, failed ones too: the health gauges changed whenever it did.
  std::uint64_t version() const;

 private:
  struct Entry {
    std::shared_ptr<const collectors::Snapshot> snapshot;
    CollectorHealth health;
    prometheus::Gauge* success = nullptr;
    prometheus::Gauge* last_success = nullptr;
    prometheus::Gauge* duration = nullptr;
  };
  std::vector<std::shared_ptr<const collectors::Snapshot>> snapshots_with(
      std::string_view collector, const std::shared_ptr<const collectors::Snapshot>& fresh) const;

  prometheus::Family<prometheus::Gauge>& success_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& duration_;
  prometheus::Family<prometheus::Gauge>& interval_;
  std::function<double()> now_;
  std::mutex publish_mu_;  // one publish at a time, so renders cannot be installed out of order
  mutable std::mutex mu_;  // guards what readers see; entries_ is written under both mutexes
  std::map<std::string, Entry, std::less<>> entries_;
  std::shared_ptr<const OrgExposition> org_;
  std::uint64_t version_ = 0;
};

}  // namespace tcorg::metrics
