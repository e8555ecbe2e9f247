#pragma once

// The API's times are zone-less strings "YYYY-MM-DD hh:mm:ss" in a fixed zone (Beijing, +08:00,
// by default). Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcorg::api {

inline constexpr int kBeijingUtcOffsetSeconds = 8 * 3600;

// "YYYY-MM-DD hh:mm:ss" at `utc_offset_seconds` east of UTC → Unix seconds; nullopt if malformed
// (wrong shape, month 13, Feb 30, hour 24, ...).
std::optional<std::int64_t> parse_api_time(std::string_view text, int utc_offset_seconds);
// The inverse: Unix seconds → "YYYY-MM-DD hh:mm:ss" at the offset.
std::string format_api_time(std::int64_t unix_seconds, int utc_offset_seconds);
// "+08:00", "-05:30", "Z", "+0800" → seconds east of UTC; nullopt if malformed or beyond ±14:00.
std::optional<int> parse_utc_offset(std::string_view text);

}  // namespace tcorg::api
