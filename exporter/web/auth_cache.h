#pragma once

// AuthCache: remembers recent basic-auth verdicts (BasicAuth keeps one for successes and one
// for failures) so a frequent scraper, or a client repeating a wrong password, does not pay
// bcrypt's cost on every request. An entry is an HMAC-SHA256, under a random key made per
// cache, of (user, stored hash, password): it proves what bcrypt said without holding the
// password or anything a guess could be checked against offline. Including the stored hash
// means a changed password in the web config invalidates the old entries at once. An entry
// expires `ttl` after it was last found; at most `capacity` are kept (the least recently found
// go first). A key made by one cache may be looked up in another. Thread-safe.

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>

namespace tcorg::web {

class AuthCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Key = std::array<unsigned char, 32>;

  AuthCache(std::chrono::seconds ttl, std::size_t capacity, Clock clock = {});

  Key key(std::string_view user, std::string_view hash, std::string_view password) const;
  // Whether `key` is there; a hit keeps the entry another `ttl`.
  bool contains(const Key& key) const;
  void insert(const Key& key);

 private:
  const std::chrono::seconds ttl_;
  const std::size_t capacity_;
  const Clock clock_;
  std::array<unsigned char, 32> secret_{};
  mutable std::mutex mu_;
  mutable std::map<Key, std::chrono::steady_clock::time_point> expiry_;
};

}  // namespace tcorg::web
