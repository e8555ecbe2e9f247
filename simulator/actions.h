#pragma once

// The four actions served, as a table: parameters and the answer computed from the organization.
// Pure functions over an IndexedOrganization; the caller holds its lock.

#include <span>
#include <string_view>
#include <variant>

#include "simulator/envelope.h"
#include "simulator/organization.h"
#include "simulator/params.h"

namespace tcorg::sim {

inline constexpr std::string_view kVersion = "2018-12-25";

// The "Response" fields without RequestId, or an API error.
using Answer = std::variant<Json, ApiFailure>;

struct ActionDef {
  std::string_view name;
  std::span<const ParamSpec> params;
  Answer (*answer)(const IndexedOrganization& org, const ParamValues& params,
                   int utc_offset_seconds);
};

// nullptr for an action this version does not have.
const ActionDef* find_action(std::string_view name);

}  // namespace tcorg::sim
