// Every flag, with one good and one bad value; bad values get a message naming the flag, the
// value and what is accepted.

#include "exporter/config/flag_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "tests/config/parse_helpers.h"

namespace tcorg::config {
namespace {

using namespace test;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

struct FlagCase {
  std::string flag;
  std::vector<std::string> good;
  std::function<bool(const Config&)> check;
  std::string bad;  // the value; the message must quote it
};

std::vector<FlagCase> cases() {
  return {
      {"web.listen-address",
       {"--web.listen-address=[::1]:9100"},
       [](const Config& c) {
         return c.web.listen_address == "[::1]:9100" && c.web.listen_host == "::1" &&
                c.web.listen_port == 9100;
       },
       "10110"},
      {"web.telemetry-path",
       {"--web.telemetry-path=/x/metrics"},
       [](const Config& c) { return c.web.telemetry_path == "/x/metrics"; },
       "metrics"},
      {"web.config.file",
       {"--web.config.file", "/etc/web.yml"},
       [](const Config& c) { return c.web.config_file == "/etc/web.yml"; },
       ""},
      {"web.max-requests",
       {"--web.max-requests=0"},
       [](const Config& c) { return c.web.max_requests == 0; },
       "-1"},
      {"web.max-connections",
       {"--web.max-connections=64"},
       [](const Config& c) { return c.web.max_connections == 64; },
       "0"},
      {"tencentcloud.endpoint",
       {"--tencentcloud.endpoint=http://127.0.0.1:8080"},
       [](const Config& c) {
         return c.tencentcloud.endpoint == "http://127.0.0.1:8080" &&
                c.tencentcloud.endpoint_explicit;
       },
       "organization.tencentcloudapi.com"},
      {"tencentcloud.region",
       {"--tencentcloud.region=ap-guangzhou"},
       [](const Config& c) { return c.tencentcloud.region == "ap-guangzhou"; },
       "Guangzhou"},
      {"tencentcloud.time-zone-offset",
       {"--tencentcloud.time-zone-offset=-05:30"},
       [](const Config& c) {
         return c.tencentcloud.time_zone_offset == "-05:30" &&
                c.tencentcloud.utc_offset_seconds == -(5 * 3600 + 1800);
       },
       "+8"},
      {"tencentcloud.credentials-file",
       {"--tencentcloud.credentials-file=/run/c.ini"},
       [](const Config& c) {
         return c.tencentcloud.credentials_file == "/run/c.ini" &&
                c.tencentcloud.credentials_file_explicit;
       },
       ""},
      {"tencentcloud.role-arn",
       {"--tencentcloud.role-arn=qcs::cam::uin/100001:roleName/org-reader"},
       [](const Config& c) {
         return c.tencentcloud.role_arn == "qcs::cam::uin/100001:roleName/org-reader";
       },
       "qcs::cam::uin/abc:roleName/x"},
      {"tencentcloud.role-session-name",
       {"--tencentcloud.role-session-name=watcher@ops"},
       [](const Config& c) { return c.tencentcloud.role_session_name == "watcher@ops"; },
       "a b"},
      {"tencentcloud.role-duration",
       {"--tencentcloud.role-duration=1h"},
       [](const Config& c) { return c.tencentcloud.role_duration == milliseconds{3'600'000}; },
       "13h"},
      {"tencentcloud.cvm-role",
       {"--tencentcloud.cvm-role=org-reader"},
       [](const Config& c) { return c.tencentcloud.cvm_role == "org-reader"; },
       "../x"},
      {"tencentcloud.metadata-endpoint",
       {"--tencentcloud.metadata-endpoint=http://127.0.0.1:8080"},
       [](const Config& c) { return c.tencentcloud.metadata_endpoint == "http://127.0.0.1:8080"; },
       "metadata"},
      {"tencentcloud.sts-endpoint",
       {"--tencentcloud.sts-endpoint=http://127.0.0.1:9"},
       [](const Config& c) {
         return c.tencentcloud.sts_endpoint == "http://127.0.0.1:9" &&
                c.tencentcloud.sts_endpoint_explicit;
       },
       "ftp://x"},
      {"api.requests-per-second",
       {"--api.requests-per-second=2.5"},
       [](const Config& c) { return c.api.requests_per_second == 2.5; },
       "0"},
      {"api.timeout",
       {"--api.timeout=1m30s"},
       [](const Config& c) { return c.api.timeout == milliseconds{90'000}; },
       "10"},
      {"api.max-retries",
       {"--api.max-retries=0"},
       [](const Config& c) { return c.api.max_retries == 0; },
       "-1"},
      {"api.max-in-flight",
       {"--api.max-in-flight=64"},
       [](const Config& c) { return c.api.max_in_flight == 64; },
       "65"},
      {"collector.invitations",
       {"--no-collector.invitations"},
       [](const Config& c) { return !c.collectors.invitations; },
       "off"},
      {"collector.invitations.interval",
       {"--collector.invitations.interval=30s"},
       [](const Config& c) { return c.collectors.invitations_interval == milliseconds{30'000}; },
       "999ms"},
      {"collector.members",
       {"--no-collector.members"},
       [](const Config& c) { return !c.collectors.members; },
       "0"},
      {"collector.members.list",
       {"--no-collector.members.list", "--members.uin=1"},
       [](const Config& c) { return !c.collectors.members_list; },
       "no"},
      {"collector.members.interval",
       {"--collector.members.interval=1h"},
       [](const Config& c) { return c.collectors.members_interval == milliseconds{3'600'000}; },
       "1x"},
      {"members.uin",
       {"--members.uin=100001,100002"},
       [](const Config& c) {
         return c.collectors.member_uins == std::vector<std::int64_t>{100001, 100002};
       },
       "0"},
      {"log.level",
       {"--log.level=error"},
       [](const Config& c) { return c.log.level == log::Level::kError; },
       "verbose"},
      {"log.format",
       {"--log.format=json"},
       [](const Config& c) { return c.log.format == log::Format::kJson; },
       "xml"},
      {"collect.once", {"--collect.once"}, [](const Config& c) { return c.collect_once; }, "once"},
  };
}

TEST(FlagTable, EveryFlagHasACase) {
  std::set<std::string> covered;
  for (const auto& c : cases()) covered.insert(c.flag);
  std::set<std::string> all;
  for (std::string_view name : flag_names()) all.insert(std::string(name));
  EXPECT_EQ(covered, all);
}

TEST(FlagTable, GoodValuesAreStored) {
  for (const auto& c : cases()) {
    EXPECT_TRUE(c.check(parse_ok(c.good))) << c.flag;
  }
}

TEST(FlagTable, BadValuesNameTheFlagTheValueAndWhatIsAccepted) {
  for (const auto& c : cases()) {
    const std::string error = parse_error({"--" + c.flag + "=" + c.bad});
    EXPECT_THAT(error, HasSubstr("--" + c.flag + ": invalid value \"" + c.bad + "\" (accepted: "))
        << c.flag;
    EXPECT_FALSE(find_flag(c.flag)->accepted.empty()) << c.flag;
  }
}

TEST(FlagTable, SpecificMessages) {
  EXPECT_THAT(parse_error({"--log.format=xml"}),
              HasSubstr(R"(--log.format: invalid value "xml" (accepted: logfmt, json))"));
  EXPECT_THAT(parse_error({"--log.level=trace"}),
              HasSubstr("(accepted: debug, info, warn, error)"));
  EXPECT_THAT(parse_error({"--api.max-in-flight=0"}), HasSubstr("an integer from 1 to 64"));
  EXPECT_THAT(parse_error({"--collector.members.interval=500ms"}), HasSubstr("from 1s to 366d"));
  EXPECT_THAT(parse_error({"--api.timeout=0s"}), HasSubstr("a duration > 0"));
  EXPECT_THAT(parse_error({"--web.listen-address=:70000"}), HasSubstr("port 0-65535"));
  EXPECT_THAT(parse_error({"--members.uin=12,abc"}), HasSubstr(R"(invalid value "12,abc")"));
}

// The defaults --help prints are the ones Config holds: passing each printed default explicitly
// changes nothing (bar the "was it given explicitly" marks).
TEST(FlagTable, PrintedDefaultsMatchTheStruct) {
  for (const FlagSpec& f : flag_table()) {
    if (f.default_text.empty() || f.name == "tencentcloud.credentials-file") continue;
    std::string value(f.default_text);
    if (f.kind == FlagKind::kBool) value = f.default_text == "enabled" ? "true" : "false";
    Config c = parse_ok({"--" + std::string(f.name) + "=" + value});
    c.tencentcloud.endpoint_explicit = false;
    c.tencentcloud.sts_endpoint_explicit = false;
    EXPECT_EQ(c, Config{}) << f.name;
  }
}

}  // namespace
}  // namespace tcorg::config
