// Member sweeps against the simulator's strict 20/s window with 100-300 ms per call: never
// throttled, every member found, in about N/rate seconds. Once at the default budget (15/s) and
// once at the cloud's own limit (20/s), where a single early call would be refused. The longer
// sweeps (1k and 5k members) and their exact budget use are benchmarks/run's.
#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

struct Sweep {
  int members;
  int rate;  // --api.requests-per-second; 0: the default (15)
};

void PrintTo(const Sweep& s, std::ostream* os) {
  *os << s.members << " members at " << (s.rate > 0 ? std::to_string(s.rate) : "the default")
      << "/s";
}

class ExporterSweep : public ::testing::TestWithParam<Sweep> {};

TEST_P(ExporterSweep, EveryMemberFoundAtTheBudgetNeverThrottled) {
  const auto [members, rate_flag] = GetParam();
  auto options = simulator_options(members, 12, 60);
  options.rate_limit = 20;
  options.faults.latency_ms = 100;
  options.faults.jitter_ms = 200;
  sim::Simulator sim(options);
  sim.start();
  std::vector<std::string> args;
  if (rate_flag > 0) args.push_back("--api.requests-per-second=" + std::to_string(rate_flag));
  ExporterRun run(sim, args);
  ASSERT_GT(run.start(), 0) << run.process->err();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(run.wait_ready(240s)) << run.process->err();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto m = run.scrape();
  EXPECT_EQ(m.find("tencentcloud_org_member_info").size(), static_cast<std::size_t>(members));
  EXPECT_EQ(m.value("tencentcloud_org_collector_success", {{"collector", "members"}}), 1.0);
  const auto stats = sim.stats();
  for (const auto& [action, s] : stats.actions) EXPECT_EQ(s.throttled, 0u) << action;
  EXPECT_EQ(stats.actions.at("GetOrganizationMember").accepted, static_cast<std::size_t>(members));
  // About N/rate, not a serial client's 4-10x; the bound leaves room for a busy machine.
  const double rate = rate_flag > 0 ? rate_flag : 15.0;
  const double floor = members / rate;
  std::printf("sweep: %.1f s for %d members at %.0f/s (floor %.1f s, ratio %.3f)\n", seconds,
              members, rate, floor, seconds / floor);
  EXPECT_LT(seconds, floor * 1.15);
}

INSTANTIATE_TEST_SUITE_P(Budgets, ExporterSweep, ::testing::Values(Sweep{600, 0}, Sweep{400, 20}),
                         [](const auto& info) {
                           return std::to_string(info.param.members) + "MembersAt" +
                                  (info.param.rate > 0 ? std::to_string(info.param.rate)
                                                       : std::string("DefaultRate"));
                         });

}  // namespace
}  // namespace tcorg::testing
