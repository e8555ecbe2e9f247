// libFuzzer target for the API time functions (exporter/api/time_parse.h).
// Byte 0 picks a mode; the rest is its input:
//   0: parse_api_time on arbitrary text; whatever it accepts must format back to the same text
//      (the format is canonical: fixed width, zero padded).
//   1: parse_utc_offset on arbitrary text; an accepted offset is whole minutes within +-14:00, and
//      agrees with the flag parser's stricter "+hh:mm" (exporter/config/values.h) where that
//      accepts it too.
//   2: format_api_time -> parse_api_time round trip for every instant whose local time at the
//      offset is in years 0000-9999 (what "YYYY" can hold).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "exporter/api/time_parse.h"
#include "exporter/config/values.h"

namespace {

using namespace tcorg::api;

constexpr int kMaxOffset = 14 * 3600;
// 0000-01-01 00:00:00 and 9999-12-31 23:59:59 as Unix seconds (proleptic Gregorian, UTC).
constexpr std::int64_t kFirstLocal = -62167219200;
constexpr std::int64_t kLastLocal = 253402300799;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

template <class T>
T take(const std::uint8_t*& data, std::size_t& size) {
  T v{};
  const std::size_t n = size < sizeof v ? size : sizeof v;
  std::memcpy(&v, data, n);
  data += n;
  size -= n;
  return v;
}

// An offset in [-14:00, +14:00], from any 32 bits (not necessarily whole minutes).
int offset_from(std::uint32_t raw) {
  return static_cast<int>(raw % (2 * kMaxOffset + 1)) - kMaxOffset;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = take<std::uint8_t>(data, size) % 3;
  if (mode == 0) {
    const int offset = offset_from(take<std::uint32_t>(data, size));
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto t = parse_api_time(text, offset)) require(format_api_time(*t, offset) == text);
  } else if (mode == 1) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto seconds = parse_utc_offset(text);
    if (seconds) require(*seconds % 60 == 0 && *seconds >= -kMaxOffset && *seconds <= kMaxOffset);
    if (const auto strict = tcorg::config::parse_utc_offset(text)) require(seconds == strict);
  } else {
    const int offset = offset_from(take<std::uint32_t>(data, size));
    const auto raw = take<std::uint64_t>(data, size);
    const auto span = static_cast<std::uint64_t>(kLastLocal - kFirstLocal + 1);
    const std::int64_t local = kFirstLocal + static_cast<std::int64_t>(raw % span);
    const std::int64_t t = local - offset;
    const std::string text = format_api_time(t, offset);
    require(text.size() == 19);
    require(parse_api_time(text, offset) == t);
  }
  return 0;
}
