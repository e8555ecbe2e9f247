// The shape of /metrics, checked against a committed golden file (node_exporter's e2e test does
// the same): every family's HELP and TYPE, and each series' name with its label names. Values
// are left out, so the file changes only when a metric or label is added, renamed or removed,
// and such a change shows up in review as a diff of tests/integration/golden/metrics.txt.
// After an intended change: TCORG_UPDATE_GOLDEN=1 ctest -R ExporterGolden, then review the diff.
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;

struct Family {
  std::string help, type;
  std::set<std::string> series;  // name{label,names}
};

// The family a sample belongs to: its own name, or the histogram/summary it is a part of.
std::string family_of(const std::string& sample, const std::map<std::string, Family>& families) {
  if (families.count(sample)) return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.ends_with(s)) {
      const auto base = sample.substr(0, sample.size() - s.size());
      if (families.count(base)) return base;
    }
  }
  return sample;
}

std::string shape_of(const std::string& body) {
  std::map<std::string, Family> families;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    for (const std::string kind : {"# HELP ", "# TYPE "}) {
      if (!line.starts_with(kind)) continue;
      const auto rest = line.substr(kind.size());
      const auto space = rest.find(' ');
      auto& f = families[rest.substr(0, space)];
      (kind == "# HELP " ? f.help : f.type) = line;
    }
  }
  const auto parsed = Exposition::parse(body);
  for (const auto& s : parsed.samples()) {
    std::string series = s.name;
    for (auto it = s.labels.begin(); it != s.labels.end(); ++it) {
      series += (it == s.labels.begin() ? "{" : ",") + it->first;
    }
    if (!s.labels.empty()) series += "}";
    families[family_of(s.name, families)].series.insert(series);
  }
  std::string out;
  for (const auto& [name, f] : families) {
    out += (f.help.empty() ? "# (no HELP) " + name : f.help) + "\n";
    out += (f.type.empty() ? "# (no TYPE) " + name : f.type) + "\n";
    for (const auto& s : f.series) out += s + "\n";
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ExporterGolden, MetricsMatchTheGoldenFile) {
  // A clean run against an organization with invitations of every status in both directions
  // and members in several nodes: every series a healthy exporter serves.
  sim::Simulator sim(simulator_options(20, 4, 40));
  sim.start();
  ExporterRun run(sim, {});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(30s)) << run.process->err();
  const std::string actual = shape_of(run.get("/metrics"));
  ASSERT_FALSE(actual.empty());
  EXPECT_EQ(actual.find("(no HELP)"), std::string::npos) << actual;
  EXPECT_EQ(actual.find("(no TYPE)"), std::string::npos) << actual;

  const std::string golden_path = TCORG_GOLDEN_METRICS;
  if (const char* update = std::getenv("TCORG_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(golden_path) << actual;
    GTEST_SKIP() << "rewrote " << golden_path << ": review the diff";
  }
  EXPECT_EQ(actual, read_file(golden_path))
      << "/metrics no longer has the shape of " << golden_path
      << ". If the change is intended: TCORG_UPDATE_GOLDEN=1 ctest -R ExporterGolden, then review "
         "the diff.";
}

}  // namespace
}  // namespace tcorg::testing
