#include "exporter/config/values.h"

#include <charconv>
#include <cmath>

namespace tcorg::config {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_hostname(std::string_view host) {
  for (char c : host) {
    if (!is_alnum(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// The inside of "[...]": an IPv6 address, possibly with a zone ("fe80::1%eth0").
bool is_bracketed_host(std::string_view host) {
  if (host.find(':') == std::string_view::npos) return false;
  for (char c : host) {
    if (!is_alnum(c) && c != ':' && c != '.' && c != '%' && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
  }
  const auto value = parse_int(text);
  if (!value || *value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":") return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!is_bracketed_host(host)) return std::nullopt;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (!is_hostname(host)) return std::nullopt;  // also rejects "::1:80"
  }
  const auto port_number = parse_port(port);
  if (!port_number) return std::nullopt;
  return HostPort{std::string(host), *port_number};
}

std::optional<int> parse_utc_offset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  for (std::size_t i : {1u, 2u, 4u, 5u}) {
    if (!is_digit(text[i])) return std::nullopt;
  }
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  const int seconds = hours * 3600 + minutes * 60;
  if (minutes > 59 || seconds > 14 * 3600) return std::nullopt;
  return text[0] == '-' ? -seconds : seconds;
}

bool is_valid_endpoint(std::string_view text) {
  std::string_view rest;
  if (text.starts_with("https://")) {
    rest = text.substr(8);
  } else if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else {
    return false;
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty()) return false;
  // With a port (or brackets) it must be host:port with a host; else a bare hostname.
  if (rest.find(':') != std::string_view::npos || rest.starts_with('[')) {
    const auto hp = parse_host_port(rest);
    return hp.has_value() && !hp->host.empty();
  }
  return is_hostname(rest);
}

bool is_valid_region(std::string_view text) {
  if (text.size() > 64) return false;
  for (char c : text) {
    if (!is_digit(c) && !(c >= 'a' && c <= 'z') && c != '-') return false;
  }
  return true;
}

std::optional<std::vector<std::int64_t>> parse_uin_list(std::string_view text) {
  std::vector<std::int64_t> uins;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const auto uin = parse_int(item);
    if (!uin || *uin <= 0 || item.starts_with('-')) return std::nullopt;
    uins.push_back(*uin);
    if (comma == std::string_view::npos) return uins;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace tcorg::config
