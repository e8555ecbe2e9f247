#pragma once

// One key=value pair of a log line. Built implicitly from {"key", value} so call sites read
// `logger.info("msg", {{"collector", "members"}, {"pages", 3}})`.

#include <concepts>
#include <string>
#include <string_view>
#include <utility>

namespace tcorg::log {

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Field(std::string_view k, T v)
      : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, double v);

  std::string key;
  std::string value;
  bool quoted = true;  // JSON: a string; false for numbers and booleans, written bare
};

}  // namespace tcorg::log
