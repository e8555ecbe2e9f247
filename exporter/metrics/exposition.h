#pragma once

// The body of /metrics: the exporter's live self-metrics (LiveSeries says when they are collected
// and serialized), followed by the organization's series, rendered and compressed once per
// published cycle by the Store. A body is handed out in pieces, so the large cached part is
// written from the Store's copy and never copied or compressed per scrape. Thread-safe.

#include <prometheus/registry.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/metrics/live_series.h"
#include "exporter/metrics/store.h"

namespace tcorg::metrics {

// Registers tencentcloud_org_exporter_build_info{version,revision} = 1.
void register_build_info(prometheus::Registry& registry, const std::string& version,
                         const std::string& revision);

// One response body: head + organization_part + tail. Plain: the live series, then the
// organization's. gzip: one gzip member (see gzip.h) whose cached part is the organization's
// deflated series.
struct Body {
  std::string head;
  std::shared_ptr<const void> owner;  // keeps `organization_part` alive
  std::string_view organization_part;
  std::string tail;
  bool gzip = false;

  // A body of one text, compressed whole when `gzip`.
  static Body of_text(std::string text, bool gzip);

  std::size_t size() const { return head.size() + organization_part.size() + tail.size(); }
  // The body's bytes in order, any part possibly empty: what the server writes (one iovec each).
  std::array<std::string_view, 3> parts() const { return {head, organization_part, tail}; }
  std::string str() const;
};

class Exposition {
 public:
  // Both are held by reference and must outlive the Exposition. `live`: the exporter's registry,
  // or a CollectableList of it and more. `live_max_age`: see LiveSeries.
  Exposition(const Store& store, const prometheus::Collectable& live,
             LiveSeries::Clock::duration live_max_age = kLiveMaxAge)
      : store_(store), live_(live, live_max_age) {}

  // Far below any scrape interval; long enough for a burst of scrapes to share one collect.
  static constexpr auto kLiveMaxAge = std::chrono::milliseconds(50);

  Body body(bool gzip) const { return *make(gzip, true); }
  // The body if it can be made of kept parts only, with nothing to collect, serialize,
  // compress or wait for (see LiveSeries); else nullopt, and body() will take its time.
  std::optional<Body> try_body(bool gzip) const { return make(gzip, false); }
  // The plain body as one string.
  std::string render() const { return body(false).str(); }

 private:
  std::optional<Body> make(bool gzip, bool may_wait) const;

  const Store& store_;
  mutable LiveSeries live_;
};

}  // namespace tcorg::metrics
