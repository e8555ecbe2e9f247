#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "tc3/signer.h"

namespace tc3 {
namespace {

constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string signed_headers(const Request& r) {
  return r.sign_action ? "content-type;host;x-tc-action" : "content-type;host";
}

std::string scope(std::string_view date, std::string_view service) {
  std::string s;
  s.reserve(date.size() + service.size() + 13);
  s.append(date).append("/").append(service).append("/tc3_request");
  return s;
}

std::string effective_service(const Request& r) {
  return r.service.empty() ? service_of(r.host) : r.service;
}

}  // namespace

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  return out;
}

Digest sha256(std::string_view data) {
  Digest d{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data());
  return d;
}

std::string sha256_hex(std::string_view data) {
  return hex(sha256(data));
}

Digest hmac_sha256(std::string_view key, std::string_view message) {
  Digest d{};
  unsigned int len = 0;
  // The key may be empty; HMAC() treats a null key pointer with length 0 as an empty key.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), d.data(),
           &len) == nullptr ||
      len != d.size()) {
    throw std::runtime_error("tc3: HMAC-SHA256 failed in OpenSSL");
  }
  return d;
}

std::string utc_date(std::int64_t timestamp) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_seconds{seconds{timestamp}});
  const year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string service_of(std::string_view host) {
  const auto dot = host.find_first_of(".:");
  return std::string(host.substr(0, dot));
}

std::string canonical_request(const Request& r) {
  std::string out;
  out.reserve(256);
  out.append(r.method).append("\n/\n\n");  // URI "/", empty query for POST
  out.append("content-type:").append(trim(r.content_type)).append("\n");
  out.append("host:").append(trim(r.host)).append("\n");
  if (r.sign_action) out.append("x-tc-action:").append(lower(trim(r.action))).append("\n");
  out.append("\n").append(signed_headers(r)).append("\n").append(sha256_hex(r.payload));
  return out;
}

std::string string_to_sign(const Request& r, std::string_view hashed_canonical_request) {
  std::string out;
  out.reserve(128);
  out.append(kAlgorithm).append("\n");
  out.append(std::to_string(r.timestamp)).append("\n");
  out.append(scope(utc_date(r.timestamp), effective_service(r))).append("\n");
  out.append(hashed_canonical_request);
  return out;
}

Digest derive_signing_key(std::string_view secret_key, std::string_view date,
                          std::string_view service) {
  std::string k0 = "TC3";
  k0.append(secret_key);
  const Digest k_date = hmac_sha256(k0, date);
  const auto as_view = [](const Digest& d) {
    return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
  };
  const Digest k_service = hmac_sha256(as_view(k_date), service);
  return hmac_sha256(as_view(k_service), "tc3_request");
}

Signature sign_with_key(const Request& r, std::string_view secret_id, const Digest& key) {
  Signature s;
  s.date = utc_date(r.timestamp);
  s.service = effective_service(r);
  s.signed_headers = signed_headers(r);
  s.hashed_payload = sha256_hex(r.payload);
  s.canonical_request = canonical_request(r);
  s.hashed_canonical_request = sha256_hex(s.canonical_request);
  s.string_to_sign = string_to_sign(r, s.hashed_canonical_request);
  s.signature = hex(hmac_sha256(
      std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), s.string_to_sign));
  s.authorization.reserve(200);
  s.authorization.append(kAlgorithm)
      .append(" Credential=")
      .append(secret_id)
      .append("/")
      .append(scope(s.date, s.service))
      .append(", SignedHeaders=")
      .append(s.signed_headers)
      .append(", Signature=")
      .append(s.signature);
  return s;
}

Signature sign(const Request& r, std::string_view secret_id, std::string_view secret_key) {
  return sign_with_key(r, secret_id,
                       derive_signing_key(secret_key, utc_date(r.timestamp), effective_service(r)));
}

const Digest& SigningKeyCache::get(std::string_view secret_key, std::string_view date,
                                   std::string_view service) {
  if (secret_key != secret_key_ || date != date_ || service != service_) {
    key_ = derive_signing_key(secret_key, date, service);
    secret_key_.assign(secret_key);
    date_.assign(date);
    service_.assign(service);
  }
  return key_;
}

}  // namespace tc3
