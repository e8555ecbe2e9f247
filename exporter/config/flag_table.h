#pragma once

// The flag table: one row per flag with its help and the setter that checks and stores its value.
// Internal to config; parse_flags and help_text read it.

#include <span>
#include <string_view>

#include "exporter/config/config.h"

namespace tcorg::config {

enum class FlagKind {
  kValue,     // --name=value, at most once
  kBool,      // --name / --no-name / --name=true|false, at most once
  kRepeated,  // --name=value, any number of times
};

struct FlagSpec {
  std::string_view name;  // without "--"
  std::string_view group;
  FlagKind kind;
  std::string_view default_text;  // shown by --help; empty: `placeholder` is shown instead
  std::string_view placeholder;
  std::string_view help;
  std::string_view accepted;  // ends the invalid-value message: (accepted: ...)
  // Checks `value` and stores it; false if it is not acceptable. Bool flags get "true"/"false".
  bool (*set)(Config& config, std::string_view value);
};

std::span<const FlagSpec> flag_table();
// nullptr when there is no such flag.
const FlagSpec* find_flag(std::string_view name);

}  // namespace tcorg::config
