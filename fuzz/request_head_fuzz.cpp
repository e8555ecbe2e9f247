// libFuzzer target for the request-head parser (exporter/http/request_head.h), the first code
// to see a client's bytes. Byte 0 picks max_size (bits 0-1) and where the input is split
// (bits 2-7, with the next byte); the rest is what the connection received.
// Besides "no crash, no UB", it checks the contract the event loop relies on:
// - fed in pieces, as the loop feeds what arrives, the head parses the same as fed whole: a
//   prefix is kIncomplete, or already the same verdict (kBad/kTooLarge may show early);
// - a complete head's size is within the data and max_size, and a parse is deterministic;
// - the parsed path is a prefix of the target, and every target starts with '/' or is
//   something else the caller can 404 (never empty).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/http/request_head.h"

namespace {

using tcorg::http::HeadStatus;
using tcorg::http::parse_request_head;
using tcorg::http::RequestHead;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr std::size_t kMaxSizes[] = {16 * 1024, 64, 1, 4096};

bool same(const RequestHead& a, const RequestHead& b) {
  return a.size == b.size && a.body_length == b.body_length && a.keep_alive == b.keep_alive &&
         a.request.method == b.request.method && a.request.target == b.request.target &&
         a.request.path == b.request.path && a.request.version == b.request.version &&
         a.request.headers == b.request.headers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t max_size = kMaxSizes[data[0] & 3];
  const std::size_t split_seed = (static_cast<std::size_t>(data[0]) >> 2) << 8 | data[1];
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  RequestHead whole;
  const HeadStatus status = parse_request_head(input, max_size, whole);
  RequestHead again;
  require(parse_request_head(input, max_size, again) == status);
  if (status == HeadStatus::kComplete) {
    require(same(whole, again));
    require(whole.size > 0 && whole.size <= input.size() && whole.size <= max_size);
    require(!whole.request.target.empty());
    require(whole.request.target.compare(0, whole.request.path.size(), whole.request.path) == 0);
    require(whole.request.version == "HTTP/1.1" || whole.request.version == "HTTP/1.0");
  }

  // In pieces: every prefix the loop could have seen before.
  const std::size_t step = 1 + split_seed % 97;
  for (std::size_t n = step; n < input.size(); n += step) {
    RequestHead part;
    const HeadStatus s = parse_request_head(input.substr(0, n), max_size, part);
    if (s == HeadStatus::kIncomplete) continue;
    if (s == HeadStatus::kComplete) {
      // A whole head inside a prefix is the same head (what follows it is the next request).
      require(status == HeadStatus::kComplete && same(part, whole));
    } else {
      // Bad or too large early stays so with more bytes.
      require(s == status);
    }
    break;
  }
  return 0;
}
