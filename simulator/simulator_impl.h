#pragma once

// Simulator's state and request handlers, shared by simulator.cpp (lifecycle), api_handler.cpp
// (POST /) and admin_routes.cpp (/_sim/*). Internal to the simulator library.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "exporter/api/credentials.h"
#include "simulator/auth.h"
#include "simulator/envelope.h"
#include "simulator/organization.h"
#include "simulator/random.h"
#include "simulator/rate_window.h"
#include "simulator/simulator.h"
#include "simulator/temporary_keys.h"

namespace tcorg::sim {

struct FaultPlan;

struct Simulator::Impl {
  explicit Impl(Options options);

  void handle_api(const httplib::Request& req, httplib::Response& res);
  // Signature and key checks of an Organization (sts false) or STS AssumeRole (sts true) call.
  std::optional<ApiFailure> authenticate(const SignedRequest& request, bool sts);
  void answer_sts(const httplib::Request& req, httplib::Response& res, const std::string& action,
                  const std::string& request_id);
  void add_admin_routes();
  void add_metadata_routes();
  // The system clock plus clock_offset_seconds.
  std::int64_t now() const;

  // Sleeps `d` unless stop() comes first; false when stopping.
  bool sleep_unless_stopped(std::chrono::microseconds d);
  FaultPlan next_fault_plan();
  // Writes an API error answer and counts it under its code.
  void reply_failure(const httplib::Request& req, httplib::Response& res, const ApiFailure& failure,
                     const std::string& request_id);
  void count_error(const std::string& label);

  const Options options;  // as constructed; the mutable parts live below

  // Credentials, rate limit, faults and the fault dice.
  mutable std::mutex config_mu;
  api::Credentials credentials;
  double rate_limit;
  Faults faults;
  Random fault_random;
  std::string web_identity_token;
  bool refuse_permanent_keys;
  int temporary_key_lifetime;

  TemporaryKeys temporary_keys;

  mutable std::mutex org_mu;
  IndexedOrganization org;

  mutable std::mutex stats_mu;
  Stats stats;

  SlidingWindowLimiter limiter;
  RequestIds request_ids;

  // Lifecycle: the server runs on `listener`; `stopping` wakes sleeping handlers.
  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listener_exited{false};
  int port = 0;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;
};

}  // namespace tcorg::sim
