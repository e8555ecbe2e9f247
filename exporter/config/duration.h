#pragma once

// Durations as Prometheus writes them (model.Duration): a sequence of <integer><unit> with units
// y (365d), w, d, h, m, s, ms, largest first, each at most once: "30s", "1h30m", "500ms", "1d".
// "0" alone means zero. No sign, no fractions, no bare numbers. Pure functions.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tcorg::config {

// nullopt for anything else, including values beyond int64 milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The inverse, as Prometheus prints it: 90000ms -> "1m30s", 0 -> "0s"; y and w only when exact.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace tcorg::config
