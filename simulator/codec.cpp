#include "simulator/codec.h"

namespace tcorg::sim {

nlohmann::json to_json(const Stats& stats) {
  nlohmann::json actions = nlohmann::json::object();
  for (const auto& [name, a] : stats.actions) {
    actions[name] = {{"accepted", a.accepted}, {"throttled", a.throttled}};
  }
  return {{"requests", stats.requests},
          {"auth_failures", stats.auth_failures},
          {"actions", std::move(actions)},
          {"errors", stats.errors},
          {"issued", stats.issued},
          {"expired_key_rejections", stats.expired_key_rejections},
          {"metadata_requests", stats.metadata_requests}};
}

namespace {

nlohmann::json invitations(const std::vector<api::Invitation>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) {
    out.push_back({{"id", i.id},
                   {"uin", i.uin},
                   {"host_uin", i.host_uin},
                   {"host_name", i.host_name},
                   {"host_mail", i.host_mail},
                   {"status", i.status},
                   {"name", i.name},
                   {"remark", i.remark},
                   {"org_type", i.org_type},
                   {"invite_time", i.invite_time},
                   {"expire_time", i.expire_time}});
  }
  return out;
}

}  // namespace

nlohmann::json to_json(const Organization& org) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : org.members) {
    members.push_back({{"uin", m.uin},
                       {"name", m.name},
                       {"remark", m.remark},
                       {"join_time", m.join_time},
                       {"node_id", m.node_id},
                       {"node_name", m.node_name},
                       {"parent_node_id", m.parent_node_id}});
  }
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : org.nodes) {
    nodes.push_back({{"node_id", n.node_id},
                     {"name", n.name},
                     {"parent_node_id", n.parent_node_id},
                     {"member_count", n.member_count}});
  }
  return {{"received", invitations(org.received)},
          {"sent", invitations(org.sent)},
          {"members", std::move(members)},
          {"nodes", std::move(nodes)}};
}

nlohmann::json to_json(const Faults& f) {
  return {{"latency_ms", f.latency_ms},
          {"jitter_ms", f.jitter_ms},
          {"internal_error", f.internal_error},
          {"http_500", f.http_500},
          {"malformed", f.malformed},
          {"hang", f.hang},
          {"hang_seconds", f.hang_seconds},
          {"fail_all", f.fail_all},
          {"credentials_fail", f.credentials_fail}};
}

std::optional<std::string> merge_faults(const nlohmann::json& patch, Faults& faults) {
  if (!patch.is_object()) return "the body must be a JSON object";
  Faults out = faults;
  for (const auto& [key, value] : patch.items()) {
    if (key == "fail_all" || key == "credentials_fail") {
      if (!value.is_boolean()) return key + " must be true or false";
      (key == "fail_all" ? out.fail_all : out.credentials_fail) = value.get<bool>();
      continue;
    }
    double* field = key == "latency_ms"       ? &out.latency_ms
                    : key == "jitter_ms"      ? &out.jitter_ms
                    : key == "internal_error" ? &out.internal_error
                    : key == "http_500"       ? &out.http_500
                    : key == "malformed"      ? &out.malformed
                    : key == "hang"           ? &out.hang
                    : key == "hang_seconds"   ? &out.hang_seconds
                                              : nullptr;
    if (field == nullptr) return "unknown field " + key;
    if (!value.is_number()) return key + " must be a number";
    *field = value.get<double>();
  }
  faults = out;
  return std::nullopt;
}

}  // namespace tcorg::sim
