#pragma once

// The exporter's live self-metrics as they start a /metrics body, serialized again only when a
// Collect() differs from the previous one. Serializing costs about three times what collecting
// does, and between API calls nothing changes, so back-to-back scrapes reuse the bytes; the
// result is byte-for-byte what serializing afresh gives. Thread-safe.

#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/metrics/gzip.h"
#include "exporter/metrics/store.h"

namespace tcorg::metrics {

class LiveSeries {
 public:
  // `registry` is held by reference and must outlive this object.
  explicit LiveSeries(const prometheus::Registry& registry) : registry_(registry) {}

  // The live series in the text format.
  std::shared_ptr<const std::string> text();
  // The gzip frame of the live series followed by `org`'s compressed series.
  std::shared_ptr<const GzipFrame> gzip_frame(const std::shared_ptr<const OrgExposition>& org);

 private:
  void refresh_locked();

  const prometheus::Registry& registry_;
  std::mutex mu_;
  std::vector<prometheus::MetricFamily> families_;  // as last serialized
  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const GzipFrame> frame_;        // of text_ and frame_org_
  std::weak_ptr<const OrgExposition> frame_org_;  // weak: a stale org is not kept alive
};

}  // namespace tcorg::metrics
