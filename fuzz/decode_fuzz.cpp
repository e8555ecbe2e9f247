// libFuzzer target for the API response decoders (exporter/api/decode.h).
// Byte 0 picks the decoder (bits 0-1) and the UTC offset (bits 2-3); the rest is the body. The
// seeds start with '0'..'3' (invitations, members, member detail, nodes; Beijing time) so they
// stay readable text.
// Besides "no crash, no UB, no exception", it checks the documented contract: a failure is
// kApi or kDecode, never anything else, and pages never carry a negative TotalCount.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/api/decode.h"
#include "exporter/api/time_parse.h"

namespace {

using namespace tcorg::api;

// Offsets the exporter can be configured with, edges included.
constexpr int kOffsets[] = {kBeijingUtcOffsetSeconds, 0, -12 * 3600, 14 * 3600};

void require(bool condition) {
  if (!condition) __builtin_trap();
}

template <class T>
void check_failure(const Result<T>& r) {
  if (r.ok()) return;
  const ErrorKind kind = r.error().kind;
  require(kind == ErrorKind::kApi || kind == ErrorKind::kDecode);
  require(kind == ErrorKind::kApi || !r.error().message.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int offset = kOffsets[(data[0] >> 2) & 3];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] & 3) {
    case 0: {
      const auto r = decode_invitation_page(body, offset);
      check_failure(r);
      if (r.ok()) require(r->total_count >= 0);
      break;
    }
    case 1: {
      const auto r = decode_member_page(body, offset);
      check_failure(r);
      if (r.ok()) require(r->total_count >= 0);
      break;
    }
    case 2:
      check_failure(decode_member_detail(body, offset));
      break;
    default:
      check_failure(decode_node_list(body));
      break;
  }
  return 0;
}
