#include "exporter/config/duration.h"

#include <cstdint>
#include <limits>

namespace tcorg::config {

namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

// Largest first: a duration lists its units in this order, each at most once.
constexpr Unit kUnits[] = {
    {"y", 365LL * 24 * 3600 * 1000},
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
};
constexpr int kUnitCount = sizeof kUnits / sizeof kUnits[0];

// Index in kUnits of the unit at the start of `text`, the longest name winning ("ms" over "m");
// -1 if none.
int match_unit(std::string_view text) {
  int best = -1;
  for (int u = 0; u < kUnitCount; ++u) {
    const std::string_view name = kUnits[u].name;
    if (text.starts_with(name) && (best < 0 || name.size() > kUnits[best].name.size())) best = u;
  }
  return best;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds{0};
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  int last_unit = -1;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (number > (kMax - (text[i] - '0')) / 10) return std::nullopt;
      number = number * 10 + (text[i] - '0');
    }
    if (i == digits_start) return std::nullopt;  // a unit without a number, or a sign
    const int u = match_unit(text.substr(i));
    if (u < 0) return std::nullopt;           // bare number or unknown unit
    if (u <= last_unit) return std::nullopt;  // out of order or repeated
    last_unit = u;
    i += kUnits[u].name.size();
    if (number > (kMax - total) / kUnits[u].ms) return std::nullopt;
    total += number * kUnits[u].ms;
  }
  return std::chrono::milliseconds{total};
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::int64_t ms = duration.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {  // not produced by parse_duration, but print it sensibly anyway
    out = "-";
    ms = -ms;
  }
  const auto take = [&](std::string_view unit, std::int64_t mult, bool exact) {
    if (exact && ms % mult != 0) return;
    if (const std::int64_t v = ms / mult; v > 0) {
      out += std::to_string(v);
      out += unit;
      ms -= v * mult;
    }
  };
  for (int u = 0; u < kUnitCount; ++u) {
    take(kUnits[u].name, kUnits[u].ms, /*exact=*/u < 2);  // years and weeks only when exact
  }
  return out;
}

}  // namespace tcorg::config
