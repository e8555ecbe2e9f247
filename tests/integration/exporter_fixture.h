#pragma once

// Starts the API simulator in-process and the real exporter binary against it.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>

#include "simulator/simulator.h"
#include "tests/integration/exposition_parser.h"
#include "tests/integration/process.h"

namespace tcorg::testing {

inline constexpr const char* kSecretId = "AKIDe2eEXAMPLE";
inline constexpr const char* kSecretKey = "e2e-Secret-Key-never-shown-4f9a";

inline sim::Options simulator_options(int members, int nodes, int invitations) {
  sim::Options o;
  o.secret_id = kSecretId;
  o.secret_key = kSecretKey;
  o.org.members = members;
  o.org.nodes = nodes;
  o.org.invitations = invitations;
  o.org.seed = 7;
  return o;
}

inline std::map<std::string, std::string> credentials_env() {
  return {{"TENCENTCLOUD_SECRET_ID", kSecretId},
          {"TENCENTCLOUD_SECRET_KEY", kSecretKey},
          {"HOME", "/nonexistent"}};
}

class ExporterRun {
 public:
  ExporterRun(const sim::Simulator& sim, std::vector<std::string> extra_args,
              std::map<std::string, std::string> env = credentials_env()) {
    std::vector<std::string> args{"--web.listen-address=127.0.0.1:0",
                                  "--tencentcloud.endpoint=" + sim.endpoint()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    process = std::make_unique<Process>(exporter_binary(), args, env);
  }

  // Waits for the listening log line and returns the port, or -1.
  int start(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    if (!process->wait_for_err("msg=listening", timeout)) return -1;
    const std::string err = process->err();
    const auto at = err.find("port=", err.find("msg=listening"));
    port = std::stoi(err.substr(at + 5));
    return port;
  }

  bool wait_ready(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    httplib::Client c("127.0.0.1", port);
    while (std::chrono::steady_clock::now() < deadline) {
      auto res = c.Get("/-/ready");
      if (res && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string get(const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    auto res = c.Get(path);
    return res && res->status == 200 ? res->body : std::string();
  }

  Exposition scrape() { return Exposition::parse(get("/metrics")); }

  std::unique_ptr<Process> process;
  int port = -1;
};

}  // namespace tcorg::testing
