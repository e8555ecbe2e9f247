#pragma once

// Where the client sends requests: `scheme://host[:port]` parsed and validated once, at setup.
// Private to the api library (and its tests).

#include <string>
#include <string_view>

namespace tcorg::api::detail {

struct Endpoint {
  bool https = true;
  std::string host;  // what to connect to (an IPv6 literal without brackets)
  int port = 443;
  std::string host_header;  // the Host header, also what is signed: ":port" only if not default
};

// Accepts https://host[:port][/], and http://... only when `explicit_flag` (the operator typed
// the endpoint, e.g. to reach a simulator). Throws std::invalid_argument naming `flag` for
// anything else: no/unknown scheme, empty host, bad port, a path, query, fragment or user info.
Endpoint parse_endpoint(std::string_view text, bool explicit_flag,
                        std::string_view flag = "--tencentcloud.endpoint");

}  // namespace tcorg::api::detail
