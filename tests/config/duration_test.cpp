#include "exporter/config/duration.h"

#include <gtest/gtest.h>

namespace tcorg::config {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kS = 1000, kM = 60 * kS, kH = 60 * kM, kD = 24 * kH;

struct Good {
  const char* text;
  std::int64_t ms;
};

TEST(ParseDuration, AcceptsPrometheusDurations) {
  const Good cases[] = {
      {"0", 0},
      {"0s", 0},
      {"500ms", 500},
      {"30s", 30 * kS},
      {"1m", kM},
      {"10m", 10 * kM},
      {"1h30m", kH + 30 * kM},
      {"1d", kD},
      {"2w", 14 * kD},
      {"1y", 365 * kD},
      {"1m30s", 90 * kS},
      {"1s500ms", 1500},
      {"1y2w3d4h5m6s7ms", 365 * kD + 14 * kD + 3 * kD + 4 * kH + 5 * kM + 6 * kS + 7},
      {"90s", 90 * kS},
      {"007s", 7 * kS},
  };
  for (const auto& c : cases) {
    const auto d = parse_duration(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(d->count(), c.ms) << c.text;
  }
}

TEST(ParseDuration, RejectsEverythingElse) {
  const char* cases[] = {
      "",
      "10",
      "-1s",
      "+1s",
      "1x",
      "1.5s",
      "s",
      "1 s",
      " 1s",
      "1s ",
      "1m1h",
      "1s1s",
      "1ms1s",
      "1S",
      "1M",
      "1h-1m",
      "ms",
      "1sm",
      "1mss",
      "5m5",
      "1e3s",
      "9223372036854775808ms",  // int64 overflow in the number
      "300000000y",             // overflow when scaled
      "106751991167d300000000y",
  };
  for (const char* text : cases) EXPECT_FALSE(parse_duration(text).has_value()) << text;
}

TEST(ParseDuration, LargestValueFits) {
  EXPECT_EQ(parse_duration("9223372036854775807ms")->count(), INT64_MAX);
  EXPECT_FALSE(parse_duration("9223372036854775807ms1").has_value());
}

TEST(FormatDuration, AsPrometheusPrintsIt) {
  EXPECT_EQ(format_duration(milliseconds{0}), "0s");
  EXPECT_EQ(format_duration(milliseconds{500}), "500ms");
  EXPECT_EQ(format_duration(milliseconds{90 * kS}), "1m30s");
  EXPECT_EQ(format_duration(milliseconds{kH + 30 * kM}), "1h30m");
  EXPECT_EQ(format_duration(milliseconds{14 * kD}), "2w");
  EXPECT_EQ(format_duration(milliseconds{15 * kD}), "15d");  // weeks only when exact
  EXPECT_EQ(format_duration(milliseconds{365 * kD}), "1y");
}

TEST(FormatDuration, RoundTrips) {
  for (const char* text : {"1m", "10m", "30s", "1h30m", "500ms", "1d", "1w", "1y", "1d1h1m1s1ms"}) {
    EXPECT_EQ(format_duration(*parse_duration(text)), text);
  }
}

}  // namespace
}  // namespace tcorg::config
