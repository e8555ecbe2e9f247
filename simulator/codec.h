#pragma once

// JSON of the admin endpoints (/_sim/*): stats, the organization ground truth (times as Unix
// seconds, snake_case names of exporter/api/model.h) and faults. Pure.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "simulator/simulator.h"

namespace tcorg::sim {

nlohmann::json to_json(const Stats& stats);
nlohmann::json to_json(const Organization& org);
nlohmann::json to_json(const Faults& faults);

// Overrides the fields present in `patch` (an object of Faults field names). Returns a message
// naming the first unknown field or wrong type, leaving `faults` unchanged then.
std::optional<std::string> merge_faults(const nlohmann::json& patch, Faults& faults);

}  // namespace tcorg::sim
