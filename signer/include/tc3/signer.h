#pragma once

// TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
// Pure functions: no clock, no I/O. The timestamp is an input, so every value is reproducible.
// All functions are thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tc3 {

using Digest = std::array<unsigned char, 32>;

// What is signed of one request. `host` is the value signed for the `host` header; the service is
// its first label unless `service` is set.
struct Request {
  std::string method = "POST";
  std::string host;
  std::string content_type = "application/json";
  std::string action;          // signed (lowercased) only when sign_action is true
  std::string_view payload;    // exact body bytes
  std::int64_t timestamp = 0;  // Unix seconds
  std::string service;         // empty: first label of host
  bool sign_action = false;    // SignedHeaders "content-type;host;x-tc-action"
};

// Every intermediate value of one signature, for tests and debugging. Holds no secret.
struct Signature {
  std::string date;  // UTC YYYY-MM-DD of the timestamp
  std::string service;
  std::string signed_headers;
  std::string hashed_payload;  // hex(sha256(payload))
  std::string canonical_request;
  std::string hashed_canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // full Authorization header value
};

std::string hex(const unsigned char* data, std::size_t size);
inline std::string hex(const Digest& d) {
  return hex(d.data(), d.size());
}
Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view message);

// UTC calendar date of a Unix timestamp, "YYYY-MM-DD".
std::string utc_date(std::int64_t timestamp);
// First DNS label of a host ("organization" of "organization.tencentcloudapi.com:443").
std::string service_of(std::string_view host);

std::string canonical_request(const Request& request);
std::string string_to_sign(const Request& request, std::string_view hashed_canonical_request);

// kSigning = HMAC(HMAC(HMAC("TC3"+key, date), service), "tc3_request").
Digest derive_signing_key(std::string_view secret_key, std::string_view date,
                          std::string_view service);

// Signs with an already derived key (the key changes once per UTC day; see SigningKeyCache).
Signature sign_with_key(const Request& request, std::string_view secret_id, const Digest& key);
// Derives the key and signs.
Signature sign(const Request& request, std::string_view secret_id, std::string_view secret_key);

// Remembers the last derived key so a steady stream of requests derives once per UTC day.
// Not thread-safe: keep one per thread or guard it.
class SigningKeyCache {
 public:
  const Digest& get(std::string_view secret_key, std::string_view date, std::string_view service);

 private:
  std::string secret_key_;
  std::string date_;
  std::string service_;
  Digest key_{};
};

}  // namespace tc3
