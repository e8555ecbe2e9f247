#pragma once

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "exporter/api/api.h"
#include "exporter/collectors/collector.h"

namespace tcorg::collectors {

struct MembersOptions {
  std::chrono::milliseconds interval{std::chrono::minutes(10)};
  bool use_member_list = true;            // ListOrganizationMembers (needs that permission)
  std::vector<std::int64_t> static_uins;  // --members.uin
  std::size_t max_in_flight = 8;          // concurrent GetOrganizationMember calls
};

// `members`: discovers member UINs as the union of ListOrganizationMembers, the Uin of accepted
// sent invitations and static UINs, and asks GetOrganizationMember for each to learn its node.
// Nodes come from ListOrganizationNodes so that empty nodes are known. A member answering
// ResourceNotFound.* has left and is dropped. When some members fail, the cycle fails and the
// published view keeps their last good details. When the node list or a listing fails, the cycle
// fails without data.
// Pipelined: GetOrganizationMember calls (at most max_in_flight at once) start with the static
// UINs and each listed page, while the listings and the node list still run, so a cycle takes
// about as long as the GetOrganizationMember sweep alone.
class MembersCollector final : public Collector {
 public:
  MembersCollector(api::Api& api, MembersOptions options)
      : api_(api), options_(std::move(options)) {}

  std::string_view name() const override { return "members"; }
  std::chrono::milliseconds interval() const override { return options_.interval; }
  CycleResult collect(const Snapshot* previous, std::stop_token stop) override;

 private:
  api::Api& api_;
  MembersOptions options_;
};

}  // namespace tcorg::collectors
