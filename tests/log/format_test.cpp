#include "exporter/log/format.h"

#include <gtest/gtest.h>

namespace tcorg::log {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2026-11-23T16:00:00.123Z
const system_clock::time_point kTs{milliseconds{1795449600123}};

TEST(FormatTimestamp, Rfc3339UtcMillis) {
  EXPECT_EQ(format_timestamp(kTs), "2026-11-23T16:00:00.123Z");
  EXPECT_EQ(format_timestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

struct LogfmtCase {
  const char* in;
  const char* out;
};

TEST(LogfmtValue, QuotesOnlyWhenNeeded) {
  const LogfmtCase cases[] = {
      {"members", "members"},
      {"a-b_c.d/e:f", "a-b_c.d/e:f"},
      {"", R"("")"},
      {"two words", R"("two words")"},
      {"a=b", R"("a=b")"},
      {R"(say "hi")", R"("say \"hi\"")"},
      {"back\\slash", "back\\slash"},  // no quote needed, as in go-logfmt
      {"line\nbreak", R"("line\nbreak")"},
      {"tab\there", R"("tab\there")"},
      {"bell\x07", R"("bell\u0007")"},
      {"a \\ b", R"("a \\ b")"},
      {"\xe4\xb8\xad", "\xe4\xb8\xad"},
  };
  for (const auto& c : cases) EXPECT_EQ(logfmt_value(c.in), c.out) << c.in;
}

TEST(JsonString, Escapes) {
  EXPECT_EQ(json_string("plain"), R"("plain")");
  EXPECT_EQ(json_string(""), R"("")");
  EXPECT_EQ(json_string(R"(q"b\)"), R"("q\"b\\")");
  EXPECT_EQ(json_string("a\nb\r\t"), R"("a\nb\r\t")");
  EXPECT_EQ(json_string(std::string("nul\0x", 5)), R"("nul\u0000x")");
  EXPECT_EQ(json_string("\xe4\xb8\xad\xe6\x96\x87"), "\"\xe4\xb8\xad\xe6\x96\x87\"");
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(json_string("a\xff"
                        "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(json_string("\xe4\xb8"), R"("\ufffd\ufffd")");            // truncated sequence
  EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong '/'
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
}

TEST(FormatLine, Logfmt) {
  const Field fields[] = {{"collector", "members"}, {"err", "auth failed"}, {"pages", 3}};
  const std::string line =
      format_line(Format::kLogfmt, Record{kTs, Level::kWarn, "collection failed", fields, 3});
  EXPECT_EQ(line,
            "ts=2026-11-23T16:00:00.123Z level=warn msg=\"collection failed\" collector=members "
            "err=\"auth failed\" pages=3\n");
}

TEST(FormatLine, Json) {
  const Field fields[] = {{"collector", "members"}, {"pages", 3}, {"ok", false}};
  const std::string line =
      format_line(Format::kJson, Record{kTs, Level::kError, "say \"x\"", fields, 3});
  EXPECT_EQ(line, R"({"ts":"2026-11-23T16:00:00.123Z","level":"error","msg":"say \"x\"",)"
                  R"("collector":"members","pages":3,"ok":false})"
                  "\n");
}

TEST(FormatLine, ContextFieldsComeFirst) {
  const std::vector<Field> context = {{"collector", "invitations"}};
  const Field fields[] = {{"n", 1}};
  const std::string line =
      format_line(Format::kLogfmt, Record{kTs, Level::kInfo, "m", fields, 1, &context});
  EXPECT_EQ(line, "ts=2026-11-23T16:00:00.123Z level=info msg=m collector=invitations n=1\n");
}

TEST(FormatLine, BadKeysCannotBreakTheLine) {
  const Field fields[] = {{"a b=c", "v"}, {"", "w"}};
  const std::string line = format_line(Format::kLogfmt, Record{kTs, Level::kInfo, "m", fields, 2});
  EXPECT_EQ(line, "ts=2026-11-23T16:00:00.123Z level=info msg=m a_b_c=v _=w\n");
}

}  // namespace
}  // namespace tcorg::log
