// libFuzzer target for the credentials INI parser (exporter/config/credentials.h).
// Checks the contract beyond "no crash": accepted credentials have a non-empty, blank-free
// secret_id and secret_key; an error names the file and never quotes the file's content. Messages
// are fixed templates, so "never quotes" is checked as: printable ASCII and of bounded length.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/config/credentials.h"

namespace {

constexpr std::string_view kPath = "/fuzz/credentials";
// The longest template plus two line numbers; anything longer must contain input.
constexpr std::size_t kMaxMessage = kPath.size() + 128;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

bool has_blank(std::string_view s) {
  return s.find_first_of(" \t\r\n\f\v") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = tcorg::config::parse_credentials_ini(text, kPath);
  if (r.ok()) {
    const auto& c = r.value();
    require(!c.secret_id.empty() && !c.secret_key.empty());
    require(!has_blank(c.secret_id) && !has_blank(c.secret_key) && !has_blank(c.token));
    return 0;
  }
  const std::string& message = r.error();
  require(message.starts_with(kPath));
  require(message.size() <= kMaxMessage);
  for (const char ch : message) require(ch >= 0x20 && ch < 0x7f);
  return 0;
}
