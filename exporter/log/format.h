#pragma once

// Pure formatting of one log line, in logfmt or JSON. Kept apart from the Logger so the
// escaping rules are tested on strings alone.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/log/field.h"
#include "exporter/log/level.h"

namespace tcorg::log {

struct Record {
  std::chrono::system_clock::time_point ts;
  Level level = Level::kInfo;
  std::string_view msg;
  const Field* fields = nullptr;  // `context` first, then these
  std::size_t field_count = 0;
  const std::vector<Field>* context = nullptr;
};

// RFC 3339 in UTC with milliseconds: "2026-11-23T16:00:00.123Z".
std::string format_timestamp(std::chrono::system_clock::time_point ts);
// A logfmt value: bare when safe, else quoted with \" \\ \n \r \t and \u00XX escapes. Empty,
// spaces, '=', '"' and control characters all force quotes, as in go-logfmt.
std::string logfmt_value(std::string_view value);
// A JSON string literal (with the quotes). Invalid UTF-8 becomes U+FFFD so the line stays JSON.
std::string json_string(std::string_view value);
// One whole line, ending in '\n': ts, level, msg, then the fields in order.
std::string format_line(Format format, const Record& record);

}  // namespace tcorg::log
