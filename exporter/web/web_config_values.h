#pragma once

// The closed vocabularies of web-config.yml, as exporter-toolkit defines them: TLS version and
// client auth names, Go's cipher suite and curve names, the response headers that may be set.
// Pure lookups, shared by the parser and by the TLS setup.

#include <optional>
#include <string>
#include <string_view>

#include "exporter/web/web_config.h"

namespace tcorg::web {

std::optional<TlsVersion> tls_version_from_name(std::string_view name);  // "TLS10".."TLS13"
const char* tls_version_name(TlsVersion version);
std::optional<ClientAuth> client_auth_from_name(std::string_view name);
const char* client_auth_name(ClientAuth auth);

// One of the names Go's tls.CipherSuites() returns (the only ones exporter-toolkit accepts).
bool is_known_cipher_suite(std::string_view name);
// TLS 1.3 suites are accepted but, as in Go, not configurable.
bool is_tls13_cipher_suite(std::string_view name);

// OpenSSL's group name for a Go curve name ("CurveP256" -> "P-256"); nullptr if unknown.
const char* openssl_group_for_curve(std::string_view name);

// Why `name: value` may not be configured as a response header; nullopt when it may.
// exporter-toolkit allows only a fixed set of security headers, some with fixed values.
std::optional<std::string> header_problem(std::string_view name, std::string_view value);

}  // namespace tcorg::web
