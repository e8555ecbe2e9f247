#include "exporter/config/values.h"

#include <gtest/gtest.h>

namespace tcorg::config {
namespace {

TEST(ParseInt, Strict) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("-3"), -3);
  EXPECT_EQ(parse_int("40"), 40);
  for (const char* bad :
       {"", "+1", "1.0", " 1", "1 ", "0x10", "1e3", "abc", "99999999999999999999"}) {
    EXPECT_FALSE(parse_int(bad).has_value()) << bad;
  }
}

TEST(ParseDouble, FiniteOnly) {
  EXPECT_EQ(parse_double("15"), 15.0);
  EXPECT_EQ(parse_double("2.5"), 2.5);
  EXPECT_EQ(parse_double("1e1"), 10.0);
  for (const char* bad : {"", "inf", "nan", "1,5", "1.5x", "1e999"}) {
    EXPECT_FALSE(parse_double(bad).has_value()) << bad;
  }
}

TEST(ParseHostPort, Accepts) {
  struct Case {
    const char* text;
    const char* host;
    int port;
  };
  const Case cases[] = {
      {":10110", "", 10110},
      {"0.0.0.0:80", "0.0.0.0", 80},
      {"localhost:0", "localhost", 0},
      {"[::1]:9100", "::1", 9100},
      {"[::]:65535", "::", 65535},
      {"[fe80::1%eth0]:1", "fe80::1%eth0", 1},
      {"my-host.example:8080", "my-host.example", 8080},
  };
  for (const auto& c : cases) {
    const auto hp = parse_host_port(c.text);
    ASSERT_TRUE(hp.has_value()) << c.text;
    EXPECT_EQ(hp->host, c.host) << c.text;
    EXPECT_EQ(hp->port, c.port) << c.text;
  }
}

TEST(ParseHostPort, Rejects) {
  for (const char* bad :
       {"", "10110", ":", ":65536", ":-1", ":+80", "::1:9100", "[::1]9100", "[::1]", "[]:80",
        "[host]:80", "a b:80", "host:80x", ":123456", "http://host:80"}) {
    EXPECT_FALSE(parse_host_port(bad).has_value()) << bad;
  }
}

TEST(ParseUtcOffset, PlusMinusHhMm) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 8 * 3600);
  EXPECT_EQ(parse_utc_offset("-05:30"), -(5 * 3600 + 30 * 60));
  EXPECT_EQ(parse_utc_offset("+00:00"), 0);
  EXPECT_EQ(parse_utc_offset("+14:00"), 14 * 3600);
  EXPECT_EQ(parse_utc_offset("-14:00"), -14 * 3600);
  for (const char* bad : {"", "08:00", "+8:00", "+0800", "Z", "+14:01", "+15:00", "+08:60", "+08:0",
                          "+08:000", "UTC+8", "+0a:00"}) {
    EXPECT_FALSE(parse_utc_offset(bad).has_value()) << bad;
  }
}

TEST(IsValidEndpoint, SchemeHostOptionalPort) {
  for (const char* good :
       {"https://organization.tencentcloudapi.com", "http://127.0.0.1:8080",
        "https://organization.tencentcloudapi.com/", "http://[::1]:8080", "http://localhost"}) {
    EXPECT_TRUE(is_valid_endpoint(good)) << good;
  }
  for (const char* bad : {"", "organization.tencentcloudapi.com", "ftp://host", "https://",
                          "https:///", "https://host/path", "https://user@host",
                          "http://host:99999", "http://:80", "https://host?x=1", "https://a b"}) {
    EXPECT_FALSE(is_valid_endpoint(bad)) << bad;
  }
}

TEST(IsValidRegion, LowercaseIds) {
  EXPECT_TRUE(is_valid_region(""));
  EXPECT_TRUE(is_valid_region("ap-guangzhou"));
  EXPECT_TRUE(is_valid_region("na-siliconvalley"));
  EXPECT_FALSE(is_valid_region("AP-Guangzhou"));
  EXPECT_FALSE(is_valid_region("ap guangzhou"));
  EXPECT_FALSE(is_valid_region(std::string(65, 'a')));
}

TEST(ParseUinList, CommaSeparatedPositiveIntegers) {
  EXPECT_EQ(parse_uin_list("100001"), std::vector<std::int64_t>{100001});
  EXPECT_EQ(parse_uin_list("1,2, 3"), (std::vector<std::int64_t>{1, 2, 3}));
  for (const char* bad : {"", "0", "-1", "1,,2", "1,", ",1", "abc", "1;2", "1.5", "+5"}) {
    EXPECT_FALSE(parse_uin_list(bad).has_value()) << bad;
  }
}

TEST(ParseBool, TrueFalseOnly) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("false"), false);
  EXPECT_FALSE(parse_bool("yes").has_value());
  EXPECT_FALSE(parse_bool("1").has_value());
  EXPECT_FALSE(parse_bool("").has_value());
}

}  // namespace
}  // namespace tcorg::config
