#pragma once

// Temporary keys the simulator issued (metadata, AssumeRole, AssumeRoleWithWebIdentity): each issue
// is a new distinct (SecretId, SecretKey, Token) triple with its own expiry. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/random.h"

namespace tcorg::sim {

struct TemporaryKey {
  std::string secret_id;
  std::string secret_key;
  std::string token;
  std::int64_t expires_at = 0;  // Unix seconds; valid while now < expires_at
};

class TemporaryKeys {
 public:
  explicit TemporaryKeys(std::uint64_t seed) : random_(seed) {}

  TemporaryKey issue(std::int64_t now, std::int64_t lifetime_seconds);
  // The key issued under `secret_id`, expired or not.
  std::optional<TemporaryKey> find(std::string_view secret_id) const;
  // Every SecretKey and Token issued so far, for tests that search output for them.
  std::vector<std::string> secrets() const;

 private:
  std::string random_hex(std::size_t chars);

  mutable std::mutex mu_;
  Random random_;
  std::uint64_t issued_ = 0;
  std::map<std::string, TemporaryKey, std::less<>> keys_;
};

// "2026-12-07T15:00:00Z".
std::string iso8601_utc(std::int64_t unix_seconds);

}  // namespace tcorg::sim
