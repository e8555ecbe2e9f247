#include "exporter/web/web_config_values.h"

#include <algorithm>
#include <array>
#include <utility>

namespace tcorg::web {
namespace {

constexpr std::array<std::pair<std::string_view, TlsVersion>, 4> kVersions{{
    {"TLS10", TlsVersion::kTls10},
    {"TLS11", TlsVersion::kTls11},
    {"TLS12", TlsVersion::kTls12},
    {"TLS13", TlsVersion::kTls13},
}};

constexpr std::array<std::pair<std::string_view, ClientAuth>, 5> kClientAuth{{
    {"NoClientCert", ClientAuth::kNoClientCert},
    {"RequestClientCert", ClientAuth::kRequestClientCert},
    {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
    {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
    {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
}};

constexpr std::array<std::string_view, 3> kTls13Suites{
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};

// Go's tls.CipherSuites() for TLS 1.0-1.2, the secure set exporter-toolkit accepts.
constexpr std::array<std::string_view, 14> kTls12Suites{
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
};

constexpr std::array<std::pair<std::string_view, const char*>, 4> kCurves{{
    {"CurveP256", "P-256"},
    {"CurveP384", "P-384"},
    {"CurveP521", "P-521"},
    {"X25519", "X25519"},
}};

struct AllowedHeader {
  std::string_view name;
  std::array<std::string_view, 2> values;  // empty: any value
};

// exporter-toolkit's extraHTTPHeaders: everything else (Authorization, Content-Length,
// Set-Cookie...) could break the protocol or the auth, so it is refused.
constexpr std::array<AllowedHeader, 5> kHeaders{{
    {"Strict-Transport-Security", {}},
    {"X-Content-Type-Options", {"nosniff", {}}},
    {"X-Frame-Options", {"deny", "sameorigin"}},
    {"X-XSS-Protection", {}},
    {"Content-Security-Policy", {}},
}};

template <class Table>
auto find_name(const Table& table, std::string_view name) {
  return std::find_if(table.begin(), table.end(), [&](const auto& e) { return e.first == name; });
}

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

}  // namespace

std::optional<TlsVersion> tls_version_from_name(std::string_view name) {
  const auto it = find_name(kVersions, name);
  if (it == kVersions.end()) return std::nullopt;
  return it->second;
}

const char* tls_version_name(TlsVersion version) {
  for (const auto& [name, value] : kVersions) {
    if (value == version) return name.data();  // the literals are NUL-terminated
  }
  return "?";
}

std::optional<ClientAuth> client_auth_from_name(std::string_view name) {
  // exporter-toolkit keeps the old spelling for backwards compatibility.
  if (name == "RequireClientCert") return ClientAuth::kRequireAnyClientCert;
  const auto it = find_name(kClientAuth, name);
  if (it == kClientAuth.end()) return std::nullopt;
  return it->second;
}

const char* client_auth_name(ClientAuth auth) {
  for (const auto& [name, value] : kClientAuth) {
    if (value == auth) return name.data();  // the literals are NUL-terminated
  }
  return "?";
}

bool is_tls13_cipher_suite(std::string_view name) {
  return std::find(kTls13Suites.begin(), kTls13Suites.end(), name) != kTls13Suites.end();
}

bool is_known_cipher_suite(std::string_view name) {
  return is_tls13_cipher_suite(name) ||
         std::find(kTls12Suites.begin(), kTls12Suites.end(), name) != kTls12Suites.end();
}

const char* openssl_group_for_curve(std::string_view name) {
  const auto it = find_name(kCurves, name);
  return it == kCurves.end() ? nullptr : it->second;
}

std::optional<std::string> header_problem(std::string_view name, std::string_view value) {
  const auto it = std::find_if(kHeaders.begin(), kHeaders.end(),
                               [&](const AllowedHeader& h) { return h.name == name; });
  if (it == kHeaders.end()) {
    return "header \"" + std::string(name) +
           "\" can not be configured (allowed: Strict-Transport-Security, "
           "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)";
  }
  if (has_control_char(value)) return std::string("value must not contain control characters");
  if (it->values[0].empty()) return std::nullopt;
  for (const auto allowed : it->values) {
    if (!allowed.empty() && value == allowed) return std::nullopt;
  }
  std::string want;
  for (const auto allowed : it->values) {
    if (allowed.empty()) continue;
    want += (want.empty() ? "\"" : ", \"") + std::string(allowed) + "\"";
  }
  return "invalid value \"" + std::string(value) + "\" (expected one of " + want + ")";
}

}  // namespace tcorg::web
