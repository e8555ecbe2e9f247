#include "exporter/api/endpoint.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tcorg::api::detail {
namespace {

[[noreturn]] void reject(std::string_view flag, std::string_view text, const std::string& why) {
  throw std::invalid_argument(std::string(flag) + " \"" + std::string(text) + "\": " + why);
}

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Endpoint parse_endpoint(std::string_view text, bool explicit_flag, std::string_view flag) {
  const auto reject = [flag](std::string_view t, const std::string& why) {
    ::tcorg::api::detail::reject(flag, t, why);
  };
  Endpoint ep;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) reject(text, "expected scheme://host[:port]");
  const std::string scheme = lower(text.substr(0, sep));
  if (scheme == "http") {
    if (!explicit_flag) reject(text, "plain http is only accepted when set explicitly");
    ep.https = false;
    ep.port = 80;
  } else if (scheme != "https") {
    reject(text, "scheme must be https (or http for a simulator)");
  }
  std::string_view rest = text.substr(sep + 3);
  // Only an empty path or "/" is allowed: the API is always POST /.
  const auto path_at = rest.find_first_of("/?#");
  if (path_at != std::string_view::npos) {
    if (rest.substr(path_at) != "/") reject(text, "must not have a path, query or fragment");
    rest = rest.substr(0, path_at);
  }
  if (rest.find('@') != std::string_view::npos) reject(text, "must not contain user info");

  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) reject(text, "unterminated IPv6 address");
    ep.host = std::string(rest.substr(1, close - 1));
    const bool ok = !ep.host.empty() && std::all_of(ep.host.begin(), ep.host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
    if (!ok) reject(text, "invalid IPv6 address");
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') reject(text, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) reject(text, "empty port");
    }
  } else {
    const auto colon = rest.find(':');
    ep.host = lower(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) reject(text, "empty port");
    }
    if (ep.host.empty()) reject(text, "empty host");
    if (!std::all_of(ep.host.begin(), ep.host.end(), host_char)) {
      reject(text, "invalid character in host");
    }
  }
  const bool bracketed = !rest.empty() && rest.front() == '[';
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
      reject(text, "port must be a number 1..65535");
    }
    ep.port = std::stoi(std::string(port_text));
    if (ep.port < 1 || ep.port > 65535) reject(text, "port must be a number 1..65535");
  }
  ep.host_header = bracketed ? "[" + ep.host + "]" : ep.host;
  if (ep.port != (ep.https ? 443 : 80)) ep.host_header += ":" + std::to_string(ep.port);
  return ep;
}

}  // namespace tcorg::api::detail
