#pragma once

// A password-guessing flood against a basic-auth protected server on loopback, with one
// scraper that has the right password, for auth_flood_test (a few seconds, in CI) and
// benchmarks/auth-flood (15 s, figures printed). Every client keeps its connection alive, as
// Prometheus and a guessing script would, and reconnects when the server closes it.

#include <chrono>
#include <string>

namespace tcorg::http::testing {

struct FloodOptions {
  int port = 0;
  int flood_clients = 40;
  std::chrono::milliseconds duration{15000};
  std::string user = "alice";
  std::string right_password;
  bool distinct_guesses = false;  // false: every flood request sends the same wrong password
  bool warm = false;  // the scraper has one 200 before the flood starts (as a running Prometheus)
  std::chrono::milliseconds scrape_interval{100};
  std::chrono::milliseconds head_start{300};  // the flood runs this long before the first scrape
  std::string path = "/metrics";
};

struct FloodResult {
  int scrapes = 0, ok = 0, unauthorized = 0, busy = 0, other = 0;  // the scraper's answers
  int busy_without_retry_after = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0;  // the scraper's latency
  long flood_requests = 0, flood_unauthorized = 0, flood_busy = 0;
  double seconds = 0;
  std::string describe() const;  // one line of figures
};

FloodResult run_flood(const FloodOptions& options);

// "Basic base64(user:password)".
std::string basic_authorization(const std::string& user, const std::string& password);

}  // namespace tcorg::http::testing
