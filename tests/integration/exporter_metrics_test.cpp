// The real exporter against the simulator: what it exposes equals what the simulator serves.
#include <cstdio>
#include <fstream>

#include "exporter/metrics/org_families.h"
#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

// promtool's linter on the exposition: prints nothing and exits 0 when every name is right.
std::string promtool_check_metrics(const std::string& text) {
  const std::string path = "/tmp/tcorg-e2e-metrics.txt";
  std::ofstream(path) << text;
  std::string out;
  if (FILE* p = popen(("promtool check metrics < " + path + " 2>&1; echo rc=$?").c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  std::remove(path.c_str());
  return out;
}

TEST(ExporterMetrics, EqualWhatTheSimulatorServes) {
  sim::Simulator sim(simulator_options(60, 6, 40));
  sim.start();
  ExporterRun run(sim, {});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(30s)) << run.process->err();
  const std::string text = run.get("/metrics");
  const auto m = Exposition::parse(text);
  const auto org = sim.organization();

  for (const auto* list : {&org.received, &org.sent}) {
    const std::string direction = list == &org.received ? "received" : "sent";
    std::map<std::string, int> expected;
    for (const auto& inv : *list) {
      ++expected[metrics::status_name(inv.status)];
      if (inv.status != 0) continue;
      EXPECT_EQ(m.value("tencentcloud_org_invitation_expiry_timestamp_seconds",
                        {{"direction", direction}, {"id", std::to_string(inv.id)}}),
                static_cast<double>(inv.expire_time))
          << "invitation " << inv.id;
    }
    for (const char* status : {"pending", "accepted", "expired", "invalidated", "cancelled"}) {
      EXPECT_EQ(
          m.value("tencentcloud_org_invitations", {{"direction", direction}, {"status", status}}),
          expected[status])
          << direction << " " << status;
    }
  }
  std::size_t pending = 0;
  for (const auto* list : {&org.received, &org.sent}) {
    for (const auto& inv : *list) pending += inv.status == 0;
  }
  EXPECT_EQ(m.find("tencentcloud_org_invitation_expiry_timestamp_seconds").size(), pending);

  for (const auto& node : org.nodes) {
    EXPECT_EQ(m.value("tencentcloud_org_members", {{"node_id", std::to_string(node.node_id)}}),
              static_cast<double>(node.member_count))
        << "node " << node.name;
    EXPECT_EQ(m.value("tencentcloud_org_node_info",
                      {{"node_id", std::to_string(node.node_id)}, {"name", node.name}}),
              1.0);
  }
  EXPECT_EQ(m.find("tencentcloud_org_member_info").size(), org.members.size());
  for (const auto& member : org.members) {
    EXPECT_EQ(m.value("tencentcloud_org_member_join_timestamp_seconds",
                      {{"uin", std::to_string(member.uin)}}),
              static_cast<double>(member.join_time));
  }
  EXPECT_EQ(m.value("tencentcloud_org_collector_success", {{"collector", "invitations"}}), 1.0);
  EXPECT_EQ(m.value("tencentcloud_org_collector_success", {{"collector", "members"}}), 1.0);
  EXPECT_EQ(m.find("tencentcloud_org_exporter_build_info").size(), 1u);

  // The requests the exporter counted are the requests the simulator answered.
  const auto stats = sim.stats();
  for (const auto& [action, s] : stats.actions) {
    EXPECT_EQ(s.throttled, 0u) << action;
    EXPECT_EQ(m.value("tencentcloud_org_api_requests_total", {{"action", action}}),
              static_cast<double>(s.accepted + s.throttled))
        << action;
  }
  EXPECT_EQ(promtool_check_metrics(text), "rc=0\n");
  EXPECT_EQ(text.find(kSecretKey), std::string::npos);
}

TEST(ExporterMetrics, SeriesOfAnsweredInvitationsDisappear) {
  sim::Simulator sim(simulator_options(5, 3, 20));
  sim.start();
  ExporterRun run(sim, {"--collector.invitations.interval=1s", "--no-collector.members"});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(20s));
  std::int64_t id = 0;
  sim.mutate([&](sim::Organization& org) {
    for (auto& inv : org.received) {
      if (inv.status == 0) {
        inv.status = 1;  // accepted meanwhile
        id = inv.id;
        break;
      }
    }
  });
  ASSERT_NE(id, 0);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    gone = run.scrape()
               .find("tencentcloud_org_invitation_expiry_timestamp_seconds",
                     {{"direction", "received"}, {"id", std::to_string(id)}})
               .empty();
  }
  EXPECT_TRUE(gone);
}

TEST(ExporterMetrics, LandingPageShowsCollectorsAndNoSecret) {
  sim::Simulator sim(simulator_options(5, 3, 10));
  sim.start();
  ExporterRun run(sim, {});
  ASSERT_GT(run.start(), 0);
  ASSERT_TRUE(run.wait_ready(20s));
  const std::string page = run.get("/");
  EXPECT_NE(page.find("invitations"), std::string::npos);
  EXPECT_NE(page.find("members"), std::string::npos);
  EXPECT_EQ(page.find(kSecretKey), std::string::npos);
  EXPECT_EQ(run.process->err().find(kSecretKey), std::string::npos);
}

}  // namespace
}  // namespace tcorg::testing
