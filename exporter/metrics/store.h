#pragma once

// The latest published snapshot and the health of each collector, and the organization's series
// rendered from them. Publishing a cycle swaps the snapshot whole and renders the series once, so
// a scrape only copies bytes and never sees a half-written view. A failed cycle that brings no
// data keeps the previous snapshot. Thread-safe.

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/collectors/collector.h"

namespace tcorg::metrics {

struct CollectorHealth {
  bool completed = false;        // at least one cycle ended
  bool success = false;          // the last cycle succeeded
  double last_success_unix = 0;  // 0: never
  double duration_seconds = 0;   // of the last cycle
  std::optional<api::ApiError> last_error;
};

class Store {
 public:
  // Health gauges are registered on `registry` (held by reference; must outlive the Store).
  // `now` gives wall-clock Unix seconds.
  Store(prometheus::Registry& registry, std::vector<std::string> collectors,
        std::function<double()> now);

  void publish(std::string_view collector, collectors::CycleResult result, double seconds);

  std::shared_ptr<const collectors::Snapshot> latest(std::string_view collector) const;
  std::map<std::string, CollectorHealth> health() const;
  // Every collector has completed at least one cycle.
  bool ready() const;
  // The organization's series in the text exposition format.
  std::shared_ptr<const std::string> org_text() const;

 private:
  struct Entry {
    std::shared_ptr<const collectors::Snapshot> snapshot;
    CollectorHealth health;
    prometheus::Gauge* success = nullptr;
    prometheus::Gauge* last_success = nullptr;
    prometheus::Gauge* duration = nullptr;
  };
  void render_locked();

  prometheus::Family<prometheus::Gauge>& success_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& duration_;
  std::function<double()> now_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::shared_ptr<const std::string> org_text_;
};

}  // namespace tcorg::metrics
