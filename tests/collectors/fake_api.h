#pragma once

// An in-memory Api for collector unit tests: serves what the test put in, pages like the real
// API, and fails the calls the test names. The real wire behaviour is tested against the simulator.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "exporter/api/api.h"

namespace tcorg::testing {

class FakeApi final : public api::Api {
 public:
  std::vector<api::Invitation> received, sent;
  std::vector<api::Member> listed;                    // ListOrganizationMembers
  std::map<std::int64_t, api::MemberDetail> details;  // GetOrganizationMember
  std::vector<api::Node> nodes;
  std::map<std::int64_t, api::ApiError> member_errors;  // GetOrganizationMember failures by uin
  std::set<std::string> failing_actions;                // every call of these fails
  std::atomic<int> calls{0};
  // Runs first in every call, from several threads at once: may block, or answer with an error.
  // `arg` is a listing's offset, GetOrganizationMember's UIN, 0 for ListOrganizationNodes.
  std::function<std::optional<api::ApiError>(std::string_view action, std::int64_t arg)>
      before_call;

  static api::ApiError error(std::string code) {
    return api::ApiError{api::ErrorKind::kApi, std::move(code), "injected", "req-1", 0};
  }

  api::Result<api::InvitationPage> list_invitations(api::Direction d, std::int64_t offset,
                                                    std::int64_t limit) override {
    ++calls;
    if (auto e = hook(api::action::kListOrganizationInvitations, offset)) return *e;
    if (failing_actions.count("ListOrganizationInvitations")) return error("InternalError");
    const auto& all = d == api::Direction::kReceived ? received : sent;
    api::InvitationPage page;
    page.total_count = static_cast<std::int64_t>(all.size());
    for (auto i = offset; i < offset + limit && i < page.total_count; ++i) {
      page.invitations.push_back(all[static_cast<std::size_t>(i)]);
    }
    return page;
  }

  api::Result<api::MemberDetail> get_member(std::int64_t uin) override {
    ++calls;
    if (auto e = hook(api::action::kGetOrganizationMember, uin)) return *e;
    std::lock_guard lock(mu_);
    if (failing_actions.count("GetOrganizationMember")) return error("InternalError");
    if (auto it = member_errors.find(uin); it != member_errors.end()) return it->second;
    if (auto it = details.find(uin); it != details.end()) return it->second;
    return error("ResourceNotFound.MemberNotExist");
  }

  api::Result<api::MemberPage> list_members(std::int64_t offset, std::int64_t limit) override {
    ++calls;
    if (auto e = hook(api::action::kListOrganizationMembers, offset)) return *e;
    if (failing_actions.count("ListOrganizationMembers")) return error("UnauthorizedOperation");
    api::MemberPage page;
    page.total_count = static_cast<std::int64_t>(listed.size());
    for (auto i = offset; i < offset + limit && i < page.total_count; ++i) {
      page.members.push_back(listed[static_cast<std::size_t>(i)]);
    }
    return page;
  }

  api::Result<api::NodeList> list_nodes() override {
    ++calls;
    if (auto e = hook(api::action::kListOrganizationNodes, 0)) return *e;
    if (failing_actions.count("ListOrganizationNodes")) return error("InternalError");
    return api::NodeList{nodes, "req-nodes"};
  }

 private:
  std::optional<api::ApiError> hook(std::string_view action, std::int64_t arg) {
    return before_call ? before_call(action, arg) : std::nullopt;
  }

  std::mutex mu_;
};

// A flag one thread raises and others wait for, a bounded time: a test whose event never comes
// fails instead of hanging.
class Signal {
 public:
  void raise() {
    {
      std::lock_guard lock(mu_);
      raised_ = true;
    }
    cv_.notify_all();
  }
  // False when not raised within 5 s.
  bool wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [this] { return raised_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool raised_ = false;
};

inline api::Invitation invitation(std::int64_t id, std::int64_t uin, std::int64_t status,
                                  std::int64_t expire = 2000000000) {
  api::Invitation inv;
  inv.id = id;
  inv.uin = uin;
  inv.host_uin = 100;
  inv.status = status;
  inv.name = "member-" + std::to_string(uin);
  inv.expire_time = expire;
  return inv;
}

inline api::MemberDetail member(std::int64_t uin, std::int64_t node_id, std::string node_name) {
  api::MemberDetail m;
  m.uin = uin;
  m.name = "member-" + std::to_string(uin);
  m.node_id = node_id;
  m.node_name = std::move(node_name);
  m.parent_node_id = node_id == 1 ? 0 : 1;
  m.join_time = 1700000000 + uin;
  return m;
}

}  // namespace tcorg::testing
