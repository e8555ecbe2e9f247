#include "exporter/collectors/members.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "exporter/api/pagination.h"
#include "exporter/ratelimit/concurrently.h"
#include "exporter/ratelimit/rate_limited_api.h"

namespace tcorg::collectors {
namespace {

// Members whose node is missing from ListOrganizationNodes (a race with a node change) still get
// a node, built from what GetOrganizationMember said about it.
void add_missing_nodes(std::vector<api::Node>& nodes,
                       const std::vector<api::MemberDetail>& members) {
  std::set<std::int64_t> known;
  for (const auto& n : nodes) known.insert(n.node_id);
  for (const auto& m : members) {
    if (known.insert(m.node_id).second)
      nodes.push_back({m.node_id, m.node_name, m.parent_node_id, 0});
  }
}

void count_members_per_node(std::vector<api::Node>& nodes,
                            const std::vector<api::MemberDetail>& members) {
  std::map<std::int64_t, std::int64_t> count;
  for (const auto& m : members) ++count[m.node_id];
  for (auto& n : nodes) n.member_count = count[n.node_id];
}

}  // namespace

api::Result<std::vector<std::int64_t>> MembersCollector::discover_uins() {
  std::set<std::int64_t> uins(options_.static_uins.begin(), options_.static_uins.end());
  if (options_.use_member_list) {
    auto listed = api::list_all_members(api_, api::kMaxPageSize, options_.max_in_flight);
    if (!listed) return listed.error();
    for (const auto& m : *listed) uins.insert(m.uin);
  }
  auto sent = api::list_all_invitations(api_, api::Direction::kSent, api::kMaxPageSize,
                                        options_.max_in_flight);
  if (!sent) return sent.error();
  for (const auto& inv : *sent) {
    if (inv.status == api::invitation_status::kAccepted) uins.insert(inv.uin);
  }
  return std::vector<std::int64_t>(uins.begin(), uins.end());
}

CycleResult MembersCollector::collect(const Snapshot* previous, std::stop_token stop) {
  auto nodes = api_.list_nodes();
  if (!nodes) return {nullptr, nodes.error()};
  auto uins = discover_uins();
  if (!uins) return {nullptr, uins.error()};

  std::map<std::int64_t, const api::MemberDetail*> last_good;
  if (const auto* prev = previous ? std::get_if<MembersSnapshot>(previous) : nullptr) {
    for (const auto& m : prev->members) last_good[m.uin] = &m;
  }

  std::mutex mu;
  MembersSnapshot snapshot;
  std::optional<api::ApiError> first_error;
  ratelimit::for_each_concurrently(
      *uins, options_.max_in_flight,
      [&](std::int64_t uin) {
        auto detail = api_.get_member(uin);
        std::lock_guard lock(mu);
        if (detail) {
          snapshot.members.push_back(std::move(detail).value());
        } else if (!detail.error().is_not_found()) {
          if (!first_error) first_error = detail.error();
          if (auto it = last_good.find(uin); it != last_good.end())
            snapshot.members.push_back(*it->second);
        }
      },
      stop);
  if (stop.stop_requested() && !first_error) {
    first_error = ratelimit::stopped_error();
  }

  std::sort(snapshot.members.begin(), snapshot.members.end(),
            [](const auto& a, const auto& b) { return a.uin < b.uin; });
  snapshot.nodes = std::move(nodes->nodes);
  add_missing_nodes(snapshot.nodes, snapshot.members);
  count_members_per_node(snapshot.nodes, snapshot.members);
  std::sort(snapshot.nodes.begin(), snapshot.nodes.end(),
            [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
  return {std::make_shared<const Snapshot>(std::move(snapshot)), std::move(first_error)};
}

}  // namespace tcorg::collectors
