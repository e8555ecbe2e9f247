// A 2,000-member sweep at the default rate against the simulator's strict 20/s window, with
// 100-300 ms per call: never throttled, every member found.
#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

TEST(ExporterSweep, TwoThousandMembersAtDefaultRateNeverThrottled) {
  auto options = simulator_options(2000, 12, 60);
  options.rate_limit = 20;
  options.faults.latency_ms = 100;
  options.faults.jitter_ms = 200;
  sim::Simulator sim(options);
  sim.start();
  ExporterRun run(sim, {});
  ASSERT_GT(run.start(), 0) << run.process->err();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(run.wait_ready(240s)) << run.process->err();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto m = run.scrape();
  EXPECT_EQ(m.find("tencentcloud_org_member_info").size(), 2000u);
  EXPECT_EQ(m.value("tencentcloud_org_collector_success", {{"collector", "members"}}), 1.0);
  const auto stats = sim.stats();
  for (const auto& [action, s] : stats.actions) EXPECT_EQ(s.throttled, 0u) << action;
  const auto gets = stats.actions.at("GetOrganizationMember").accepted;
  EXPECT_EQ(gets, 2000u);
  // The default budget is 15/s: the sweep should take about 2000/15 s, not a serial client's 10x.
  const double floor = 2000.0 / 15;
  std::printf("sweep: %.1f s for 2000 members at 15/s (floor %.1f s, ratio %.3f)\n", seconds, floor,
              seconds / floor);
  EXPECT_LT(seconds, floor * 1.15);
}

}  // namespace
}  // namespace tcorg::testing
