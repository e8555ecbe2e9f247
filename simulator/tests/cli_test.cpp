#include "simulator/cli.h"

#include <gtest/gtest.h>

namespace tcorg::sim {
namespace {

TEST(Cli, DefaultsMatchOptions) {
  const auto r = parse_cli({});
  ASSERT_TRUE(r.options);
  EXPECT_EQ(r.options->simulator.host, "127.0.0.1");
  EXPECT_EQ(r.options->simulator.port, 0);
  EXPECT_EQ(r.options->simulator.rate_limit, 20);
  EXPECT_EQ(r.options->simulator.org.utc_offset_seconds, 8 * 3600);
  EXPECT_TRUE(r.options->port_file.empty());
}

TEST(Cli, BothFlagForms) {
  const auto r =
      parse_cli({"--members=100000", "--nodes", "7", "--listen-address=[::1]:8080", "--latency",
                 "12.5", "--hang-ratio=0.5", "--utc-offset=-05:30", "--seed=18446744073709551615",
                 "--rate-limit=-1", "--token", "t", "--port-file=/tmp/p"});
  ASSERT_TRUE(r.options) << r.message;
  const auto& o = *r.options;
  EXPECT_EQ(o.simulator.org.members, 100000);
  EXPECT_EQ(o.simulator.org.nodes, 7);
  EXPECT_EQ(o.simulator.host, "::1");
  EXPECT_EQ(o.simulator.port, 8080);
  EXPECT_EQ(o.simulator.faults.latency_ms, 12.5);
  EXPECT_EQ(o.simulator.faults.hang, 0.5);
  EXPECT_EQ(o.simulator.org.utc_offset_seconds, -(5 * 3600 + 30 * 60));
  EXPECT_EQ(o.simulator.org.seed, 18446744073709551615ULL);
  EXPECT_EQ(o.simulator.rate_limit, -1);
  EXPECT_EQ(o.simulator.token, "t");
  EXPECT_EQ(o.port_file, "/tmp/p");
}

TEST(Cli, HelpListsEveryFlagWithDefault) {
  const auto r = parse_cli({"--help"});
  EXPECT_FALSE(r.options);
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag :
       {"--listen-address", "--port-file", "--members", "--nodes", "--invitations", "--seed",
        "--rate-limit", "--latency", "--jitter", "--internal-error-ratio", "--http-500-ratio",
        "--malformed-ratio", "--hang-ratio", "--hang-seconds", "--secret-id", "--secret-key",
        "--token", "--utc-offset"}) {
    EXPECT_NE(r.message.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(r.message.find("127.0.0.1:0"), std::string::npos);
}

TEST(Cli, BadFlagsExitTwoNamingTheFlag) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--nope=1"},
                                                                {"--members=x"},
                                                                {"--members=-1"},
                                                                {"--hang-ratio=2"},
                                                                {"--listen-address=noport"},
                                                                {"--utc-offset=+25:00"},
                                                                {"--members"},
                                                                {"stray"}}) {
    const auto r = parse_cli(args);
    EXPECT_FALSE(r.options);
    EXPECT_EQ(r.exit_code, 2);
    const std::string name = args[0].substr(0, args[0].find('='));
    EXPECT_NE(r.message.find(name), std::string::npos) << r.message;
  }
}

TEST(Cli, CredentialFlags) {
  const auto r = parse_cli({"--cvm-role=reader", "--oidc-provider-id", "p",
                            "--web-identity-token=t", "--role-arn=qcs::cam::uin/1:roleName/r",
                            "--temporary-key-lifetime=3", "--refuse-permanent-keys"});
  ASSERT_TRUE(r.options) << r.message;
  const auto& o = r.options->simulator;
  EXPECT_EQ(o.cvm_role, "reader");
  EXPECT_EQ(o.oidc_provider_id, "p");
  EXPECT_EQ(o.web_identity_token, "t");
  EXPECT_EQ(o.role_arn, "qcs::cam::uin/1:roleName/r");
  EXPECT_EQ(o.temporary_key_lifetime_seconds, 3);
  EXPECT_TRUE(o.refuse_permanent_keys);
  EXPECT_FALSE(
      parse_cli({"--refuse-permanent-keys=false"}).options->simulator.refuse_permanent_keys);
  EXPECT_EQ(parse_cli({"--refuse-permanent-keys=maybe"}).exit_code, 2);
  EXPECT_EQ(parse_cli({"--temporary-key-lifetime=0"}).exit_code, 2);
  const auto help = parse_cli({"--help"}).message;
  for (const char* flag : {"--cvm-role", "--oidc-provider-id", "--web-identity-token", "--role-arn",
                           "--temporary-key-lifetime", "--refuse-permanent-keys"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace tcorg::sim
