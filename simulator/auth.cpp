#include "simulator/auth.h"

#include <charconv>
#include <cstdlib>
#include <vector>

#include "tc3/signer.h"

namespace tcorg::sim {
namespace {

constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256 ";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Compares in time independent of where the strings differ.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

ApiFailure invalid_authorization() {
  return {"AuthFailure.InvalidAuthorization", "Authorization in the request header is invalid."};
}

ApiFailure signature_failure(std::string message) {
  return {"AuthFailure.SignatureFailure", std::move(message)};
}

// The host values a client may have signed: as sent, and without its port.
std::vector<std::string> signed_host_candidates(std::string_view host) {
  std::vector<std::string> out{std::string(host)};
  const auto colon = host.rfind(':');
  const bool ipv6_without_port = host.find(']') != std::string_view::npos &&
                                 (colon == std::string_view::npos || colon < host.find(']'));
  if (colon != std::string_view::npos && !ipv6_without_port) {
    out.emplace_back(host.substr(0, colon));
  }
  return out;
}

}  // namespace

std::optional<Authorization> parse_authorization(std::string_view header) {
  if (header.substr(0, kAlgorithm.size()) != kAlgorithm) return std::nullopt;
  Authorization a;
  bool credential = false, headers = false, signature = false;
  for (std::string_view part : split(header.substr(kAlgorithm.size()), ',')) {
    part = trim(part);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "Credential" && !credential) {
      const auto scope = split(value, '/');
      if (scope.size() != 4 || scope[3] != "tc3_request") return std::nullopt;
      for (const auto& s : scope) {
        if (s.empty()) return std::nullopt;
      }
      a.secret_id = scope[0];
      a.date = scope[1];
      a.service = scope[2];
      credential = true;
    } else if (key == "SignedHeaders" && !headers) {
      a.signed_headers = value;
      headers = true;
    } else if (key == "Signature" && !signature) {
      if (value.size() != 64 || !is_lower_hex(value)) return std::nullopt;
      a.signature = value;
      signature = true;
    } else {
      return std::nullopt;  // unknown or repeated field
    }
  }
  if (!credential || !headers || !signature) return std::nullopt;
  return a;
}

std::optional<ApiFailure> verify_request(const SignedRequest& r,
                                         const api::Credentials& credentials, std::int64_t now,
                                         int max_skew_seconds, std::string_view service) {
  const auto auth = parse_authorization(r.authorization);
  if (!auth) return invalid_authorization();
  const bool sign_action = auth->signed_headers == "content-type;host;x-tc-action";
  if (!sign_action && auth->signed_headers != "content-type;host") return invalid_authorization();

  if (r.timestamp.empty()) {
    return ApiFailure{"MissingParameter", "The parameter `X-TC-Timestamp` is missing."};
  }
  std::int64_t timestamp = 0;
  const char* end = r.timestamp.data() + r.timestamp.size();
  if (auto [p, ec] = std::from_chars(r.timestamp.data(), end, timestamp);
      ec != std::errc() || p != end) {
    return ApiFailure{"InvalidParameter", "The parameter `X-TC-Timestamp` is not an integer."};
  }

  if (auth->secret_id != credentials.secret_id) {
    return ApiFailure{"AuthFailure.SecretIdNotFound",
                      "The SecretId is not found, please ensure that your SecretId is correct."};
  }
  if (std::llabs(now - timestamp) > max_skew_seconds) {
    return ApiFailure{"AuthFailure.SignatureExpire",
                      "Signature expired. Timestamp and server time cannot differ by more than " +
                          std::to_string(max_skew_seconds) + " seconds."};
  }
  if (auth->service != service) {
    return signature_failure("The credential scope must name the service `" + std::string(service) +
                             "`.");
  }
  if (auth->date != tc3::utc_date(timestamp)) {
    return signature_failure("The credential date must be the UTC date of X-TC-Timestamp.");
  }

  const auto key = tc3::derive_signing_key(credentials.secret_key, auth->date, service);
  bool matched = false;
  for (const std::string& host : signed_host_candidates(r.host)) {
    tc3::Request q;
    q.host = host;
    q.content_type = r.content_type;
    q.action = r.action;
    q.payload = r.body;
    q.timestamp = timestamp;
    q.service = std::string(service);
    q.sign_action = sign_action;
    matched = matched ||
              same_secret(tc3::sign_with_key(q, auth->secret_id, key).signature, auth->signature);
  }
  if (!matched) {
    return signature_failure(
        "The provided credentials could not be validated. Please check your signature is "
        "correct.");
  }
  if (!same_secret(r.token, credentials.token)) {
    return ApiFailure{"AuthFailure.TokenFailure", "Token error."};
  }
  return std::nullopt;
}

}  // namespace tcorg::sim
