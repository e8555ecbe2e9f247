#include "exporter/api/endpoint.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tcorg::api::detail {
namespace {

TEST(ParseEndpoint, DefaultHttps) {
  const Endpoint ep = parse_endpoint("https://organization.tencentcloudapi.com", false);
  EXPECT_TRUE(ep.https);
  EXPECT_EQ(ep.host, "organization.tencentcloudapi.com");
  EXPECT_EQ(ep.port, 443);
  EXPECT_EQ(ep.host_header, "organization.tencentcloudapi.com");
}

TEST(ParseEndpoint, TrailingSlashAndCase) {
  const Endpoint ep = parse_endpoint("HTTPS://Organization.Intl.TencentCloudAPI.com/", false);
  EXPECT_EQ(ep.host, "organization.intl.tencentcloudapi.com");
  EXPECT_EQ(ep.host_header, "organization.intl.tencentcloudapi.com");
}

TEST(ParseEndpoint, PortOnlyInHostWhenNotDefault) {
  EXPECT_EQ(parse_endpoint("https://h.example:443", false).host_header, "h.example");
  EXPECT_EQ(parse_endpoint("https://h.example:8443", false).host_header, "h.example:8443");
  EXPECT_EQ(parse_endpoint("https://h.example:8443", false).port, 8443);
  EXPECT_EQ(parse_endpoint("http://127.0.0.1:80", true).host_header, "127.0.0.1");
  EXPECT_EQ(parse_endpoint("http://127.0.0.1:8080", true).host_header, "127.0.0.1:8080");
  EXPECT_EQ(parse_endpoint("http://127.0.0.1", true).port, 80);
}

TEST(ParseEndpoint, Ipv6) {
  const Endpoint ep = parse_endpoint("http://[::1]:9000", true);
  EXPECT_EQ(ep.host, "::1");
  EXPECT_EQ(ep.port, 9000);
  EXPECT_EQ(ep.host_header, "[::1]:9000");
  EXPECT_EQ(parse_endpoint("https://[::1]", false).host_header, "[::1]");
}

TEST(ParseEndpoint, HttpOnlyWhenExplicit) {
  EXPECT_FALSE(parse_endpoint("http://127.0.0.1:1234", true).https);
  try {
    parse_endpoint("http://127.0.0.1:1234", false);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--tencentcloud.endpoint"), std::string::npos) << e.what();
  }
}

TEST(ParseEndpoint, Rejects) {
  for (const char* bad : {"",
                          "organization.tencentcloudapi.com",
                          "ftp://h",
                          "https://",
                          "https://:443",
                          "https://h:",
                          "https://h:0",
                          "https://h:65536",
                          "https://h:123456",
                          "https://h:-1",
                          "https://h:8a",
                          "https://h/v1",
                          "https://h/?x=1",
                          "https://h?x=1",
                          "https://h#frag",
                          "https://u:p@h",
                          "https://h h",
                          "https://[::1",
                          "https://[]:1",
                          "https://[::1]x",
                          "https://[zz]",
                          "//h"}) {
    try {
      parse_endpoint(bad, true);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--tencentcloud.endpoint"), std::string::npos) << bad;
    }
  }
}

}  // namespace
}  // namespace tcorg::api::detail
