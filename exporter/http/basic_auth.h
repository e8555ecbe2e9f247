#pragma once

// Basic auth against basic_auth_users, as exporter-toolkit does it:
// - an unknown user is checked against a fixed hash too, so timing does not reveal user names;
// - bcrypt runs one at a time, so a password-guessing flood cannot take every core, and at most
//   max_waiting requests queue for it (the rest fail at once) so such a flood cannot hold every
//   pool thread either;
// - a success is remembered for a short while (AuthCache) so a scraper with the right password
//   pays bcrypt's cost about once a minute, not on every scrape.
// Nothing here logs; passwords are wiped from the buffers this code owns. Thread-safe.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/http/auth_cache.h"

namespace tcorg::http {

struct BasicCredentials {
  std::string user;
  std::string password;
  ~BasicCredentials();  // wipes the password
};

// "Basic <base64(user:password)>" (scheme case-insensitive, standard base64 with padding), as
// Go's Request.BasicAuth reads it; nullopt for anything else.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);

struct BasicAuthOptions {
  std::chrono::seconds cache_ttl{60};
  std::size_t cache_size = 100;
  std::size_t max_waiting = 16;
  AuthCache::Clock clock;  // empty: steady_clock::now
};

enum class AuthVerdict {
  kGood,   // a user of `users` with the right password
  kBad,    // anything else, or too many checks already waiting for bcrypt
  kLater,  // only bcrypt can tell, and the caller may not wait for it
};

class BasicAuth {
 public:
  explicit BasicAuth(BasicAuthOptions options = {});

  // Whether the Authorization header names a user of `users` (name -> bcrypt hash) with the
  // right password. With `may_wait` false the answer comes from the cache or the header alone,
  // never from bcrypt: kLater then means ask again from a thread that may wait.
  AuthVerdict check(const std::map<std::string, std::string>& users, std::string_view authorization,
                    bool may_wait = true);

 private:
  const BasicAuthOptions options_;
  AuthCache cache_;
  std::mutex bcrypt_mu_;
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace tcorg::http
