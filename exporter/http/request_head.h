#pragma once

// Reads an HTTP/1.x request head (request line and header fields, RFC 9112) from the bytes a
// connection has received so far. The exporter's endpoints take no body: a Content-Length body
// is read and dropped by the caller, a chunked one is refused. An HTTP/1.1 request must carry
// exactly one Host.

#include <httplib.h>

#include <cstddef>
#include <string_view>

namespace tcorg::http {

enum class HeadStatus {
  kIncomplete,  // no blank line yet: read more
  kComplete,    // `out` is filled
  kBad,         // not HTTP/1.x as this server reads it: 400, then close
  kTooLarge,    // no end within max_size bytes: 431, then close
};

struct RequestHead {
  httplib::Request request;  // method, target, path (target without the query), version, headers
  std::size_t size = 0;      // bytes of the head, blank line included
  std::size_t body_length = 0;
  bool keep_alive = false;  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only if asked
};

HeadStatus parse_request_head(std::string_view data, std::size_t max_size, RequestHead& out);

}  // namespace tcorg::http
