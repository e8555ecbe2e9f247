#include "exporter/web/tls_material.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

#include "exporter/web/file_io.h"
#include "exporter/web/web_config_values.h"

namespace tcorg::web {
namespace {

constexpr std::size_t kMaxPemBytes = 1 << 20;

// TLS 1.2 suites when cipher_suites names none: ECDHE (forward secrecy) with AEAD only, Go's
// default order. Plain-RSA key exchange and CBC suites only when the web config asks for them.
constexpr const char* kDefaultTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Key exchange groups when curve_preferences names none: Go's crypto/tls defaults. OpenSSL's
// own would let a client pick ffdhe8192, ~90x the server CPU of X25519 per handshake.
constexpr const char* kDefaultGroups = "X25519:P-256:P-384";

// Never prompt on the terminal for a passphrase: encrypted keys are simply unreadable.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr memory_bio(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// The last OpenSSL reason, for messages; clears the thread's error queue.
std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

// Every certificate in a PEM file, in order; an error when there is none or one is broken.
Result<std::vector<X509*>> read_certificates(const std::string& pem) {
  std::vector<X509*> certs;
  const BioPtr bio = memory_bio(pem);
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr)) {
    certs.push_back(c);
  }
  const unsigned long e = ERR_peek_last_error();
  const bool clean_end = ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
  if (certs.empty() || !clean_end) {
    const std::string reason = certs.empty() ? "no PEM certificate found" : openssl_reason();
    for (X509* c : certs) X509_free(c);
    ERR_clear_error();
    return Error{reason};
  }
  ERR_clear_error();
  return certs;
}

class Loader {
 public:
  Loader(const WebSecurity& config, TlsMaterial& out)
      : config_(config), tls_(*config.tls), out_(out) {}

  std::string run() {
    std::string err;
    if (!(err = load_cert()).empty() || !(err = load_key()).empty()) return err;
    if (!tls_.client_ca_file.empty() && !(err = load_client_cas()).empty()) return err;
    if (!(err = ciphers()).empty() || !(err = groups()).empty()) return err;
    settings();
    return "";
  }

 private:
  std::string at(const char* key, const std::string& message) const {
    return config_.where(std::string("tls_server_config.") + key) + ": " + message;
  }

  std::string load_cert() {
    auto pem = read_file(tls_.cert_file, kMaxPemBytes);
    if (!pem) return at("cert_file", pem.error());
    auto certs = read_certificates(pem.value());
    if (!certs) return at("cert_file", tls_.cert_file + ": " + certs.error());
    out_.cert = certs.value()[0];
    out_.chain = sk_X509_new_null();
    for (std::size_t i = 1; i < certs.value().size(); ++i) {
      sk_X509_push(out_.chain, certs.value()[i]);
    }
    return "";
  }

  std::string load_key() {
    auto pem = read_file(tls_.key_file, kMaxPemBytes);
    if (!pem) return at("key_file", pem.error());
    const BioPtr bio = memory_bio(pem.value());
    out_.key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
    if (out_.key == nullptr) {
      ERR_clear_error();
      return at("key_file", tls_.key_file + ": no unencrypted PEM private key found");
    }
    if (X509_check_private_key(out_.cert, out_.key) != 1) {
      ERR_clear_error();
      return at("key_file", tls_.key_file + ": does not match the certificate in cert_file");
    }
    return "";
  }

  std::string load_client_cas() {
    auto pem = read_file(tls_.client_ca_file, kMaxPemBytes);
    if (!pem) return at("client_ca_file", pem.error());
    auto certs = read_certificates(pem.value());
    if (!certs) return at("client_ca_file", tls_.client_ca_file + ": " + certs.error());
    out_.client_cas = X509_STORE_new();
    out_.client_ca_names = sk_X509_NAME_new_null();
    for (X509* c : certs.value()) {
      X509_STORE_add_cert(out_.client_cas, c);  // takes its own reference
      sk_X509_NAME_push(out_.client_ca_names, X509_NAME_dup(X509_get_subject_name(c)));
      X509_free(c);
    }
    ERR_clear_error();  // a duplicate certificate is not an error worth failing on
    return "";
  }

  // Go's names map to OpenSSL's through the IANA names; each must exist in this build.
  // Without cipher_suites (or with TLS 1.3 ones only), Go's default set for TLS 1.2.
  std::string ciphers() {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> probe(SSL_CTX_new(TLS_server_method()),
                                                            SSL_CTX_free);
    for (const std::string& name : tls_.cipher_suites) {
      if (is_tls13_cipher_suite(name)) continue;
      const char* openssl_name = OPENSSL_cipher_name(name.c_str());
      if (std::strcmp(openssl_name, "(NONE)") == 0 ||
          SSL_CTX_set_cipher_list(probe.get(), openssl_name) != 1) {
        ERR_clear_error();
        return at("cipher_suites", "cipher suite " + name + " is not available in this OpenSSL");
      }
      out_.cipher_list += (out_.cipher_list.empty() ? "" : ":") + std::string(openssl_name);
    }
    if (out_.cipher_list.empty()) out_.cipher_list = kDefaultTls12Ciphers;
    return "";
  }

  // Without curve_preferences, Go's default groups.
  std::string groups() {
    for (const std::string& curve : tls_.curve_preferences) {
      out_.groups += (out_.groups.empty() ? "" : ":") + std::string(openssl_group_for_curve(curve));
    }
    if (out_.groups.empty()) out_.groups = kDefaultGroups;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> probe(SSL_CTX_new(TLS_server_method()),
                                                            SSL_CTX_free);
    if (!out_.groups.empty() && SSL_CTX_set1_groups_list(probe.get(), out_.groups.c_str()) != 1) {
      ERR_clear_error();
      return at("curve_preferences", "a curve is not available in this OpenSSL");
    }
    return "";
  }

  void settings() {
    out_.min_version = static_cast<int>(tls_.min_version);
    out_.max_version = static_cast<int>(tls_.max_version);
    out_.prefer_server_ciphers = tls_.prefer_server_cipher_suites;
    switch (tls_.client_auth) {
      case ClientAuth::kNoClientCert:
        out_.verify_mode = SSL_VERIFY_NONE;
        break;
      case ClientAuth::kRequestClientCert:
        out_.verify_mode = SSL_VERIFY_PEER;
        out_.verify_client_chain = false;
        break;
      case ClientAuth::kRequireAnyClientCert:
        out_.verify_mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        out_.verify_client_chain = false;
        break;
      case ClientAuth::kVerifyClientCertIfGiven:
        out_.verify_mode = SSL_VERIFY_PEER;
        break;
      case ClientAuth::kRequireAndVerifyClientCert:
        out_.verify_mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        break;
    }
  }

  const WebSecurity& config_;
  const TlsServerConfig& tls_;
  TlsMaterial& out_;
};

}  // namespace

TlsMaterial::~TlsMaterial() {
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
  X509_STORE_free(client_cas);
  sk_X509_NAME_pop_free(client_ca_names, X509_NAME_free);
}

Result<std::shared_ptr<const TlsMaterial>> load_tls_material(const WebSecurity& config) {
  if (!config.tls) return Error{config.path + ": no tls_server_config"};
  auto material = std::make_shared<TlsMaterial>();
  if (std::string err = Loader(config, *material).run(); !err.empty()) {
    return Error{std::move(err)};
  }
  return std::shared_ptr<const TlsMaterial>(std::move(material));
}

}  // namespace tcorg::web
