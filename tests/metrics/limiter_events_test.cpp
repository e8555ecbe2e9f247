#include "exporter/metrics/limiter_events.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>

namespace tcorg::metrics {
namespace {

constexpr const char* kWait =
    "tencentcloud_org_api_rate_limit_wait_seconds_total{action=\"GetOrganizationMember\"} ";

std::string text(const prometheus::Registry& r) {
  return prometheus::TextSerializer().Serialize(r.Collect());
}

// LimiterEvents wired as main wires it, with what it writes to kept for the test to read.
struct LimiterEventsTest : ::testing::Test {
  prometheus::Registry registry;
  ApiMetrics api_metrics{registry};
  std::ostringstream out;
  const log::Logger logger{log::Level::kDebug, log::Format::kLogfmt, out};
  LimiterEvents events{api_metrics, logger};
};

TEST_F(LimiterEventsTest, WaitsGoIntoTheWaitCounter) {
  events.on_wait("GetOrganizationMember", 0);  // no wait: nothing to add
  events.on_wait("GetOrganizationMember", 1.5);
  events.on_wait("GetOrganizationMember", 0.5);
  const auto t = text(registry);
  EXPECT_NE(t.find(std::string(kWait) + "2\n"), std::string::npos) << t;
  EXPECT_EQ(out.str(), "");
}

TEST_F(LimiterEventsTest, RetriesGoIntoTheDebugLog) {
  api::ApiError e;
  e.kind = api::ErrorKind::kApi;
  e.code = "InternalError";
  events.on_retry("ListOrganizationMembers", e);
  EXPECT_NE(out.str().find("level=debug msg=\"retrying API call\" action=ListOrganizationMembers "
                           "err=\"api error code=InternalError\""),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace tcorg::metrics
