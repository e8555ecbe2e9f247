#pragma once

// bcrypt through libcrypt (libxcrypt): the format check for hashes in basic_auth_users and the
// password check. Stateless and thread-safe.

#include <string>
#include <string_view>

namespace tcorg::web {

// "$2a$", "$2b$" or "$2y$", a two-digit cost from 04 to 31, "$", then 53 characters of bcrypt's
// base64 (22 of salt, 31 of digest). Cheap: computes nothing.
bool is_bcrypt_hash(std::string_view hash);

// Whether `password` hashes to `hash`, compared in constant time. Slow by design (2^cost rounds).
// False for a malformed hash, and for a password with a NUL byte or longer than libcrypt takes.
bool bcrypt_matches(std::string_view password, const std::string& hash);

}  // namespace tcorg::web
