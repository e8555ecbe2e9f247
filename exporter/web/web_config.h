#pragma once

// WebSecurity: the --web.config.file settings (TLS, basic auth, response headers), in the format
// of the Prometheus exporter-toolkit's web-config.yml, as plain data.
//
// parse_web_config is pure (no file access, no OpenSSL, never throws): it checks the YAML
// strictly (unknown keys, wrong types, duplicate keys, bad values are errors) and reports
// "<path>:<line>: <key>: <problem>". Error messages never contain a password hash or any other
// value of basic_auth_users. Files named in the config are read later (web_config_file.h).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/common/result.h"

namespace tcorg::web {

// Values are the protocol numbers OpenSSL uses (TLS1_2_VERSION...).
enum class TlsVersion { kTls10 = 0x0301, kTls11 = 0x0302, kTls12 = 0x0303, kTls13 = 0x0304 };

// Go's crypto/tls ClientAuthType, under exporter-toolkit's names.
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,           // asked for, not required, not verified
  kRequireAnyClientCert,        // required, not verified
  kVerifyClientCertIfGiven,     // not required, verified against client_ca_file if sent
  kRequireAndVerifyClientCert,  // required and verified: mTLS
};

struct TlsServerConfig {
  std::string cert_file;       // PEM, leaf first then intermediates; relative paths are resolved
  std::string key_file;        // against the config file's directory, as exporter-toolkit does
  std::string client_ca_file;  // empty: none
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  TlsVersion min_version = TlsVersion::kTls12;
  TlsVersion max_version = TlsVersion::kTls13;
  std::vector<std::string> cipher_suites;      // Go/IANA names for TLS <= 1.2; empty: default
  std::vector<std::string> curve_preferences;  // CurveP256, CurveP384, CurveP521, X25519
  bool prefer_server_cipher_suites = true;

  friend bool operator==(const TlsServerConfig&, const TlsServerConfig&) = default;
};

struct WebSecurity {
  std::string path;                    // the file it came from, for messages
  std::optional<TlsServerConfig> tls;  // absent: plain HTTP
  // basic_auth_users: user name -> bcrypt hash. Secret: never logged, never in a message.
  std::map<std::string, std::string> users;
  std::map<std::string, std::string> headers;  // http_server_config.headers, on every response
  bool http2 = true;                           // accepted and ignored: the server speaks HTTP/1.1
  // Settings accepted but not (fully) applied, for the caller to log as warnings.
  std::vector<std::string> notes;
  // 1-based line of each key read, e.g. "tls_server_config.cert_file", so errors found later
  // (an unreadable file) can point at the line.
  std::map<std::string, int> lines;

  // "<path>:<line>: <key>" (or "<path>: <key>" when the key was not in the file).
  std::string where(std::string_view key) const;

  friend bool operator==(const WebSecurity&, const WebSecurity&) = default;
};

inline constexpr std::size_t kMaxWebConfigBytes = 1 << 20;

// Parses and validates `text`, the contents of the file at `path` (used for messages and to
// resolve relative file names). An empty document means: no TLS, no auth, no headers.
Result<WebSecurity> parse_web_config(std::string_view text, const std::string& path);

}  // namespace tcorg::web
