#pragma once

// TlsMaterial: what a TLS handshake needs (certificate chain, key, client CAs, versions,
// ciphers, groups), read from the files a WebSecurity names and checked once, up front.
// Immutable once built; connections hold their own OpenSSL references, so a new
// TlsMaterial can replace an old one while handshakes run.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "exporter/common/result.h"
#include "exporter/web/web_config.h"

namespace tcorg::web {

struct TlsMaterial {
  TlsMaterial() = default;
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  // Owned OpenSSL objects.
  X509* cert = nullptr;
  STACK_OF(X509) * chain = nullptr;  // intermediates that followed the leaf in cert_file
  EVP_PKEY* key = nullptr;
  X509_STORE* client_cas = nullptr;                 // null: no client_ca_file
  STACK_OF(X509_NAME) * client_ca_names = nullptr;  // sent in the CertificateRequest

  int verify_mode = SSL_VERIFY_NONE;
  bool verify_client_chain = true;  // false: RequestClientCert/RequireAnyClientCert take any cert
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  // OpenSSL names for TLS <= 1.2, ':'-separated; ECDHE with AEAD unless cipher_suites says.
  std::string cipher_list;
  std::string groups;  // e.g. "P-256:X25519"; X25519:P-256:P-384 unless curve_preferences says
  bool prefer_server_ciphers = true;
};

// Reads and checks cert_file, key_file and client_ca_file of `config.tls` (which must be set):
// the key must match the certificate, the CA file must hold a certificate, and every cipher
// suite and curve must be available in this OpenSSL. Errors read "<path>:<line>: <key>: ...".
Result<std::shared_ptr<const TlsMaterial>> load_tls_material(const WebSecurity& config);

}  // namespace tcorg::web
