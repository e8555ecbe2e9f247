#pragma once

// The body of /metrics: the organization's series, rendered once per published cycle by the
// Store, followed by the exporter's live self-metrics, serialized per scrape. Thread-safe.

#include <string>

#include <prometheus/registry.h>

#include "exporter/metrics/store.h"

namespace tcorg::metrics {

// Registers tencentcloud_org_exporter_build_info{version,revision} = 1.
void register_build_info(prometheus::Registry& registry, const std::string& version,
                         const std::string& revision);

class Exposition {
 public:
  Exposition(const Store& store, const prometheus::Registry& live) : store_(store), live_(live) {}
  std::string render() const;

 private:
  const Store& store_;
  const prometheus::Registry& live_;
};

}  // namespace tcorg::metrics
