#include "exporter/metrics/exposition.h"

#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

namespace tcorg::metrics {

void register_build_info(prometheus::Registry& registry, const std::string& version,
                         const std::string& revision) {
  prometheus::BuildGauge()
      .Name("tencentcloud_org_exporter_build_info")
      .Help("A metric with a constant '1' value labeled by the version and revision of "
            "tencentcloud_org_exporter.")
      .Register(registry)
      .Add({{"version", version}, {"revision", revision}})
      .Set(1);
}

std::string Exposition::render() const {
  const auto org = store_.org_text();
  std::string body = prometheus::TextSerializer().Serialize(live_.Collect());
  body.reserve(body.size() + org->size());
  body.append(*org);
  return body;
}

}  // namespace tcorg::metrics
