#pragma once

// Several Collectables collected as one, in order: the live part of /metrics is the exporter's
// registry followed by the process collector.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <utility>
#include <vector>

namespace tcorg::metrics {

class CollectableList final : public prometheus::Collectable {
 public:
  // The parts are held by pointer and must outlive this object.
  explicit CollectableList(std::vector<const prometheus::Collectable*> parts)
      : parts_(std::move(parts)) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> out;
    for (const auto* part : parts_) {
      auto families = part->Collect();
      out.insert(out.end(), std::make_move_iterator(families.begin()),
                 std::make_move_iterator(families.end()));
    }
    return out;
  }

 private:
  std::vector<const prometheus::Collectable*> parts_;
};

}  // namespace tcorg::metrics
