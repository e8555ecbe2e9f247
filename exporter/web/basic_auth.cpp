#include "exporter/web/basic_auth.h"

#include <openssl/crypto.h>

#include <array>

#include "exporter/common/ascii.h"
#include "exporter/web/bcrypt.h"

namespace tcorg::web {
namespace {

// exporter-toolkit's stand-in for unknown users: bcrypt (cost 10) of "fakepassword".
constexpr const char* kUnknownUserHash =
    "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding, nothing else tolerated.
std::optional<std::string> decode_base64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    std::array<int, 4> v{};
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = in[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0 || (v[j] = base64_value(c)) < 0) return std::nullopt;  // '=' only at the end
    }
    const unsigned n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>(n >> 8));
    if (pad < 1) out.push_back(static_cast<char>(n));
  }
  return out;
}

}  // namespace

BasicCredentials::~BasicCredentials() {
  OPENSSL_cleanse(password.data(), password.size());
}

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
  constexpr std::string_view kPrefix = "Basic ";
  if (header.size() < kPrefix.size() || !equals_ignoring_case(header.substr(0, 6), kPrefix)) {
    return std::nullopt;
  }
  auto decoded = decode_base64(header.substr(kPrefix.size()));
  if (!decoded) return std::nullopt;
  std::optional<BasicCredentials> out;
  if (const auto colon = decoded->find(':'); colon != std::string::npos) {
    out.emplace();
    out->user = decoded->substr(0, colon);
    out->password = decoded->substr(colon + 1);
  }
  OPENSSL_cleanse(decoded->data(), decoded->size());
  return out;
}

BasicAuth::BasicAuth(BasicAuthOptions options)
    : options_(std::move(options)),
      good_(options_.cache_ttl, options_.cache_size, options_.clock),
      bad_(options_.cache_ttl, options_.failure_cache_size, options_.clock) {}

AuthVerdict BasicAuth::check(const std::map<std::string, std::string>& users,
                             std::string_view authorization, bool may_wait) {
  const auto creds = parse_basic_authorization(authorization);
  if (!creds) return AuthVerdict::kBad;
  const auto user = users.find(creds->user);
  const bool known = user != users.end();
  static const std::string unknown_user_hash(kUnknownUserHash);
  const std::string& hash = known ? user->second : unknown_user_hash;
  const AuthCache::Key key = good_.key(creds->user, hash, creds->password);
  // An unknown user goes through bcrypt (and the failure cache) too, so timing does not tell
  // which names exist.
  const auto cached = [&]() -> std::optional<AuthVerdict> {
    if (known && good_.contains(key)) return AuthVerdict::kGood;
    if (bad_.contains(key)) return AuthVerdict::kBad;
    return std::nullopt;
  };
  if (const auto verdict = cached()) return *verdict;

  std::unique_lock lock(queue_mu_);
  for (;;) {
    // The same password already queued (a repeated guess, a scraper's first scrapes): its
    // verdict answers this check too, and it takes no second place in the queue.
    if (pending_.contains(key)) {
      if (!may_wait) return AuthVerdict::kLater;
      turn_.wait(lock, [&] { return !pending_.contains(key); });
      lock.unlock();
      if (const auto verdict = cached()) return *verdict;
      lock.lock();  // already gone from a full cache: queue like any other
      continue;
    }
    if (queued_ >= options_.max_waiting) return AuthVerdict::kBusy;
    if (!may_wait) return AuthVerdict::kLater;
    break;
  }
  ++queued_;
  pending_.insert(key);
  const std::uint64_t ticket = next_ticket_++;
  turn_.wait(lock, [&] { return serving_ == ticket; });
  lock.unlock();
  struct TurnEnds {  // even if bcrypt threw
    BasicAuth& auth;
    const AuthCache::Key& key;
    ~TurnEnds() { auth.end_turn(key); }
  } turn_ends{*this, key};
  const bool match = bcrypt_matches(creds->password, hash) && known;
  (match ? good_ : bad_).insert(key);
  return match ? AuthVerdict::kGood : AuthVerdict::kBad;
}

void BasicAuth::end_turn(const AuthCache::Key& key) {
  {
    std::lock_guard lock(queue_mu_);
    ++serving_;
    --queued_;
    pending_.erase(key);
  }
  turn_.notify_all();
}

}  // namespace tcorg::web
