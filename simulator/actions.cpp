#include "simulator/actions.h"

#include <algorithm>
#include <array>

#include "exporter/api/time_parse.h"

namespace tcorg::sim {
namespace {

constexpr std::int64_t kDefaultLimit = 10;
constexpr std::int64_t kMaxLimit = 50;  // the documented range of the newer version

constexpr std::array kInvitationParams = {ParamSpec{"Invited", true, 0, 1},
                                          ParamSpec{"Offset", false, 0},
                                          ParamSpec{"Limit", false, 1, kMaxLimit}};
constexpr std::array kMemberParams = {ParamSpec{"MemberUin", true, 1}};
constexpr std::array kPageParams = {ParamSpec{"Offset", false, 0},
                                    ParamSpec{"Limit", false, 1, kMaxLimit}};

std::int64_t get(const ParamValues& params, std::string_view name, std::int64_t fallback) {
  const auto it = params.find(name);
  return it == params.end() ? fallback : it->second;
}

// The [Offset, Offset + Limit) slice of `items`, each turned into JSON.
template <class T, class F>
Json page(const std::vector<T>& items, const ParamValues& params, F to_json) {
  const auto size = static_cast<std::int64_t>(items.size());
  const std::int64_t begin = std::min(get(params, "Offset", 0), size);
  const std::int64_t end = std::min(begin + get(params, "Limit", kDefaultLimit), size);
  Json out = Json::array();
  for (std::int64_t i = begin; i < end; ++i)
    out.push_back(to_json(items[static_cast<std::size_t>(i)]));
  return out;
}

Answer list_invitations(const IndexedOrganization& o, const ParamValues& params, int utc) {
  const auto& items = get(params, "Invited", 0) == 1 ? o.org.received : o.org.sent;
  Json out;
  out["TotalCount"] = items.size();
  out["Invitations"] = page(items, params, [utc](const api::Invitation& inv) {
    Json j;
    j["Id"] = inv.id;
    j["Uin"] = inv.uin;
    j["HostUin"] = inv.host_uin;
    j["HostName"] = inv.host_name;
    j["HostMail"] = inv.host_mail;
    j["Status"] = inv.status;
    j["Name"] = inv.name;
    j["Remark"] = inv.remark;
    j["OrgType"] = inv.org_type;
    j["InviteTime"] = api::format_api_time(inv.invite_time, utc);
    j["ExpireTime"] = api::format_api_time(inv.expire_time, utc);
    return j;
  });
  return out;
}

Answer get_member(const IndexedOrganization& o, const ParamValues& params, int utc) {
  const api::MemberDetail* m = o.member(get(params, "MemberUin", 0));
  if (m == nullptr) {
    return ApiFailure{"ResourceNotFound.MemberNotExist", "The member does not exist."};
  }
  Json out;
  out["Uin"] = m->uin;
  out["Name"] = m->name;
  out["Remark"] = m->remark;
  out["JoinTime"] = api::format_api_time(m->join_time, utc);
  out["NodeId"] = m->node_id;
  out["NodeName"] = m->node_name;
  out["ParentNodeId"] = m->parent_node_id;
  return out;
}

Answer list_members(const IndexedOrganization& o, const ParamValues& params, int utc) {
  Json out;
  out["Members"] = page(o.org.members, params, [utc](const api::MemberDetail& m) {
    Json j;
    j["Uin"] = m.uin;
    j["Name"] = m.name;
    j["Remark"] = m.remark;
    j["JoinTime"] = api::format_api_time(m.join_time, utc);
    return j;
  });
  out["TotalCount"] = o.org.members.size();
  return out;
}

Answer list_nodes(const IndexedOrganization& o, const ParamValues&, int) {
  Json nodes = Json::array();
  for (const api::Node& n : o.org.nodes) {
    Json j;
    j["NodeId"] = n.node_id;
    j["Name"] = n.name;
    j["ParentNodeId"] = n.parent_node_id;
    j["MemberCount"] = n.member_count;
    nodes.push_back(std::move(j));
  }
  Json out;
  out["Nodes"] = std::move(nodes);
  return out;
}

constexpr std::array<ActionDef, 4> kActions = {
    ActionDef{"ListOrganizationInvitations", kInvitationParams, list_invitations},
    ActionDef{"GetOrganizationMember", kMemberParams, get_member},
    ActionDef{"ListOrganizationMembers", kPageParams, list_members},
    ActionDef{"ListOrganizationNodes", {}, list_nodes},
};

}  // namespace

const ActionDef* find_action(std::string_view name) {
  const auto it = std::find_if(kActions.begin(), kActions.end(),
                               [&](const ActionDef& a) { return a.name == name; });
  return it == kActions.end() ? nullptr : &*it;
}

}  // namespace tcorg::sim
