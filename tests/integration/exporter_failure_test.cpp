// The real exporter when the cloud fails: last good values stay, health says so, and it recovers.
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

// Org series only: the exporter's own counters keep moving.
std::map<std::string, double> org_series(const Exposition& e) {
  std::map<std::string, double> out;
  for (const auto& s : e.samples()) {
    if (s.name.rfind("tencentcloud_org_api_", 0) == 0 ||
        s.name.rfind("tencentcloud_org_collector_", 0) == 0 ||
        s.name.rfind("tencentcloud_org_credentials_", 0) == 0 || s.name.rfind("process_", 0) == 0) {
      continue;
    }
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "," + k + "=" + v;
    out[key] = s.value;
  }
  return out;
}

bool wait_for(ExporterRun& run, const std::string& collector, double success,
              std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (run.scrape().value("tencentcloud_org_collector_success", {{"collector", collector}}) ==
        success) {
      return true;
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

constexpr const char* kCycleFailed = "msg=\"collection cycle failed\" collector=invitations";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Polls `reached` every 50 ms for at most `timeout`.
bool eventually(const std::function<bool()>& reached, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reached()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// GetOrganizationMember calls the simulator has answered.
std::uint64_t member_gets(const sim::Simulator& sim) {
  const auto stats = sim.stats();
  const auto it = stats.actions.find("GetOrganizationMember");
  return it == stats.actions.end() ? 0 : it->second.accepted;
}

TEST(ExporterFailure, FailingApiKeepsLastGoodValuesAndRecovers) {
  sim::Simulator sim(simulator_options(20, 4, 20));
  sim.start();
  ExporterRun run(sim, {"--collector.invitations.interval=1s", "--collector.members.interval=1s",
                        "--api.max-retries=1"});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(20s));
  const auto good = org_series(run.scrape());
  ASSERT_GT(good.size(), 30u);

  sim::Faults faults;
  faults.fail_all = true;
  sim.set_faults(faults);
  ASSERT_TRUE(wait_for(run, "invitations", 0, 20s));
  ASSERT_TRUE(wait_for(run, "members", 0, 20s));
  const auto during = run.scrape();
  EXPECT_EQ(org_series(during), good);
  EXPECT_GT(during
                .value("tencentcloud_org_api_errors_total",
                       {{"action", "ListOrganizationInvitations"}, {"code", "InternalError"}})
                .value_or(0),
            0);

  sim.set_faults(sim::Faults{});
  EXPECT_TRUE(wait_for(run, "invitations", 1, 20s));
  EXPECT_TRUE(wait_for(run, "members", 1, 20s));
  EXPECT_EQ(org_series(run.scrape()), good);
}

TEST(ExporterFailure, AuthFailureIsLoggedOncePerChange) {
  sim::Simulator sim(simulator_options(3, 2, 6));
  sim.start();
  auto env = credentials_env();
  env["TENCENTCLOUD_SECRET_KEY"] = "wrong-Secret-Key-never-shown-77";
  // Debug level: every failed cycle writes a line, so the test can wait for three of them.
  ExporterRun run(
      sim, {"--collector.invitations.interval=1s", "--no-collector.members", "--log.level=debug"},
      env);
  ASSERT_GT(run.start(), 0);
  ASSERT_TRUE(eventually([&] { return count_of(run.process->err(), kCycleFailed) >= 3; }, 30s))
      << run.process->err();
  const std::string err = run.process->err();
  EXPECT_EQ(count_of(err, "level=error msg=\"collector failed"), 1u) << err;
  EXPECT_NE(err.find("AuthFailure.SignatureFailure"), std::string::npos);
  EXPECT_EQ(err.find("wrong-Secret-Key-never-shown-77"), std::string::npos);
  EXPECT_EQ(
      run.scrape().value("tencentcloud_org_collector_success", {{"collector", "invitations"}}),
      0.0);
}

// Temporary keys from a CVM role that expire while every refresh fails: the collectors fail
// cleanly (no request sent with expired keys, an error that says why, the last good values kept),
// then recover once the metadata service answers again.
TEST(ExporterFailure, ExpiredTemporaryKeysFailCleanlyThenRecover) {
  auto options = simulator_options(5, 2, 6);
  options.cvm_role = "org-reader";
  options.temporary_key_lifetime_seconds = 4;  // refreshed at 2 s, expired at 4 s
  options.refuse_permanent_keys = true;
  sim::Simulator sim(options);
  sim.start();
  ExporterRun run(sim,
                  {"--collector.invitations.interval=1s", "--collector.members.interval=1s",
                   "--api.max-retries=0", "--tencentcloud.metadata-endpoint=" + sim.endpoint()},
                  {{"HOME", "/nonexistent"}});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(20s)) << run.process->err();
  EXPECT_NE(run.process->err().find("source=cvm_role"), std::string::npos) << run.process->err();
  const auto good = org_series(run.scrape());
  ASSERT_GT(good.size(), 10u);

  sim::Faults faults;
  faults.credentials_fail = true;
  sim.set_faults(faults);
  ASSERT_TRUE(run.process->wait_for_err("the temporary keys expired", 30s)) << run.process->err();
  ASSERT_TRUE(wait_for(run, "invitations", 0, 20s));
  const auto during = run.scrape();
  EXPECT_EQ(org_series(during), good);
  EXPECT_GT(during.value("tencentcloud_org_credentials_refresh_errors_total", {}).value_or(0), 0);
  const std::string err = run.process->err();
  EXPECT_NE(err.find("no credentials available (request not sent)"), std::string::npos) << err;
  EXPECT_NE(err.find("last refresh error"), std::string::npos) << err;

  sim.set_faults(sim::Faults{});
  EXPECT_TRUE(wait_for(run, "invitations", 1, 30s)) << run.process->err();
  EXPECT_TRUE(wait_for(run, "members", 1, 30s)) << run.process->err();
  EXPECT_EQ(org_series(run.scrape()), good);
}

TEST(ExporterFailure, SigtermMidCycleStopsWithinASecond) {
  auto options = simulator_options(400, 4, 10);
  options.faults.latency_ms = 300;
  sim::Simulator sim(options);
  sim.start();
  ExporterRun run(sim, {});
  ASSERT_GT(run.start(), 0);
  ASSERT_TRUE(eventually([&] { return member_gets(sim) > 0; }, 30s))
      << "the member sweep never began";  // now it is under way
  const auto started = std::chrono::steady_clock::now();
  run.process->signal(SIGTERM);
  const auto status = run.process->wait(3s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

}  // namespace
}  // namespace tcorg::testing
