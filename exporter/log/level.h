#pragma once

// Log levels and output formats, with the flag spellings (--log.level, --log.format).

#include <optional>
#include <string_view>

namespace tcorg::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

// "debug", "info", "warn", "error".
std::string_view to_string(Level level);
// "logfmt", "json".
std::string_view to_string(Format format);
// Exact, lowercase spellings only; nullopt otherwise.
std::optional<Level> parse_level(std::string_view text);
std::optional<Format> parse_format(std::string_view text);

}  // namespace tcorg::log
