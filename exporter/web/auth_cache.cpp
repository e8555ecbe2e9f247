#include "exporter/web/auth_cache.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcorg::web {
namespace {

// Length-prefixed, so ("ab", "c") and ("a", "bc") cannot collide.
void append_field(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out.append(field);
}

}  // namespace

AuthCache::AuthCache(std::chrono::seconds ttl, std::size_t capacity, Clock clock)
    : ttl_(ttl),
      capacity_(capacity),
      clock_(clock ? std::move(clock) : Clock(std::chrono::steady_clock::now)) {
  if (RAND_bytes(secret_.data(), static_cast<int>(secret_.size())) != 1) {
    throw std::runtime_error("cannot get random bytes for the auth cache key");
  }
}

AuthCache::Key AuthCache::key(std::string_view user, std::string_view hash,
                              std::string_view password) const {
  std::string message;
  message.reserve(24 + user.size() + hash.size() + password.size());
  append_field(message, user);
  append_field(message, hash);
  append_field(message, password);
  Key out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len);
  OPENSSL_cleanse(message.data(), message.size());
  return out;
}

bool AuthCache::contains(const Key& key) const {
  std::lock_guard lock(mu_);
  const auto it = expiry_.find(key);
  if (it == expiry_.end()) return false;
  if (const auto now = clock_(); now < it->second) {
    it->second = now + ttl_;
    return true;
  }
  expiry_.erase(it);
  return false;
}

void AuthCache::insert(const Key& key) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  const auto now = clock_();
  std::erase_if(expiry_, [&](const auto& e) { return e.second <= now; });
  while (expiry_.size() >= capacity_) {
    expiry_.erase(
        std::min_element(expiry_.begin(), expiry_.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
  expiry_[key] = now + ttl_;
}

}  // namespace tcorg::web
