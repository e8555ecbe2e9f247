#include "exporter/metrics/org_families.h"

#include <array>
#include <map>
#include <string>

namespace tcorg::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::array<const char*, 6> kStatuses = {"pending",     "accepted",  "expired",
                                                  "invalidated", "cancelled", "unknown"};

MetricFamily gauge_family(std::string name, std::string help) {
  return MetricFamily{std::move(name), std::move(help), MetricType::Gauge, {}};
}

void add(MetricFamily& family, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  family.metric.push_back(std::move(m));
}

std::string str(std::int64_t v) {
  return std::to_string(v);
}

}  // namespace

const char* status_name(std::int64_t status) {
  namespace s = api::invitation_status;
  switch (status) {
    case s::kPending:
      return "pending";
    case s::kAccepted:
      return "accepted";
    case s::kExpired:
      return "expired";
    case s::kInvalidated:
      return "invalidated";
    case s::kCancelled:
      return "cancelled";
    default:
      return "unknown";
  }
}

std::vector<MetricFamily> invitation_families(const collectors::InvitationsSnapshot& snapshot) {
  auto counts = gauge_family("tencentcloud_org_invitations",
                             "Invitations of the organization by direction and status, as of the "
                             "last successful background collection.");
  auto expiry = gauge_family(
      "tencentcloud_org_invitation_expiry_timestamp_seconds",
      "Unix time at which a pending invitation expires unless answered, one series per pending "
      "invitation, as of the last successful background collection.");

  for (const auto* list : {&snapshot.received, &snapshot.sent}) {
    const char* direction = list == &snapshot.received ? "received" : "sent";
    std::map<std::string, int> by_status;
    for (const auto& inv : *list) {
      ++by_status[status_name(inv.status)];
      if (inv.status != api::invitation_status::kPending) continue;
      add(expiry,
          {{"direction", direction},
           {"host_uin", str(inv.host_uin)},
           {"id", str(inv.id)},
           {"name", inv.name},
           {"uin", str(inv.uin)}},
          static_cast<double>(inv.expire_time));
    }
    for (const char* status : kStatuses) {
      add(counts, {{"direction", direction}, {"status", status}}, by_status[status]);
    }
  }
  return {std::move(counts), std::move(expiry)};
}

std::vector<MetricFamily> member_families(const collectors::MembersSnapshot& snapshot) {
  auto members = gauge_family("tencentcloud_org_members",
                              "Member accounts per organizational unit (node), as of the last "
                              "successful background collection.");
  auto member_info =
      gauge_family("tencentcloud_org_member_info",
                   "Member account of the organization and the node it belongs to (always 1), as "
                   "of the last successful background collection.");
  auto joined = gauge_family("tencentcloud_org_member_join_timestamp_seconds",
                             "Unix time at which the member account joined the organization, as "
                             "of the last successful background collection.");
  auto node_info = gauge_family("tencentcloud_org_node_info",
                                "Organizational unit (node) of the organization tree (always 1); "
                                "parent_node_id 0 marks the root, as of the last successful "
                                "background collection.");

  for (const auto& n : snapshot.nodes) {
    add(members, {{"node_id", str(n.node_id)}, {"node_name", n.name}},
        static_cast<double>(n.member_count));
    add(node_info,
        {{"name", n.name}, {"node_id", str(n.node_id)}, {"parent_node_id", str(n.parent_node_id)}},
        1);
  }
  for (const auto& m : snapshot.members) {
    add(member_info,
        {{"name", m.name},
         {"node_id", str(m.node_id)},
         {"node_name", m.node_name},
         {"parent_node_id", str(m.parent_node_id)},
         {"uin", str(m.uin)}},
        1);
    add(joined, {{"uin", str(m.uin)}}, static_cast<double>(m.join_time));
  }
  return {std::move(members), std::move(member_info), std::move(joined), std::move(node_info)};
}

}  // namespace tcorg::metrics
