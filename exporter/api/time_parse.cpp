#include "exporter/api/time_parse.h"

#include <chrono>
#include <cstdio>

namespace tcorg::api {
namespace {

// Parses exactly `width` ASCII digits at `pos`; nullopt otherwise.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_api_time(std::string_view s, int utc_offset_seconds) {
  using namespace std::chrono;
  // YYYY-MM-DD hh:mm:ss
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
      s[16] != ':') {
    return std::nullopt;
  }
  const auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const auto h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)},
                           day{static_cast<unsigned>(*d)}};
  if (!ymd.ok() || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  const auto local = sys_days{ymd}.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*se};
  return duration_cast<seconds>(local).count() - utc_offset_seconds;
}

std::string format_api_time(std::int64_t unix_seconds, int utc_offset_seconds) {
  using namespace std::chrono;
  const sys_seconds local{seconds{unix_seconds + utc_offset_seconds}};
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

std::optional<int> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "z") return 0;
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  std::optional<int> h, m;
  if (s.size() == 6 && s[3] == ':') {
    h = digits(s, 1, 2);
    m = digits(s, 4, 2);
  } else if (s.size() == 5) {
    h = digits(s, 1, 2);
    m = digits(s, 3, 2);
  } else if (s.size() == 3) {
    h = digits(s, 1, 2);
    m = 0;
  }
  if (!h || !m || *m > 59 || *h * 60 + *m > 14 * 60) return std::nullopt;
  return sign * (*h * 3600 + *m * 60);
}

}  // namespace tcorg::api
