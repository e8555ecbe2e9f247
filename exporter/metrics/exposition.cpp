#include "exporter/metrics/exposition.h"

#include <prometheus/gauge.h>

namespace tcorg::metrics {

void register_build_info(prometheus::Registry& registry, const std::string& version,
                         const std::string& revision) {
  prometheus::BuildGauge()
      .Name("tencentcloud_org_exporter_build_info")
      .Help(
          "A metric with a constant '1' value labeled by the version and revision of "
          "tencentcloud_org_exporter.")
      .Register(registry)
      .Add({{"version", version}, {"revision", revision}})
      .Set(1);
}

Body Body::of_text(std::string text, bool gzip) {
  Body b;
  b.head = gzip ? metrics::gzip(text) : std::move(text);
  b.gzip = gzip;
  return b;
}

std::string Body::str() const {
  std::string s;
  s.reserve(size());
  for (std::string_view part : parts()) s.append(part);
  return s;
}

std::optional<Body> Exposition::make(bool gzip, bool may_wait) const {
  // org before version: a publish in between makes the live part newer, never older.
  const auto org = store_.org();
  const auto version = store_.version();
  Body b;
  b.owner = org;
  b.gzip = gzip;
  if (!gzip) {
    const auto live = live_.text(version, may_wait);
    if (!live) return std::nullopt;
    b.head = *live;
    b.organization_part = org->text;
    return b;
  }
  // Pieces, not one buffer: the big middle one is the cycle's, compressed once.
  const auto frame = live_.gzip_frame(org, version, may_wait);
  if (!frame) return std::nullopt;
  b.head = frame->head;
  b.organization_part = org->deflated.data;
  b.tail = frame->tail;
  return b;
}

}  // namespace tcorg::metrics
