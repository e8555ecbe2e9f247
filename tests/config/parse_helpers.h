#pragma once

// Shorthands for parse_flags in tests: run it on a list of arguments and unpack the outcome.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "exporter/config/flags.h"
#include "tests/config/test_support.h"

namespace tcorg::config::test {

inline const BuildInfo kBuild{"1.2.3", "abc123def456"};

inline ParseResult parse(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {}) {
  return parse_flags(args, kBuild, fake_env(env));
}

// The Config, or a test failure naming the error.
inline Config parse_ok(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {}) {
  ParseResult result = parse(args, env);
  if (auto* exit = std::get_if<ExitNow>(&result)) {
    ADD_FAILURE() << "unexpected exit " << exit->code << ": " << exit->text;
    return Config{};
  }
  return std::get<Config>(std::move(result));
}

// The usage error text (exit code 2), or a test failure.
inline std::string parse_error(const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& env = {}) {
  const ParseResult result = parse(args, env);
  const auto* exit = std::get_if<ExitNow>(&result);
  if (exit == nullptr) {
    ADD_FAILURE() << "expected an error for the arguments";
    return "";
  }
  EXPECT_EQ(exit->code, 2) << exit->text;
  return exit->text;
}

}  // namespace tcorg::config::test
