#include "exporter/log/level.h"

#include <gtest/gtest.h>

namespace tcorg::log {
namespace {

TEST(Level, ParsesEveryFlagSpelling) {
  EXPECT_EQ(parse_level("debug"), Level::kDebug);
  EXPECT_EQ(parse_level("info"), Level::kInfo);
  EXPECT_EQ(parse_level("warn"), Level::kWarn);
  EXPECT_EQ(parse_level("error"), Level::kError);
  EXPECT_EQ(parse_format("logfmt"), Format::kLogfmt);
  EXPECT_EQ(parse_format("json"), Format::kJson);
}

TEST(Level, RejectsOtherSpellings) {
  for (const char* bad : {"", "INFO", "warning", "fatal", " info"}) {
    EXPECT_FALSE(parse_level(bad).has_value()) << bad;
  }
  for (const char* bad : {"", "xml", "JSON", "text"}) {
    EXPECT_FALSE(parse_format(bad).has_value()) << bad;
  }
}

TEST(Level, RoundTrips) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    EXPECT_EQ(parse_level(to_string(l)), l);
  }
}

}  // namespace
}  // namespace tcorg::log
