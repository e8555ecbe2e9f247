#pragma once

// Answer bodies as the real service sends them: gzip when the client's Accept-Encoding lists it,
// otherwise plain. cpp-httplib would also pick brotli (slow at its level, and never sent by the
// real service) for exactly "application/json", so bodies carry "; charset=utf-8", which it
// leaves alone.

#include <httplib.h>

#include <cstdint>
#include <string>

namespace tcorg::sim {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

void set_body(const httplib::Request& req, httplib::Response& res, const std::string& body,
              const char* content_type = kJsonType);

// gzip of `data` (RFC 1952), for tests and set_body.
std::string gzip(const std::string& data);

// An HTTP Date header value (IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date(std::int64_t unix_seconds);

}  // namespace tcorg::sim
