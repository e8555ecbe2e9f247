#include "simulator/params.h"

#include <algorithm>

namespace tcorg::sim {
namespace {

const ParamSpec* find(std::span<const ParamSpec> spec, std::string_view name) {
  const auto it =
      std::find_if(spec.begin(), spec.end(), [&](const ParamSpec& p) { return p.name == name; });
  return it == spec.end() ? nullptr : &*it;
}

ApiFailure failure(const char* code, std::string_view name, std::string_view what) {
  return {code, "The parameter `" + std::string(name) + "` " + std::string(what)};
}

}  // namespace

std::variant<ParamValues, ApiFailure> parse_params(std::string_view body,
                                                   std::span<const ParamSpec> spec) {
  // Plain json: its sorted keys make the first reported problem deterministic.
  const auto doc =
      body.empty() ? nlohmann::json::object() : nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return ApiFailure{"InvalidParameter", "The request body is not a JSON object."};
  }
  ParamValues values;
  for (const auto& [name, value] : doc.items()) {
    const ParamSpec* p = find(spec, name);
    if (p == nullptr) return failure("UnknownParameter", name, "is not recognized.");
    if (!value.is_number_integer()) {
      return failure("InvalidParameter", name, "must be an integer.");
    }
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return failure("InvalidParameterValue", name, "is out of range.");
    }
    values[name] = value.get<std::int64_t>();
  }
  for (const ParamSpec& p : spec) {
    if (p.required && !values.contains(p.name)) {
      return failure("MissingParameter", p.name, "is missing.");
    }
  }
  for (const ParamSpec& p : spec) {
    const auto it = values.find(p.name);
    if (it != values.end() && (it->second < p.min || it->second > p.max)) {
      return failure(
          "InvalidParameterValue", p.name,
          "must be between " + std::to_string(p.min) + " and " + std::to_string(p.max) + ".");
    }
  }
  return values;
}

}  // namespace tcorg::sim
