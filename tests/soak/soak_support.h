#pragma once

// Helpers of the fault soak: the organization's series as the exporter should show them, the
// error counts of both sides in one vocabulary, VmRSS, and a /metrics prober on its own thread.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simulator/simulator.h"
#include "tests/integration/exposition_parser.h"

namespace tcorg::testing::soak {

// Organization series, "name,label=value,..." -> value: all but the exporter's own series.
using Series = std::map<std::string, double>;
Series org_series(const Exposition& e);

// What the exporter must show for `org`, rendered by the exporter's own families from the
// simulator's ground truth.
Series expected_series(const sim::Organization& org);

// Non-zero tencentcloud_org_api_errors_total, summed over actions, by code.
std::map<std::string, double> exporter_errors(const Exposition& e);
// The simulator's error answers in the exporter's vocabulary: a hang the exporter gave up on is
// its "timeout" (the hang outlasts --api.timeout); the other labels are the same already.
std::map<std::string, double> simulator_errors(const sim::Stats& stats);

// Resident set size (VmRSS of /proc/<pid>/status) in KiB, or -1.
long rss_kib(pid_t pid);

// Scrapes /metrics every `period` until stopped, timing each answer and checking that every
// series of `baseline` is still there with its value.
class Prober {
 public:
  struct Report {
    int probes = 0;
    int failed = 0;                     // no answer, or not 200
    int degraded = 0;                   // probes where a baseline series was missing or changed
    double max_ms = 0;                  // slowest answer
    int over_100ms = 0;                 // answers that took 100 ms or more
    std::vector<std::string> problems;  // the first few, for the failure message
  };

  Prober(int port, Series baseline, std::chrono::milliseconds period);
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // Stops the thread and returns what it saw.
  Report stop();

 private:
  void run(std::chrono::milliseconds period);
  void probe();
  void note(std::string problem);

  const int port_;
  const Series baseline_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  Report report_;
  std::thread thread_;
};

}  // namespace tcorg::testing::soak
