#include "exporter/log/field.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace tcorg::log {
namespace {

TEST(Field, StringsAreQuotedInJson) {
  const std::string s = "x";
  for (const Field& f : {Field{"k", "lit"}, Field{"k", s}, Field{"k", std::string_view("sv")}}) {
    EXPECT_TRUE(f.quoted);
  }
  EXPECT_EQ(Field("k", static_cast<const char*>(nullptr)).value, "");
}

TEST(Field, NumbersAndBoolsAreBare) {
  EXPECT_EQ(Field("k", 42).value, "42");
  EXPECT_EQ(Field("k", std::int64_t{-7}).value, "-7");
  EXPECT_EQ(Field("k", std::size_t{3}).value, "3");
  EXPECT_EQ(Field("k", true).value, "true");
  EXPECT_EQ(Field("k", 0.25).value, "0.25");
  EXPECT_FALSE(Field("k", 42).quoted);
  EXPECT_FALSE(Field("k", false).quoted);
  EXPECT_FALSE(Field("k", 1.5).quoted);
}

TEST(Field, NonFiniteDoublesStayStrings) {
  EXPECT_EQ(Field("k", NAN).value, "NaN");
  EXPECT_EQ(Field("k", INFINITY).value, "+Inf");
  EXPECT_TRUE(Field("k", -INFINITY).quoted);
}

}  // namespace
}  // namespace tcorg::log
