#include "simulator/params.h"

#include <gtest/gtest.h>

#include <array>

namespace tcorg::sim {
namespace {

constexpr std::array kSpec = {ParamSpec{"Invited", true, 0, 1}, ParamSpec{"Limit", false, 1, 50}};

std::string code_of(std::string_view body) {
  const auto r = parse_params(body, kSpec);
  return std::holds_alternative<ApiFailure>(r) ? std::get<ApiFailure>(r).code : "";
}

TEST(ParseParams, AcceptsIntegersInRange) {
  const auto r = parse_params(R"({"Invited":1,"Limit":50})", kSpec);
  ASSERT_TRUE(std::holds_alternative<ParamValues>(r));
  EXPECT_EQ(std::get<ParamValues>(r).at("Invited"), 1);
  EXPECT_EQ(std::get<ParamValues>(r).at("Limit"), 50);
}

TEST(ParseParams, EachProblemHasItsCode) {
  EXPECT_EQ(code_of("not json"), "InvalidParameter");
  EXPECT_EQ(code_of(R"({"Invited":1,"Offset":0})"), "UnknownParameter");
  EXPECT_EQ(code_of(R"({"Invited":"1"})"), "InvalidParameter");
  EXPECT_EQ(code_of(R"({"Invited":true})"), "InvalidParameter");
  EXPECT_EQ(code_of(R"({"Invited":1.0})"), "InvalidParameter");
  EXPECT_EQ(code_of(R"({"Limit":5})"), "MissingParameter");
  EXPECT_EQ(code_of(""), "MissingParameter");  // empty body is {}
  EXPECT_EQ(code_of(R"({"Invited":1,"Limit":51})"), "InvalidParameterValue");
  EXPECT_EQ(code_of(R"({"Invited":-1})"), "InvalidParameterValue");
  EXPECT_EQ(code_of(R"({"Invited":18446744073709551615})"), "InvalidParameterValue");
}

}  // namespace
}  // namespace tcorg::sim
