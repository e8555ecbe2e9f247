#pragma once

// Reading the credentials file: stat + read + parse, with messages that name the path and never
// a secret. Internal to config; CredentialsSource decides when to call it.

#include <string>

#include "exporter/config/credentials_source.h"

namespace tcorg::config {

// The file's identity now; an error (naming the path) when it cannot be stat'ed or is not a
// regular file.
Result<CredentialsSource::FileStamp> stat_credentials_file(const std::string& path);
// Reads and parses the file (at most 64 KiB).
Result<api::Credentials> read_credentials_file(const std::string& path);

}  // namespace tcorg::config
