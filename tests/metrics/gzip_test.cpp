#include "exporter/metrics/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "tests/metrics/inflate.h"

namespace tcorg::metrics {
namespace {

using testing::inflate_one_member;

// Exposition-like text of about `bytes` bytes, varied enough not to compress to nothing.
std::string text_of(std::size_t bytes) {
  std::string s;
  for (int i = 0; s.size() < bytes; ++i) {
    s += "tencentcloud_org_member_info{name=\"member-" + std::to_string(i * 7919 % 100003) +
         "\",uin=\"" + std::to_string(100000000 + i) + "\"} 1\n";
  }
  s.resize(bytes);
  return s;
}

std::string joined(const GzipFrame& f, const Deflated& last) {
  return f.head + last.data + f.tail;
}

std::uint32_t le32(std::string_view s) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

TEST(GzipFrame, InflatesToBothPartsInOneMember) {
  const std::size_t sizes[] = {0, 1, 100, 70 * 1024, 3 * 1024 * 1024};
  for (std::size_t first_size : {0, 1, 100, 20 * 1024}) {
    for (std::size_t last_size : sizes) {
      const std::string first = text_of(first_size);
      const std::string last = text_of(last_size) + "#";  // differs from a prefix of `first`
      const Deflated d = deflate_final(last);
      const auto out = inflate_one_member(joined(gzip_frame(first, d), d));
      ASSERT_TRUE(out.has_value()) << first_size << "+" << last_size;
      EXPECT_TRUE(*out == first + last) << first_size << "+" << last_size;
    }
  }
}

TEST(GzipFrame, EmptyParts) {
  const Deflated d = deflate_final("");
  EXPECT_EQ(inflate_one_member(joined(gzip_frame("", d), d)), std::string());
  EXPECT_EQ(inflate_one_member(joined(gzip_frame("live 1\n", d), d)), "live 1\n");
}

TEST(GzipFrame, HeaderAndTrailer) {
  const std::string first = text_of(5000), last = text_of(9000);
  const Deflated d = deflate_final(last);
  const GzipFrame f = gzip_frame(first, d);
  ASSERT_GE(f.head.size(), 10u);
  EXPECT_EQ(f.head.substr(0, 4), std::string("\x1f\x8b\x08\x00", 4));  // gzip, deflate, no flags
  ASSERT_EQ(f.tail.size(), 8u);
  const std::string whole = first + last;
  EXPECT_EQ(le32(f.tail), crc32_z(0, reinterpret_cast<const Bytef*>(whole.data()), whole.size()));
  EXPECT_EQ(le32(f.tail.substr(4)), whole.size());
}

TEST(GzipFrame, CachedPartIsReusedAcrossFrames) {
  // The same Deflated serves many responses whose first parts differ (the per-thread stream is
  // reset between them).
  const Deflated d = deflate_final(text_of(200 * 1024));
  for (const std::string first : {"a 1\n", "b 22\n", "", "c 333\n"}) {
    EXPECT_EQ(inflate_one_member(joined(gzip_frame(first, d), d)), first + text_of(200 * 1024));
  }
}

TEST(DeflateFinal, RecordsCrcAndSize) {
  const std::string t = text_of(12345);
  const Deflated d = deflate_final(t);
  EXPECT_EQ(d.size, t.size());
  EXPECT_EQ(d.crc, crc32_z(0, reinterpret_cast<const Bytef*>(t.data()), t.size()));
  EXPECT_LT(d.data.size(), t.size() / 4);
}

TEST(Gzip, WholeText) {
  for (std::size_t n : {0, 10, 300000}) {
    const std::string t = text_of(n);
    EXPECT_EQ(inflate_one_member(gzip(t)), t) << n;
  }
}

TEST(InflateOneMember, RejectsTwoMembers) {
  // The helper itself: concatenated members are what the server must never send.
  EXPECT_FALSE(inflate_one_member(gzip("a") + gzip("b")).has_value());
}

TEST(AcceptsGzip, Negotiation) {
  EXPECT_TRUE(accepts_gzip("gzip"));                     // Prometheus
  EXPECT_TRUE(accepts_gzip("deflate, gzip, br, zstd"));  // curl --compressed
  EXPECT_TRUE(accepts_gzip(" GZip ;q=0.5 , br"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // an explicit coding wins over "*"
  EXPECT_FALSE(accepts_gzip("gzipped"));
}

}  // namespace
}  // namespace tcorg::metrics
