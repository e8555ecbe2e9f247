#include "exporter/metrics/api_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

namespace tcorg::metrics {
namespace {

std::string text(const prometheus::Registry& r) {
  return prometheus::TextSerializer().Serialize(r.Collect());
}

TEST(ApiMetrics, CommonCodesPresentAtZeroFromStart) {
  prometheus::Registry registry;
  ApiMetrics metrics(registry);
  const auto t = text(registry);
  EXPECT_NE(t.find("tencentcloud_org_api_errors_total{action=\"GetOrganizationMember\",code="
                   "\"RequestLimitExceeded\"} 0"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("tencentcloud_org_api_requests_total{action=\"ListOrganizationNodes\"} 0"),
            std::string::npos);
}

TEST(ApiMetrics, CountsEveryAttemptAndErrorsByLabel) {
  prometheus::Registry registry;
  ApiMetrics metrics(registry);
  const api::ApiError http{api::ErrorKind::kHttpStatus, "", "", "", 502};
  metrics.on_attempt("GetOrganizationMember", 0.2, nullptr);
  metrics.on_attempt("GetOrganizationMember", 0.3, &http);
  metrics.on_rate_limit_wait("GetOrganizationMember", 1.5);
  const auto t = text(registry);
  EXPECT_NE(t.find("tencentcloud_org_api_requests_total{action=\"GetOrganizationMember\"} 2"),
            std::string::npos);
  EXPECT_NE(t.find("tencentcloud_org_api_errors_total{action=\"GetOrganizationMember\",code="
                   "\"http_502\"} 1"),
            std::string::npos);
  EXPECT_NE(t.find("tencentcloud_org_api_request_duration_seconds_count{action="
                   "\"GetOrganizationMember\"} 2"),
            std::string::npos);
  EXPECT_NE(t.find("tencentcloud_org_api_rate_limit_wait_seconds_total{action="
                   "\"GetOrganizationMember\"} 1.5"),
            std::string::npos);
}

}  // namespace
}  // namespace tcorg::metrics
