#include "simulator/temporary_keys.h"

#include <ctime>

namespace tcorg::sim {

std::string TemporaryKeys::random_hex(std::size_t chars) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  while (out.size() < chars) out.push_back(kDigits[random_.bits() & 0xf]);
  return out;
}

TemporaryKey TemporaryKeys::issue(std::int64_t now, std::int64_t lifetime_seconds) {
  std::lock_guard lock(mu_);
  TemporaryKey key;
  // The counter keeps ids distinct whatever the dice say.
  key.secret_id = "AKIDtmp" + std::to_string(++issued_) + random_hex(24);
  key.secret_key = random_hex(32);
  key.token = "simtoken" + random_hex(48);
  key.expires_at = now + lifetime_seconds;
  keys_[key.secret_id] = key;
  return key;
}

std::optional<TemporaryKey> TemporaryKeys::find(std::string_view secret_id) const {
  std::lock_guard lock(mu_);
  const auto it = keys_.find(secret_id);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> TemporaryKeys::secrets() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, key] : keys_) out.insert(out.end(), {key.secret_key, key.token});
  return out;
}

std::string iso8601_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace tcorg::sim
