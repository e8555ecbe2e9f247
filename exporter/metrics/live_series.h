#pragma once

// The exporter's live self-metrics as they start a /metrics body. Two savings, one exact and one
// bounded:
// - the text is serialized again only when a Collect() differs from the previous one: serializing
//   costs about three times what collecting does, and between API calls nothing changes;
// - within `max_age` of the last Collect() the source is not collected again, unless the Store
//   published since (`version` changed): a burst of scrapes shares one collect. API counters in a
//   body are then at most `max_age` old, and never older than the body's organization part.
// Thread-safe.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/metrics/gzip.h"
#include "exporter/metrics/store.h"

namespace tcorg::metrics {

class LiveSeries {
 public:
  using Clock = std::chrono::steady_clock;

  // `source` (a registry, or a CollectableList) is held by reference and must outlive this
  // object. `max_age` 0: collect per call.
  LiveSeries(const prometheus::Collectable& source, Clock::duration max_age)
      : source_(source), max_age_(max_age) {}

  // The live series in the text format. `version`: the Store's (see Store::version()).
  std::shared_ptr<const std::string> text(std::uint64_t version);
  // The gzip frame of the live series followed by `org`'s compressed series.
  std::shared_ptr<const GzipFrame> gzip_frame(const std::shared_ptr<const OrgExposition>& org,
                                              std::uint64_t version);

 private:
  void refresh_locked(std::uint64_t version);

  const prometheus::Collectable& source_;
  const Clock::duration max_age_;
  std::mutex mu_;
  Clock::time_point collected_;
  std::uint64_t version_ = 0;                       // the Store's, at collected_
  std::vector<prometheus::MetricFamily> families_;  // as last serialized
  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const GzipFrame> frame_;        // of text_ and frame_org_
  std::weak_ptr<const OrgExposition> frame_org_;  // weak: a stale org is not kept alive
};

}  // namespace tcorg::metrics
