#pragma once

// Parsers for single flag values, strict and pure: each returns nullopt (or false) for text it
// does not accept, and the flag table turns that into a message naming the flag.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcorg::config {

// Decimal integer: optional '-', digits only, within int64.
std::optional<std::int64_t> parse_int(std::string_view text);
// Finite decimal number ("15", "2.5", "1e1"); no inf or nan.
std::optional<double> parse_double(std::string_view text);
// "true" or "false".
std::optional<bool> parse_bool(std::string_view text);

struct HostPort {
  std::string host;  // without brackets; empty for ":port" (all interfaces)
  std::uint16_t port = 0;
};
// "host:port", ":port", "[v6]:port"; port 0..65535. Unbracketed IPv6 is rejected as ambiguous.
std::optional<HostPort> parse_host_port(std::string_view text);

// "+08:00", "-05:30": seconds east of UTC, within ±14:00.
std::optional<int> parse_utc_offset(std::string_view text);

// "http(s)://host[:port]" with an optional trailing '/': no path, query or user info.
bool is_valid_endpoint(std::string_view text);
// A region id such as "ap-guangzhou" (lowercase letters, digits, '-'), or empty.
bool is_valid_region(std::string_view text);

// Member UINs, comma-separated ("100001,100002"): each a positive integer.
std::optional<std::vector<std::int64_t>> parse_uin_list(std::string_view text);

}  // namespace tcorg::config
