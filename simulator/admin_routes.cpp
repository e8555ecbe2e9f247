// /_sim/*: plain-HTTP, unauthenticated controls for tests and the demo (loopback only). Bodies
// and answers are JSON; a bad body answers 400 {"error": "..."}. Secrets are never echoed.

#include <nlohmann/json.hpp>

#include "simulator/codec.h"
#include "simulator/faults.h"
#include "simulator/http_body.h"
#include "simulator/simulator_impl.h"

namespace tcorg::sim {
namespace {

void reply(const httplib::Request& req, httplib::Response& res, int status,
           const nlohmann::json& body) {
  res.status = status;
  set_body(req, res, body.dump());
}

void bad_request(const httplib::Request& req, httplib::Response& res, const std::string& message) {
  reply(req, res, 400, {{"error", message}});
}

// The body as a JSON object, or nullopt after answering 400.
std::optional<nlohmann::json> object_body(const httplib::Request& req, httplib::Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    bad_request(req, res, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<std::string> string_field(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

void Simulator::Impl::add_admin_routes() {
  server.Get("/_sim/stats", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(stats_mu);
    reply(req, res, 200, to_json(stats));
  });

  server.Get("/_sim/org", [this](const httplib::Request& req, httplib::Response& res) {
    Organization copy;
    {
      std::lock_guard lock(org_mu);  // serialize outside: API calls wait on this lock
      copy = org.org;
    }
    reply(req, res, 200, to_json(copy));
  });

  server.Get("/_sim/faults", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(config_mu);
    reply(req, res, 200, to_json(faults));
  });

  server.Put("/_sim/faults", [this](const httplib::Request& req, httplib::Response& res) {
    const auto body = object_body(req, res);
    if (!body) return;
    std::lock_guard lock(config_mu);
    Faults merged = faults;
    auto problem = merge_faults(*body, merged);
    if (!problem) problem = validate(merged);
    if (problem) return bad_request(req, res, *problem);
    faults = merged;
    reply(req, res, 200, to_json(faults));
  });

  server.Put("/_sim/rate-limit", [this](const httplib::Request& req, httplib::Response& res) {
    const auto body = object_body(req, res);
    if (!body) return;
    const auto it = body->find("per_second");
    if (it == body->end() || !it->is_number() || body->size() != 1) {
      return bad_request(req, res, "expected {\"per_second\": <number>}");
    }
    std::lock_guard lock(config_mu);
    rate_limit = it->get<double>();
    reply(req, res, 200, {{"per_second", rate_limit}});
  });

  server.Post("/_sim/reset-stats", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(stats_mu);
    stats = Stats{};
    reply(req, res, 200, to_json(stats));
  });

  server.Put("/_sim/credentials", [this](const httplib::Request& req, httplib::Response& res) {
    const auto body = object_body(req, res);
    if (!body) return;
    const auto id = string_field(*body, "secret_id");
    const auto key = string_field(*body, "secret_key");
    const auto token =
        body->contains("token") ? string_field(*body, "token") : std::optional<std::string>("");
    if (!id || !key || !token || id->empty() || key->empty()) {
      return bad_request(req, res,
                         R"(expected {"secret_id": "...", "secret_key": "..."[, "token": "..."]})");
    }
    std::lock_guard lock(config_mu);
    credentials = {*id, *key, *token};
    reply(req, res, 200, {{"secret_id", *id}, {"token_set", !token->empty()}});
  });
}

}  // namespace tcorg::sim
