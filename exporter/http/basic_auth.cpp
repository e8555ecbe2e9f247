#include "exporter/http/basic_auth.h"

#include <openssl/crypto.h>

#include <array>

#include "exporter/common/ascii.h"
#include "exporter/http/bcrypt.h"

namespace tcorg::http {
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
      cache_(options_.cache_ttl, options_.cache_size, options_.clock) {}

AuthVerdict BasicAuth::check(const std::map<std::string, std::string>& users,
                             std::string_view authorization, bool may_wait) {
  const auto creds = parse_basic_authorization(authorization);
  if (!creds) return AuthVerdict::kBad;
  const auto user = users.find(creds->user);
  const bool known = user != users.end();
  static const std::string unknown_user_hash(kUnknownUserHash);
  const std::string& hash = known ? user->second : unknown_user_hash;
  const AuthCache::Key key = cache_.key(creds->user, hash, creds->password);
  if (known && cache_.contains(key)) return AuthVerdict::kGood;
  // An unknown user waits for bcrypt too, so timing does not tell which names exist.
  if (!may_wait) return AuthVerdict::kLater;

  // Counted before waiting, so a flood fails fast instead of pinning connection threads.
  if (waiting_.fetch_add(1) >= options_.max_waiting) {
    waiting_.fetch_sub(1);
    return AuthVerdict::kBad;
  }
  bool match = false;
  {
    std::lock_guard lock(bcrypt_mu_);
    match = bcrypt_matches(creds->password, hash);
  }
  waiting_.fetch_sub(1);
  if (!known || !match) return AuthVerdict::kBad;
  cache_.insert(key);
  return AuthVerdict::kGood;
}

}  // namespace tcorg::http
