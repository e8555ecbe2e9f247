#include "exporter/log/level.h"

namespace tcorg::log {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

std::string_view to_string(Format format) {
  return format == Format::kJson ? "json" : "logfmt";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view text) {
  for (Format format : {Format::kLogfmt, Format::kJson}) {
    if (text == to_string(format)) return format;
  }
  return std::nullopt;
}

}  // namespace tcorg::log
