#pragma once

// The exporter's live self-metrics as they start a /metrics body. Two savings, one exact and one
// bounded:
// - the text is serialized again only when a Collect() differs from the previous one: serializing
//   costs about three times what collecting does, and between API calls nothing changes;
// - within `max_age` of the last Collect() the source is not collected again, unless the Store
//   published since (`version` changed): a burst of scrapes shares one collect. API counters in a
//   body are then at most `max_age` old, and never older than the body's organization part.
// A refresh (collect, compare, serialize: a few hundred microseconds) runs outside the lock. While
// one runs because the window ended, other scrapes take the current text at once instead of
// queueing behind it, so a refreshing thread that gets preempted cannot stall every scrape. After
// a publish they wait for it: the live part is never older than the organization part.
// Thread-safe.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <condition_variable>
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
  // `may_wait` false: only what is kept, without collecting, serializing or waiting, else
  // nullptr; an event loop asks so and leaves the rest to a thread that may take its time
  // (http/event_server.h).
  std::shared_ptr<const std::string> text(std::uint64_t version, bool may_wait = true);
  // What goes around `org`'s compressed part to make one gzip member of the live series followed
  // by `org`'s: built once per change of either. The body stays in three pieces, written with
  // one writev. A whole 170 KB copy rebuilt per change (an mmap and a munmap each time, under
  // main's mmap threshold) put a tail on the scrape latency: p99 1.4-2.2 x nginx's, 1.1 x without.
  // `may_wait` false: nullptr unless kept (and text(version, false) is).
  std::shared_ptr<const GzipFrame> gzip_frame(const std::shared_ptr<const OrgExposition>& org,
                                              std::uint64_t version, bool may_wait = true);

 private:
  // The current text, refreshed first if due (nullptr instead when !may_wait); `lock` holds
  // mu_ on entry and on return.
  std::shared_ptr<const std::string> current(std::unique_lock<std::mutex>& lock,
                                             std::uint64_t version, bool may_wait);

  const prometheus::Collectable& source_;
  const Clock::duration max_age_;
  std::mutex mu_;
  std::condition_variable refreshed_;
  bool refreshing_ = false;  // one refresh at a time; it alone touches families_
  Clock::time_point collected_;
  std::uint64_t version_ = 0;                       // the Store's, at collected_
  std::vector<prometheus::MetricFamily> families_;  // as last serialized
  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const GzipFrame> gzip_;  // of gzip_text_ and gzip_org_
  std::shared_ptr<const std::string> gzip_text_;
  std::weak_ptr<const OrgExposition> gzip_org_;  // weak: a stale org is not kept alive
};

}  // namespace tcorg::metrics
