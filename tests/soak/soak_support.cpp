#include "tests/soak/soak_support.h"

#include <httplib.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <fstream>

#include "exporter/metrics/org_families.h"

namespace tcorg::testing::soak {
namespace {

constexpr std::size_t kMaxProblems = 10;

bool is_own_series(const std::string& name) {
  for (const char* prefix :
       {"tencentcloud_org_api_", "tencentcloud_org_collector_", "tencentcloud_org_clock_skew_",
        "tencentcloud_org_credentials_", "tencentcloud_org_exporter_", "process_"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Series org_series(const Exposition& e) {
  Series out;
  for (const auto& s : e.samples()) {
    if (is_own_series(s.name)) continue;
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "," + k + "=" + v;
    out[key] = s.value;
  }
  return out;
}

Series expected_series(const sim::Organization& org) {
  collectors::MembersSnapshot members{org.members, org.nodes};
  std::sort(members.members.begin(), members.members.end(),
            [](const auto& a, const auto& b) { return a.uin < b.uin; });
  auto families = metrics::invitation_families({org.received, org.sent});
  for (auto& f : metrics::member_families(members)) families.push_back(std::move(f));
  return org_series(Exposition::parse(prometheus::TextSerializer().Serialize(families)));
}

std::map<std::string, double> exporter_errors(const Exposition& e) {
  std::map<std::string, double> out;
  for (const auto& s : e.find("tencentcloud_org_api_errors_total")) {
    if (s.value > 0) out[s.labels.at("code")] += s.value;
  }
  return out;
}

std::map<std::string, double> simulator_errors(const sim::Stats& stats) {
  std::map<std::string, double> out;
  for (const auto& [label, count] : stats.errors) {
    if (count > 0) out[label == "hang" ? "timeout" : label] += static_cast<double>(count);
  }
  return out;
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = -1;
  for (int line = 0; line < 100 && in >> key; ++line) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(4096, '\n');
  }
  return -1;
}

Prober::Prober(int port, Series baseline, std::chrono::milliseconds period)
    : port_(port), baseline_(std::move(baseline)), thread_([this, period] { run(period); }) {}

Prober::~Prober() {
  stop();
}

Prober::Report Prober::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return report_;
}

void Prober::run(std::chrono::milliseconds period) {
  // Bounded by the stop flag, and by an hour's worth of probes should nobody ever stop it.
  const int max_probes = static_cast<int>(std::chrono::hours(1) / period);
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < max_probes && !stopping_; ++i) {
    probe();
    next += period;
    std::this_thread::sleep_until(next);
  }
}

void Prober::probe() {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(5));
  const auto start = std::chrono::steady_clock::now();
  const auto res = client.Get("/metrics");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard lock(mu_);
    ++report_.probes;
    report_.max_ms = std::max(report_.max_ms, ms);
    if (ms >= 100) ++report_.over_100ms;
    if (!res || res->status != 200) ++report_.failed;
  }
  if (!res || res->status != 200) return note("probe got no 200 answer");

  const Series now = org_series(Exposition::parse(res->body));
  std::string problem;
  for (const auto& [key, value] : baseline_) {
    const auto it = now.find(key);
    if (it == now.end()) {
      problem = "lost " + key;
    } else if (it->second != value) {
      problem =
          "changed " + key + " from " + std::to_string(value) + " to " + std::to_string(it->second);
    }
    if (!problem.empty()) break;
  }
  if (problem.empty()) return;
  {
    std::lock_guard lock(mu_);
    ++report_.degraded;
  }
  note(problem);
}

void Prober::note(std::string problem) {
  std::lock_guard lock(mu_);
  if (report_.problems.size() < kMaxProblems) report_.problems.push_back(std::move(problem));
}

}  // namespace tcorg::testing::soak
