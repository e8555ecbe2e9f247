// The command-line mechanics: spellings, repetition, unknown flags, environment defaults,
// warnings. Each flag's own values are in flag_table_test.cpp.

#include "exporter/config/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/parse_helpers.h"

namespace tcorg::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace test;
using ::testing::ElementsAre;
using ::testing::Not;

TEST(ParseFlags, NoArgumentsGiveTheStructDefaults) {
  EXPECT_EQ(parse_ok({}), Config{});
}

TEST(ParseFlags, Defaults) {
  const Config c = parse_ok({});
  EXPECT_EQ(c.web.listen_address, ":10110");
  EXPECT_EQ(c.web.listen_port, 10110);
  EXPECT_EQ(c.web.telemetry_path, "/metrics");
  EXPECT_EQ(c.web.max_requests, 40);
  EXPECT_EQ(c.tencentcloud.endpoint, "https://organization.tencentcloudapi.com");
  EXPECT_FALSE(c.tencentcloud.endpoint_explicit);
  EXPECT_EQ(c.tencentcloud.utc_offset_seconds, 8 * 3600);
  EXPECT_EQ(c.api.requests_per_second, 15);
  EXPECT_EQ(c.api.timeout, std::chrono::seconds(10));
  EXPECT_EQ(c.api.max_retries, 3);
  EXPECT_EQ(c.api.max_in_flight, 8);
  EXPECT_TRUE(c.collectors.invitations);
  EXPECT_TRUE(c.collectors.members);
  EXPECT_TRUE(c.collectors.members_list);
  EXPECT_EQ(c.collectors.invitations_interval, std::chrono::minutes(1));
  EXPECT_EQ(c.collectors.members_interval, std::chrono::minutes(10));
  EXPECT_EQ(c.log.level, log::Level::kInfo);
  EXPECT_EQ(c.log.format, log::Format::kLogfmt);
  EXPECT_FALSE(c.collect_once);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseFlags, ArgcArgvSkipsTheProgramName) {
  const char* argv[] = {"tencentcloud_org_exporter", "--log.level=debug", nullptr};
  const std::map<std::string, std::string> env;
  const ParseResult r = parse_flags(2, argv, kBuild, fake_env(env));
  ASSERT_TRUE(std::holds_alternative<Config>(r));
  EXPECT_EQ(std::get<Config>(r).log.level, log::Level::kDebug);
}

TEST(ParseFlags, ValueWithEqualsOrAsNextArgument) {
  EXPECT_EQ(parse_ok({"--web.max-requests=5"}).web.max_requests, 5);
  EXPECT_EQ(parse_ok({"--web.max-requests", "5"}).web.max_requests, 5);
  // Only the first '=' separates: the value may hold more.
  EXPECT_EQ(parse_ok({"--web.config.file=a=b.yml"}).web.config_file, "a=b.yml");
  // A value may start with one dash (it is then judged as a value).
  EXPECT_THAT(parse_error({"--api.timeout", "-1s"}),
              HasSubstr(R"(--api.timeout: invalid value "-1s")"));
}

TEST(ParseFlags, MissingValue) {
  EXPECT_THAT(parse_error({"--api.timeout"}), HasSubstr("--api.timeout: expected a value"));
  EXPECT_THAT(parse_error({"--api.timeout", "--log.level=debug"}),
              HasSubstr("--api.timeout: expected a value"));
}

TEST(ParseFlags, EmptyValueIsJudgedLikeAnyOther) {
  EXPECT_THAT(parse_error({"--log.level="}), HasSubstr(R"(--log.level: invalid value "")"));
}

TEST(ParseFlags, ErrorTextIsOneKingpinStyleLine) {
  EXPECT_EQ(parse_error({"--log.format=xml"}),
            "tencentcloud_org_exporter: error: --log.format: invalid value \"xml\" "
            "(accepted: logfmt, json), try --help\n");
}

TEST(ParseFlags, BooleansAndTheirNegation) {
  const Config off = parse_ok({"--no-collector.invitations", "--no-collector.members.list"});
  EXPECT_FALSE(off.collectors.invitations);
  EXPECT_FALSE(off.collectors.members_list);
  EXPECT_TRUE(off.collectors.members);
  EXPECT_TRUE(parse_ok({"--collect.once"}).collect_once);
  EXPECT_TRUE(parse_ok({"--collect.once=true"}).collect_once);
  EXPECT_FALSE(parse_ok({"--collect.once=false"}).collect_once);
  EXPECT_FALSE(parse_ok({"--collector.members=false"}).collectors.members);
}

TEST(ParseFlags, BooleanMistakes) {
  EXPECT_THAT(parse_error({"--collect.once=yes"}),
              HasSubstr(R"(--collect.once: invalid value "yes" (accepted: true, false))"));
  EXPECT_THAT(parse_error({"--no-collect.once=true"}),
              HasSubstr("--no-collect.once: takes no value"));
  EXPECT_THAT(parse_error({"--no-api.timeout"}),
              HasSubstr("--no-api.timeout: --api.timeout is not a boolean flag"));
  // A boolean never takes the next argument as its value.
  EXPECT_THAT(parse_error({"--collect.once", "true"}), HasSubstr(R"(unexpected argument "true")"));
}

TEST(ParseFlags, NonRepeatableFlagGivenTwice) {
  EXPECT_THAT(parse_error({"--log.level=info", "--log.level=debug"}),
              HasSubstr("--log.level: given more than once"));
  EXPECT_THAT(parse_error({"--collector.members", "--no-collector.members"}),
              HasSubstr("--no-collector.members: given more than once"));
}

