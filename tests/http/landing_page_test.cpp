#include "exporter/http/landing_page.h"

#include <gtest/gtest.h>

namespace tcorg::http {
namespace {

TEST(LandingPage, ShowsVersionLinksAndCollectorStatus) {
  LandingInfo info;
  info.version = "1.2.3";
  info.revision = "abc";
  info.telemetry_path = "/metrics";
  info.now_unix = 1000;
  metrics::CollectorHealth ok;
  ok.completed = ok.success = true;
  ok.last_success_unix = 990;
  metrics::CollectorHealth bad;
  bad.completed = true;
  bad.last_error =
      api::ApiError{api::ErrorKind::kApi, "AuthFailure.SignatureFailure", "<script>", "req-9", 0};
  info.collectors = {{"invitations", ok}, {"members", bad}};
  const auto html = landing_page(info);
  EXPECT_NE(html.find("Version 1.2.3 (revision abc)"), std::string::npos);
  EXPECT_NE(html.find("href=\"/metrics\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/-/ready\""), std::string::npos);
  EXPECT_NE(html.find("10 s ago"), std::string::npos);
  EXPECT_NE(html.find("AuthFailure.SignatureFailure"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);  // escaped
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(HtmlEscape, AllSpecials) {
  EXPECT_EQ(html_escape("<a href='x'>&\""), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
}

}  // namespace
}  // namespace tcorg::http
