#pragma once

// gzip (RFC 1952) bodies made of a large part compressed once and cached, and a small part
// compressed for the response, joined into ONE gzip member without recompressing the cached part.
// (Concatenated members would be valid gzip too, but some decoders read only the first.)
//
// How: the small part is raw-deflated and flushed with Z_SYNC_FLUSH, which ends it on a
// byte boundary after non-final blocks; the cached part was raw-deflated alone and ended with a
// final block, so it refers to nothing before it. Their concatenation is one deflate stream, and
// the trailer's CRC-32 is crc32_combine() of the two parts' CRCs.
//
// All functions are thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace tcorg::metrics {

// A text raw-deflated on its own and ended with a final block: the end of a gzip member.
struct Deflated {
  std::string data;
  std::uint32_t crc = 0;   // CRC-32 of the text
  std::uint64_t size = 0;  // length of the text
};

Deflated deflate_final(std::string_view text);

// The bytes around `last.data` in the gzip member of `first` followed by the text of `last`.
struct GzipFrame {
  std::string head;  // gzip header, then `first` deflated and sync-flushed
  std::string tail;  // CRC-32 and length (mod 2^32) of the whole text
};

GzipFrame gzip_frame(std::string_view first, const Deflated& last);

// One gzip member of `text`.
std::string gzip(std::string_view text);

// Whether an Accept-Encoding value admits gzip: a "gzip" or "x-gzip" coding, else "*", with a
// q-value above 0.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace tcorg::metrics