TEST(ParseFlags, RepeatableMembersUin) {
  const Config c =
      parse_ok({"--members.uin=100001", "--members.uin", "100002,100003", "--members.uin=100001"});
  EXPECT_EQ(c.collectors.member_uins, (std::vector<std::int64_t>{100001, 100002, 100003}));
}

TEST(ParseFlags, UnknownFlag) {
  EXPECT_THAT(parse_error({"--foo"}), HasSubstr("unknown flag --foo"));
  EXPECT_THAT(parse_error({"--no-foo"}), HasSubstr("unknown flag --no-foo"));
  EXPECT_THAT(parse_error({"-x"}), HasSubstr("unknown flag -x"));
}

TEST(ParseFlags, UnknownFlagSuggestsTheClosest) {
  EXPECT_THAT(parse_error({"--web.listen-adress=:1"}),
              HasSubstr("unknown flag --web.listen-adress (did you mean --web.listen-address?)"));
  EXPECT_THAT(parse_error({"--log.levl=debug"}), HasSubstr("did you mean --log.level?"));
  // Go flag-package habit: one dash.
  EXPECT_THAT(
      parse_error({"-web.listen-address=:1"}),
      HasSubstr("unknown flag -web.listen-address=:1 (did you mean --web.listen-address?)"));
  EXPECT_THAT(parse_error({"--completely-different"}), Not(HasSubstr("did you mean")));
}

TEST(ParseFlags, PositionalArgumentsAreRejected) {
  EXPECT_THAT(parse_error({"serve"}), HasSubstr(R"(unexpected argument "serve")"));
  EXPECT_THAT(parse_error({"--"}), HasSubstr(R"(unexpected argument "--")"));
}

TEST(ParseFlags, HelpAndVersionExitZero) {
  for (const char* flag : {"-h", "--help"}) {
    const ParseResult r = parse({"--log.level=debug", flag});
    ASSERT_TRUE(std::holds_alternative<ExitNow>(r));
    EXPECT_EQ(std::get<ExitNow>(r).code, 0);
    EXPECT_THAT(std::get<ExitNow>(r).text, StartsWith("usage: tencentcloud_org_exporter"));
  }
  const ParseResult v = parse({"--version"});
  ASSERT_TRUE(std::holds_alternative<ExitNow>(v));
  EXPECT_EQ(std::get<ExitNow>(v).code, 0);
  EXPECT_EQ(std::get<ExitNow>(v).text,
            "tencentcloud_org_exporter, version 1.2.3 (revision abc123def456)\n");
}

TEST(ParseFlags, CredentialsFileFromFlagEnvOrHome) {
  const std::map<std::string, std::string> home{{"HOME", "/home/me"}};
  const std::map<std::string, std::string> both{{"HOME", "/home/me"},
                                                {"TENCENTCLOUD_CREDENTIALS_FILE", "/etc/tc.ini"}};

  const Config from_home = parse_ok({}, home);
  EXPECT_EQ(from_home.tencentcloud.credentials_file, "/home/me/.tencentcloud/credentials");
  EXPECT_FALSE(from_home.tencentcloud.credentials_file_explicit);

  const Config from_env = parse_ok({}, both);
  EXPECT_EQ(from_env.tencentcloud.credentials_file, "/etc/tc.ini");
  EXPECT_TRUE(from_env.tencentcloud.credentials_file_explicit);

  const Config from_flag = parse_ok({"--tencentcloud.credentials-file=/run/creds"}, both);
  EXPECT_EQ(from_flag.tencentcloud.credentials_file, "/run/creds");
  EXPECT_TRUE(from_flag.tencentcloud.credentials_file_explicit);

  EXPECT_EQ(parse_ok({}).tencentcloud.credentials_file, "");  // no HOME, nothing set
}

TEST(ParseFlags, TildeExpandsToHome) {
  const std::map<std::string, std::string> home{{"HOME", "/home/me"}};
  const Config c =
      parse_ok({"--tencentcloud.credentials-file=~/tc.ini", "--web.config.file=~/web.yml"}, home);
  EXPECT_EQ(c.tencentcloud.credentials_file, "/home/me/tc.ini");
  EXPECT_EQ(c.web.config_file, "/home/me/web.yml");
}

TEST(ParseFlags, RateAboveTheApiLimitIsAllowedWithAWarning) {
  const Config c = parse_ok({"--api.requests-per-second=25"});
  EXPECT_EQ(c.api.requests_per_second, 25);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("--api.requests-per-second=25"));
  EXPECT_THAT(c.warnings[0], HasSubstr("the real API allows 20 requests per second per action; "
                                       "above that it will throttle"));
  EXPECT_TRUE(parse_ok({"--api.requests-per-second=20"}).warnings.empty());
}

TEST(ParseFlags, DoubtfulCollectorCombinationsWarn) {
  EXPECT_THAT(parse_ok({"--no-collector.invitations", "--no-collector.members"}).warnings,
              ElementsAre(HasSubstr("every collector is disabled")));
  EXPECT_THAT(parse_ok({"--no-collector.members.list"}).warnings,
              ElementsAre(HasSubstr("nothing to collect")));
  EXPECT_TRUE(parse_ok({"--no-collector.members.list", "--members.uin=1"}).warnings.empty());
  EXPECT_THAT(parse_ok({"--no-collector.members", "--members.uin=1"}).warnings,
              ElementsAre(HasSubstr("--members.uin has no effect")));
}

}  // namespace
}  // namespace tcorg::config
