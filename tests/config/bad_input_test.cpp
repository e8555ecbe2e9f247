// Bad input beyond the one bad value per flag of flag_table_test.cpp: every flag with values of
// the wrong type, out of range or merely odd, and credentials files that are not files, not
// text, or hold blank secrets. Each is rejected with a message naming the flag or the file (and
// line), never accepted silently and never a crash.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "exporter/config/credentials_source.h"
#include "exporter/config/flag_table.h"
#include "tests/config/parse_helpers.h"

namespace tcorg::config {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::string_literals;

const std::vector<std::string> kBadInts = {"",
                                           " ",
                                           "abc",
                                           "1.5",
                                           "1e3",
                                           "0x10",
                                           " 5",
                                           "5 ",
                                           "+5",
                                           "--5",
                                           "5abc",
                                           "9223372036854775808",
                                           "99999999999999999999999",
                                           "2147483648",
                                           "\xef\xbc\x95" /* fullwidth 5 */};
const std::vector<std::string> kBadIntervals = {
    "",     "abc",  "10",    "1.5s", "-1s",
    "+1s",  "1s1m", "1m1m",  "1S",   "10 s",
    " 10s", "10s ", "NaN",   "inf",  "99999999999999999999s",
    "0",    "0s",   "999ms", "1d1x"};
const std::vector<std::string> kBadBools = {"", "yes", "no", "1", "0", "TRUE", "on", " true"};

std::map<std::string, std::vector<std::string>> bad_values() {
  return {
      {"web.listen-address",
       {"", ":", ":-1", ":65536", ":99999", "host", "[::1]", "[::1]80", "a b:80", "::1:80",
        "127.0.0.1:80:80", "[::1:80", ":8o"}},
      {"web.telemetry-path", {"", "metrics", "/a b", "/a?b", "/a#b", "/a\tb", "/a\nb"}},
      {"web.config.file", {""}},
      {"web.max-requests", kBadInts},
      {"web.max-connections",
       [] {
         auto v = kBadInts;
         v.push_back("0");  // at least one connection
         return v;
       }()},
      {"tencentcloud.endpoint",
       {"", "ftp://x", "http://", "https://", "https://a b", "http://host:99999", "http://[::1",
        "organization.tencentcloudapi.com", "https://:443", "https://host:", "https://host:x"}},
      {"tencentcloud.region",
       {"AP-Guangzhou", "ap_guangzhou", "ap guangzhou", std::string(65, 'a')}},
      {"tencentcloud.time-zone-offset",
       {"", "+8", "08:00", "+0800", "+08:60", "+14:01", "+15:00", "UTC", "+08:00 ", "+0a:00"}},
      {"tencentcloud.credentials-file", {""}},
      {"tencentcloud.role-arn",
       {"", "org-reader", "qcs::cam::uin/:roleName/x", "qcs::cam::uin/12:roleName/",
        "qcs::cam::uin/12:roleName/a/b", "qcs::cam::uin/1x:roleName/a", "arn:aws:iam::1:role/x",
        "qcs::cam::uin/12:roleName/a b"}},
      {"tencentcloud.role-session-name", {"", "a b", "a/b", std::string(129, 'a'), "\xc3\xa9"}},
      {"tencentcloud.role-duration", {"", "10m", "14m59s", "12h1s", "1500ms", "2", "abc"}},
      {"tencentcloud.cvm-role", {"", "../meta", "a/b", "a b", std::string(129, 'a')}},
      {"tencentcloud.metadata-endpoint", {"", "metadata.tencentyun.com", "ftp://x", "http://"}},
      {"tencentcloud.sts-endpoint", {"", "sts.tencentcloudapi.com", "ftp://x", "https://a b"}},
      {"api.requests-per-second",
       {"", "abc", "nan", "NaN", "inf", "-inf", "-1", "0", "-0", "1e400", "1e-400", "1,5", "0x10",
        " 5", "5/s"}},
      {"api.timeout", {"", "abc", "10", "0", "0s", "-1s", "1.5s", "10 s", "99999999999999999999s"}},
      {"api.max-retries", kBadInts},
      {"api.max-in-flight", {"0", "65", "-1", "", "abc", "1.5", "9223372036854775808"}},
      {"collector.invitations", kBadBools},
      {"collector.invitations.interval", kBadIntervals},
      {"collector.members", kBadBools},
      {"collector.members.list", kBadBools},
      {"collector.members.interval", kBadIntervals},
      {"members.uin",
       {"", "0", "-1", "abc", "1,,2", "1,abc", ",1", "1,", "9223372036854775808", "1.5", "1;2",
        "0x10"}},
      {"log.level", {"", "trace", "DEBUG", "Info", "warning", "fatal", " info"}},
      {"log.format", {"", "text", "JSON", "logfmt ", "yaml"}},
      {"collect.once", kBadBools},
  };
}

TEST(BadFlagValues, EveryFlagHasCases) {
  std::set<std::string> covered;
  for (const auto& [flag, values] : bad_values()) covered.insert(flag);
  std::set<std::string> all;
  for (const FlagSpec& f : flag_table()) all.insert(std::string(f.name));
  EXPECT_EQ(covered, all);
}

TEST(BadFlagValues, AreRejectedNamingTheFlag) {
  for (const auto& [flag, values] : bad_values()) {
    for (const auto& value : values) {
      const std::string arg = "--" + flag + "=" + value;
      const std::string error = parse_error({arg});
      EXPECT_THAT(error, HasSubstr("--" + flag + ": invalid value \"")) << arg;
      EXPECT_THAT(error, HasSubstr("(accepted: ")) << arg;
    }
  }
}

// Values that parse but cannot work: a duration past what the clocks can add (std::chrono
// steady_clock counts nanoseconds in 64 bits, about 292 years) wraps around, so a 300-year
// interval collects back to back; a rate so low that 1/rate seconds overflows the same way turns
// pacing off. They must be refused, not silently turned into their opposite.
TEST(BadFlagValues, ValuesThatWouldOverflowTheClocksAreRejected) {
  for (const char* flag :
       {"api.timeout", "collector.invitations.interval", "collector.members.interval"}) {
    for (const char* value : {"300y", "106751d", "15250w"}) {
      const std::string arg = std::string("--") + flag + "=" + value;
      EXPECT_THAT(parse_error({arg}), HasSubstr(std::string("--") + flag + ": invalid value"))
          << arg;
    }
  }
  for (const char* value : {"1e-12", "1e-300", "4.9e-324"}) {
    const std::string arg = std::string("--api.requests-per-second=") + value;
    EXPECT_THAT(parse_error({arg}), HasSubstr("--api.requests-per-second: invalid value")) << arg;
  }
}

TEST(BadFlagValues, SecretsAreNotFlags) {
  // Keys on the command line would show in `ps`: there is deliberately no flag for them.
  for (const char* arg : {"--tencentcloud.secret-id=x", "--tencentcloud.secret-key=x",
                          "--secret-key=x", "--tencentcloud.token=x"}) {
    EXPECT_THAT(parse_error({arg}), HasSubstr("unknown flag")) << arg;
  }
}

constexpr const char* kMarker = "S3CRET";  // in every secret below; never in a message

// The error CredentialsSource::open gives for an explicitly named file.
std::string open_error(const std::string& path) {
  const std::map<std::string, std::string> env;
  CredentialsOptions o;
  o.file = path;
  o.file_explicit = true;
  o.env = fake_env(env);
  auto r = CredentialsSource::open(std::move(o));
  EXPECT_FALSE(r.ok()) << path;
  if (r.ok()) return "";
  EXPECT_THAT(r.error(), Not(HasSubstr(kMarker)));
  EXPECT_THAT(r.error(), HasSubstr(path));
  return r.error();
}

TEST(BadCredentialsFile, NotARegularFile) {
  TempDir dir;
  EXPECT_THAT(open_error("/dev/null"), HasSubstr("not a regular file"));
  EXPECT_THAT(open_error(dir.file("")), HasSubstr("not a regular file"));
  const std::string loop = dir.file("loop");
  ASSERT_EQ(::symlink(loop.c_str(), loop.c_str()), 0);
  EXPECT_THAT(open_error(loop), HasSubstr("Too many levels of symbolic links"));
  EXPECT_THAT(open_error(dir.file("absent/c.ini")), HasSubstr("No such file or directory"));
}

TEST(BadCredentialsFile, NotText) {
  TempDir dir;
  EXPECT_THAT(open_error(dir.write("empty", "")), HasSubstr("no [default] section"));
  EXPECT_THAT(open_error(dir.write("bom", "\xEF\xBB\xBF")), HasSubstr("no [default] section"));
  // Control bytes are never part of a key; sent on, they would corrupt the request's headers.
  const std::string nul = "[default]\nsecret_id = a\0S3CRET\nsecret_key = S3CRETb\n"s;
  EXPECT_THAT(open_error(dir.write("nul", nul)), HasSubstr("nul:2: "));
  EXPECT_THAT(open_error(dir.write("esc", "[default]\nsecret_id = a\x1b[2J\nsecret_key = k\n")),
              HasSubstr("esc:2: "));
  EXPECT_THAT(open_error(dir.write("bin",
                                   "\x7f"
                                   "ELF\x02\x01\x01S3CRET\n")),
              HasSubstr(":1: expected key = value"));
  EXPECT_THAT(open_error(dir.write("json", R"({"secret_id": "S3CRET"})")),
              HasSubstr(":1: expected key = value"));
}

TEST(BadCredentialsFile, BlankOrQuotedOnlySecrets) {
  TempDir dir;
  EXPECT_THAT(open_error(dir.write("q", "[default]\nsecret_id = S3CRETid\nsecret_key = ''\n")),
              HasSubstr(":3: secret_key is empty"));
  EXPECT_THAT(open_error(dir.write("b", "[default]\nsecret_id = \"  \"\nsecret_key = S3CRET\n")),
              HasSubstr(":2: value of secret_id contains whitespace"));
}

}  // namespace
}  // namespace tcorg::config
