// The real binary's command line: bad input exits non-zero naming the problem.
#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

struct Outcome {
  int status;
  std::string out, err;
};

Outcome run_binary(std::vector<std::string> args,
                   std::map<std::string, std::string> env = credentials_env()) {
  Process p(exporter_binary(), std::move(args), std::move(env));
  const auto status = p.wait(10s);
  return {status.value_or(-1), p.out(), p.err()};
}

TEST(ExporterCli, BadFlagValuesNameTheFlagAndAcceptedValues) {
  const auto format = run_binary({"--log.format=xml"});
  EXPECT_EQ(format.status, 2);
  EXPECT_NE(format.err.find("--log.format"), std::string::npos) << format.err;
  EXPECT_NE(format.err.find("logfmt"), std::string::npos) << format.err;

  const auto interval = run_binary({"--collector.members.interval=10"});
  EXPECT_EQ(interval.status, 2);
  EXPECT_NE(interval.err.find("--collector.members.interval"), std::string::npos);

  const auto unknown = run_binary({"--web.listen-adress=:1"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("--web.listen-adress"), std::string::npos);
}

// Nothing configured is status 3 (the Debian unit's clean stop); a broken source is bad input, 2.
TEST(ExporterCli, MissingCredentialsSayWhatToSet) {
  const std::string no_metadata = "--tencentcloud.metadata-endpoint=http://127.0.0.1:9";
  const auto r = run_binary({no_metadata}, {{"HOME", "/nonexistent"}});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("TENCENTCLOUD_SECRET_ID"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("TENCENTCLOUD_SECRET_KEY"), std::string::npos);
  EXPECT_NE(r.err.find("no CVM role"), std::string::npos);

  const auto missing =
      run_binary({no_metadata, "--tencentcloud.credentials-file=/nonexistent/credentials"},
                 {{"HOME", "/nonexistent"}});
  EXPECT_EQ(missing.status, 2) << missing.err;
  EXPECT_NE(missing.err.find("/nonexistent/credentials"), std::string::npos) << missing.err;

  const auto half_tke = run_binary({no_metadata}, {{"HOME", "/nonexistent"}, {"TKE_REGION", "x"}});
  EXPECT_EQ(half_tke.status, 2) << half_tke.err;
  EXPECT_NE(half_tke.err.find("TKE_PROVIDER_ID"), std::string::npos) << half_tke.err;
}

TEST(ExporterCli, PlainHttpEndpointOnlyWhenExplicitAndValid) {
  const auto r = run_binary({"--tencentcloud.endpoint=ftp://example"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--tencentcloud.endpoint"), std::string::npos) << r.err;
}

TEST(ExporterCli, VersionAndHelp) {
  const auto v = run_binary({"--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("tencentcloud_org_exporter, version"), std::string::npos);
  const auto h = run_binary({"--help"});
  EXPECT_EQ(h.status, 0);
  for (const char* flag : {"--web.listen-address", "--web.telemetry-path",
                           "--tencentcloud.endpoint", "--api.requests-per-second",
                           "--collector.members.interval", "collect.once", "--log.format"}) {
    EXPECT_NE(h.out.find(flag), std::string::npos) << flag;
  }
}

TEST(ExporterCli, CollectOncePrintsMetricsAndExitStatusTellsSuccess) {
  sim::Simulator sim(simulator_options(10, 3, 12));
  sim.start();
  const auto ok = run_binary({"--collect.once", "--tencentcloud.endpoint=" + sim.endpoint()});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("tencentcloud_org_invitations{direction=\"received\""), std::string::npos);
  EXPECT_NE(ok.out.find("tencentcloud_org_members{"), std::string::npos);

  auto env = credentials_env();
  env["TENCENTCLOUD_SECRET_ID"] = "AKIDunknown";
  const auto bad = run_binary({"--collect.once", "--tencentcloud.endpoint=" + sim.endpoint()}, env);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("AuthFailure.SecretIdNotFound"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace tcorg::testing
