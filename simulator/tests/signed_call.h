#pragma once

// A raw signed call to the simulator for its tests: builds the TC3 headers itself (with
// tc3::sign) so each test can break exactly one part of a request.

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "simulator/simulator.h"

namespace tcorg::sim::testing {

struct Call {
  std::string action = "ListOrganizationNodes";
  std::string body = "{}";
  std::string version = "2018-12-25";
  std::string secret_id = Options{}.secret_id;
  std::string secret_key = Options{}.secret_key;
  std::string token;           // sent as X-TC-Token when non-empty
  std::int64_t timestamp = 0;  // 0: now
  bool sign_action = false;    // SignedHeaders content-type;host;x-tc-action
  bool sign_host_without_port = false;
  std::string service = "organization";
  std::string accept_encoding;  // sent when non-empty
};

// bugprone-exception-escape is a false positive here: clang-tidy 14 follows the implicit noexcept
// Reply() into nlohmann::json's noexcept default constructor and finds a throw that only a
// non-null value_t can reach (nlohmann marks that constructor NOLINT for the same check).
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Reply {
  int status = 0;    // 0: no HTTP answer (transport error)
  std::string body;  // decompressed
  std::string content_encoding;
  nlohmann::json json;  // null unless the body is JSON

  // Response.Error.Code, or "" on success.
  std::string code() const;
  const nlohmann::json& response() const { return json.at("Response"); }
};

// A small organization, started on a free loopback port.
Options small_options();

// One client per test keeps the connection alive between calls, like the exporter.
httplib::Client client_for(const Simulator& simulator);

Reply send(httplib::Client& client, const Simulator& simulator, const Call& call);

std::int64_t unix_now();

}  // namespace tcorg::sim::testing
