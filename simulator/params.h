#pragma once

// Body parameters of an action, checked like the real service: unknown names, non-integer values,
// missing required ones and out-of-range values are each rejected with their own code. Pure.

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "simulator/envelope.h"

namespace tcorg::sim {

// One integer parameter (every parameter of the actions served is an integer).
struct ParamSpec {
  std::string_view name;
  bool required = false;
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

using ParamValues = std::map<std::string, std::int64_t, std::less<>>;

// An empty body counts as {}. Errors: body not a JSON object → InvalidParameter; a name not in
// `spec` → UnknownParameter; a value that is not a JSON integer → InvalidParameter; a required one
// absent → MissingParameter; outside [min, max] → InvalidParameterValue.
std::variant<ParamValues, ApiFailure> parse_params(std::string_view body,
                                                   std::span<const ParamSpec> spec);

}  // namespace tcorg::sim
