#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "exporter/config/flag_table.h"
#include "exporter/config/flags.h"

namespace tcorg::config {
namespace {

using ::testing::HasSubstr;

// Written out rather than taken from the table, so dropping a flag fails here.
const char* const kAllFlags[] = {
    "web.listen-address",
    "web.telemetry-path",
    "web.config.file",
    "web.max-requests",
    "web.max-connections",
    "tencentcloud.endpoint",
    "tencentcloud.region",
    "tencentcloud.time-zone-offset",
    "tencentcloud.credentials-file",
    "tencentcloud.role-arn",
    "tencentcloud.role-session-name",
    "tencentcloud.role-duration",
    "tencentcloud.cvm-role",
    "tencentcloud.metadata-endpoint",
    "tencentcloud.sts-endpoint",
    "api.requests-per-second",
    "api.timeout",
    "api.max-retries",
    "api.max-in-flight",
    "collector.invitations",
    "collector.members",
    "collector.members.list",
    "collector.invitations.interval",
    "collector.members.interval",
    "members.uin",
    "log.level",
    "log.format",
    "collect.once",
};

// The help with each description on one line, so a phrase is found wherever it was wrapped.
std::string unwrapped_help() {
  const std::string indent = "      ";
  std::istringstream in(help_text());
  std::string out;
  bool previous_was_description = false;
  for (std::string line; std::getline(in, line);) {
    const bool description = line.starts_with(indent);
    if (description && previous_was_description) {
      out.back() = ' ';  // join: replace the '\n' just written
      line.erase(0, indent.size());
    }
    out += line + "\n";
    previous_was_description = description;
  }
  return out;
}

TEST(Help, ListsEveryFlag) {
  const std::string help = unwrapped_help();
  EXPECT_EQ(flag_names().size(), std::size(kAllFlags));
  for (const char* flag : kAllFlags) {
    const FlagSpec* spec = find_flag(flag);
    ASSERT_NE(spec, nullptr) << flag;
    const std::string shown = spec->kind == FlagKind::kBool ? std::string("--[no-]") + flag
                                                            : std::string("--") + flag + "=";
    EXPECT_THAT(help, HasSubstr(shown)) << flag;
    EXPECT_THAT(help, HasSubstr(std::string(spec->help))) << flag;
  }
  EXPECT_THAT(help, HasSubstr("-h, --help"));
  EXPECT_THAT(help, HasSubstr("--version"));
}

TEST(Help, ShowsDefaultsAndGroups) {
  const std::string help = unwrapped_help();
  for (const char* expected : {"(default: :10110)",
                               "(default: /metrics)",
                               "(default: 40)",
                               "(default: +08:00)",
                               "(default: https://organization.tencentcloudapi.com)",
                               "(default: 15)",
                               "(default: 10s)",
                               "(default: 3)",
                               "(default: 8)",
                               "(default: 1m)",
                               "(default: 10m)",
                               "(default: info)",
                               "(default: logfmt)",
                               "(default: enabled)",
                               "(default: disabled)",
                               "--members.uin=UIN ...",
                               "\nWeb:\n",
                               "\nTencent Cloud:\n",
                               "\nAPI:\n",
                               "\nCollectors:\n",
                               "\nLogging:\n",
                               "\nEnvironment:\n",
                               "TENCENTCLOUD_SECURITY_TOKEN"}) {
    EXPECT_THAT(help, HasSubstr(expected));
  }
}

TEST(Help, FitsIn100Columns) {
  std::istringstream in(help_text());
  for (std::string line; std::getline(in, line);) EXPECT_LE(line.size(), 100u) << line;
}

TEST(Help, VersionUsesTheGivenBuildInfo) {
  EXPECT_EQ(version_text({"0.9.0", "deadbeef"}),
            "tencentcloud_org_exporter, version 0.9.0 (revision deadbeef)\n");
}

}  // namespace
}  // namespace tcorg::config
