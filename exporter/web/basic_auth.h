#pragma once

// Basic auth against basic_auth_users, as exporter-toolkit does it, made to hold up under a
// password-guessing flood (docs/decisions/0201-basic-auth-under-flood.md):
// - an unknown user is checked against a fixed hash too, so timing does not reveal user names;
// - every verdict is remembered for a while (AuthCache), successes and failures apart, so a
//   scraper with the right password pays bcrypt's cost about once, and a repeated wrong guess
//   too; guesses can never push a success out;
// - bcrypt runs one at a time, so a flood cannot take every core; checks wait for it in arrival
//   order, at most max_waiting of them (waiting or running), so a flood cannot hold every pool
//   thread either; one more is kBusy (503 with Retry-After), never a 401. A check of a
//   password already queued waits for that one's verdict instead of queueing again.
// Nothing here logs; passwords are wiped from the buffers this code owns. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "exporter/web/auth_cache.h"

namespace tcorg::web {

struct BasicCredentials {
  std::string user;
  std::string password;
  ~BasicCredentials();  // wipes the password
};

// "Basic <base64(user:password)>" (scheme case-insensitive, standard base64 with padding), as
// Go's Request.BasicAuth reads it; nullopt for anything else.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);

struct BasicAuthOptions {
  std::chrono::seconds cache_ttl{60};  // since last found
  std::size_t cache_size = 100;        // successes
  std::size_t failure_cache_size = 1000;
  std::size_t max_waiting = 16;  // checks queued for bcrypt, the running one included
  AuthCache::Clock clock;        // empty: steady_clock::now
};

enum class AuthVerdict {
  kGood,   // a user of `users` with the right password
  kBad,    // anything else
  kLater,  // only bcrypt can tell, and the caller may not wait for it
  kBusy,   // only bcrypt can tell, and max_waiting checks already wait for it: try again later
};

class BasicAuth {
 public:
  explicit BasicAuth(BasicAuthOptions options = {});

  // Whether the Authorization header names a user of `users` (name -> bcrypt hash) with the
  // right password. With `may_wait` false the answer comes from the caches or the header
  // alone, never from bcrypt: kLater then means ask again from a thread that may wait.
  AuthVerdict check(const std::map<std::string, std::string>& users, std::string_view authorization,
                    bool may_wait = true);

 private:
  void end_turn(const AuthCache::Key& key);

  const BasicAuthOptions options_;
  AuthCache good_;
  AuthCache bad_;  // looked up with good_'s keys
  std::mutex queue_mu_;
  std::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;     // under queue_mu_
  std::uint64_t serving_ = 0;         // the ticket whose turn it is
  std::size_t queued_ = 0;            // tickets not yet done
  std::set<AuthCache::Key> pending_;  // the keys of those tickets
};

}  // namespace tcorg::web
