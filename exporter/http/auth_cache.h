#pragma once

// AuthCache: remembers recent successful basic-auth checks so a frequent scraper does not pay
// bcrypt's cost on every request. An entry is an HMAC-SHA256, under a random key made per
// cache, of (user, stored hash, password): it proves a match without holding the password or
// anything a guess could be checked against offline. Including the stored hash means a changed
// password in the web config invalidates the old entries at once. Entries expire after `ttl`;
// at most `capacity` are kept (the oldest go first). Thread-safe.

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>

namespace tcorg::http {

class AuthCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Key = std::array<unsigned char, 32>;

  AuthCache(std::chrono::seconds ttl, std::size_t capacity, Clock clock = {});

  Key key(std::string_view user, std::string_view hash, std::string_view password) const;
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

}  // namespace tcorg::http
