#include "exporter/metrics/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <new>
#include <optional>
#include <stdexcept>

#include "exporter/common/ascii.h"

namespace tcorg::metrics {
namespace {

// The cached part is compressed once per cycle: worth the default effort. The framed part (the
// live series) is small and compressed whenever it changed: the fastest level.
constexpr int kCachedLevel = Z_DEFAULT_COMPRESSION;
constexpr int kFrameLevel = 1;

// ID1 ID2, CM = deflate, no flags, no mtime, no extra flags, OS = Unix.
constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3};

// A raw deflate stream (no zlib or gzip wrapper).
class Deflater {
 public:
  explicit Deflater(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::bad_alloc();
    }
  }
  ~Deflater() { deflateEnd(&z_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // Appends the deflate of `in` to `out`, ended by `flush`: Z_SYNC_FLUSH (byte-aligned, not
  // final) or Z_FINISH (final block).
  void append(std::string_view in, int flush, std::string& out) {
    if (in.size() > UINT_MAX) throw std::length_error("gzip: text over 4 GiB");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    std::size_t used = out.size();
    out.resize(used + deflateBound(&z_, in.size()) + 16);
    for (;;) {
      const auto room = static_cast<uInt>(std::min<std::size_t>(out.size() - used, UINT_MAX));
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      z_.avail_out = room;
      const int rc = deflate(&z_, flush);
      used += room - z_.avail_out;
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
      // Done once all input is in and the flush fitted (zlib: avail_out left over).
      if (rc == Z_STREAM_END || (flush != Z_FINISH && z_.avail_in == 0 && z_.avail_out > 0)) break;
      out.resize(out.size() * 2);
    }
    out.resize(used);
  }

 private:
  z_stream z_{};
};

std::uint32_t crc_of(std::string_view text) {
  return static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
}

void put_le32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string trailer(std::uint32_t crc, std::uint64_t size) {
  std::string t;
  put_le32(t, crc);
  put_le32(t, static_cast<std::uint32_t>(size));  // ISIZE is the length mod 2^32
  return t;
}

// False only for an explicit q=0 (or 0.0...) among the parameters of one coding.
bool q_above_zero(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto param = trim_blanks(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const std::string value(param.substr(2));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      if (end != value.c_str()) return q > 0;
    }
  }
  return true;
}

}  // namespace

Deflated deflate_final(std::string_view text) {
  Deflated d;
  Deflater(kCachedLevel).append(text, Z_FINISH, d.data);
  d.data.shrink_to_fit();  // kept for a whole cycle
  d.crc = crc_of(text);
  d.size = text.size();
  return d;
}

GzipFrame gzip_frame(std::string_view first, const Deflated& last) {
  GzipFrame f;
  f.head.assign(kHeader, sizeof kHeader);
  Deflater(kFrameLevel).append(first, Z_SYNC_FLUSH, f.head);
  const auto crc = crc32_combine(crc_of(first), last.crc, static_cast<z_off_t>(last.size));
  f.tail = trailer(static_cast<std::uint32_t>(crc), first.size() + last.size);
  return f;
}

std::string gzip(std::string_view text) {
  std::string out(kHeader, sizeof kHeader);
  Deflater(kCachedLevel).append(text, Z_FINISH, out);
  out += trailer(crc_of(text), text.size());
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip;  // an explicit gzip or x-gzip coding wins over "*"
  std::optional<bool> any;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const auto semi = item.find(';');
    const auto coding = trim_blanks(item.substr(0, semi));
    const bool accepted = semi == std::string_view::npos || q_above_zero(item.substr(semi + 1));
    if (equals_ignoring_case(coding, "gzip") || equals_ignoring_case(coding, "x-gzip")) {
      gzip = gzip.value_or(false) || accepted;
    } else if (coding == "*") {
      any = accepted;
    }
  }
  return gzip.value_or(any.value_or(false));
}

}  // namespace tcorg::metrics
