#pragma once

// The shapes of CAM names the exporter passes on (role names go into a metadata URL path, ARNs
// and session names into STS requests). Header-only, so config can check flags with them.

#include <algorithm>
#include <cctype>
#include <string_view>

namespace tcorg::api {

// CAM role and STS session names: 1-128 of letters, digits and +=,.@_-.
inline bool is_valid_role_name(std::string_view name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("+=,.@_-").find(c) != std::string_view::npos;
  });
}

// qcs::cam::uin/<digits>:roleName/<role name>
inline bool is_valid_role_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "qcs::cam::uin/";
  constexpr std::string_view kRole = ":roleName/";
  if (!arn.starts_with(kPrefix)) return false;
  arn.remove_prefix(kPrefix.size());
  const auto sep = arn.find(kRole);
  if (sep == 0 || sep == std::string_view::npos) return false;
  const std::string_view uin = arn.substr(0, sep);
  return std::all_of(uin.begin(), uin.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         is_valid_role_name(arn.substr(sep + kRole.size()));
}

}  // namespace tcorg::api
