#pragma once

// Text from outside (an API body, a config file) fit for a message and a log line: cut short,
// and masked where it could break the line or the terminal. Standard library only, so every
// layer can use it.

#include <cstddef>
#include <string>
#include <string_view>

namespace tcorg {

// Bytes above 0x7f: kept (UTF-8 text reads as written), or masked like control characters
// (binary, or text in an encoding of its own, shows as '?').
enum class NonAscii { kKeep, kMask };

// The first `max` bytes of `s`, then "..." if it was longer; control characters and DEL become
// '?', and so do the bytes above 0x7f with NonAscii::kMask.
inline std::string printable(std::string_view s, std::size_t max, NonAscii non_ascii) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool masked = c < 0x20 || c == 0x7f || (c > 0x7f && non_ascii == NonAscii::kMask);
    out += masked ? '?' : s[i];
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace tcorg
