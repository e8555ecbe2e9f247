#pragma once

// The Tencent Cloud credentials file, parsed from text (no I/O here):
//
//   [default]
//   secret_id = AKID...
//   secret_key = ...
//   token = ...          ; optional, for temporary credentials
//
// '#' and ';' start comment lines; other sections are ignored. Strict about [default]: an unknown
// key, a line without '=', a repeated key, or an empty secret_id/secret_key is an error naming
// path:line. No message ever quotes a value (or a key) from the file: they may be secrets.

#include <string_view>

#include "exporter/api/credentials.h"
#include "exporter/common/result.h"

namespace tcorg::config {

inline constexpr std::string_view kCredentialsSection = "default";

// `path` is used in messages only.
Result<api::Credentials> parse_credentials_ini(std::string_view text, std::string_view path);

}  // namespace tcorg::config
