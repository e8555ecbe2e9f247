#include "exporter/api/time_parse.h"

#include <gtest/gtest.h>

namespace tcorg::api {
namespace {

TEST(ParseApiTime, BeijingAndUtc) {
  EXPECT_EQ(parse_api_time("2019-10-10 00:00:00", 0), 1570665600);
  EXPECT_EQ(parse_api_time("2019-10-10 00:00:00", kBeijingUtcOffsetSeconds), 1570636800);
  EXPECT_EQ(parse_api_time("1970-01-01 08:00:00", kBeijingUtcOffsetSeconds), 0);
  EXPECT_EQ(parse_api_time("2024-02-29 23:59:59", 0), 1709251199);  // leap day
  EXPECT_EQ(parse_api_time("2019-10-10 00:00:00", -5 * 3600), 1570665600 + 5 * 3600);
}

TEST(ParseApiTime, RejectsMalformed) {
  for (const char* bad :
       {"", "2019-10-10", "2019-10-10T00:00:00", "2019-10-10 00:00:00Z", "2019-13-01 00:00:00",
        "2019-00-01 00:00:00", "2019-02-30 00:00:00", "2023-02-29 00:00:00", "2019-10-10 24:00:00",
        "2019-10-10 23:60:00", "2019-10-10 23:59:60", "2019/10/10 00:00:00", "2019-1-10 00:00:00 ",
        "+019-10-10 00:00:00", "2019-10-10 0a:00:00", "0000-00-00 00:00:00"}) {
    EXPECT_FALSE(parse_api_time(bad, 0).has_value()) << bad;
  }
}

TEST(FormatApiTime, RoundTrips) {
  for (const std::int64_t t : {0l, 1570636800l, 1709251199l, 4102444799l}) {
    for (const int offset : {0, kBeijingUtcOffsetSeconds, -9 * 3600 - 1800}) {
      EXPECT_EQ(parse_api_time(format_api_time(t, offset), offset), t) << t << " " << offset;
    }
  }
  EXPECT_EQ(format_api_time(1570636800, kBeijingUtcOffsetSeconds), "2019-10-10 00:00:00");
}

TEST(ParseUtcOffset, Forms) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 8 * 3600);
  EXPECT_EQ(parse_utc_offset("+0800"), 8 * 3600);
  EXPECT_EQ(parse_utc_offset("+08"), 8 * 3600);
  EXPECT_EQ(parse_utc_offset("-05:30"), -(5 * 3600 + 1800));
  EXPECT_EQ(parse_utc_offset("Z"), 0);
  EXPECT_EQ(parse_utc_offset("+14:00"), 14 * 3600);
  for (const char* bad :
       {"", "08:00", "+8", "+08:0", "+15:00", "+14:01", "+08:60", "UTC", "+08-00"}) {
    EXPECT_FALSE(parse_utc_offset(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace tcorg::api
