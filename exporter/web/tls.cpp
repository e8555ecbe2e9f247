#include "exporter/web/tls.h"

#include <openssl/err.h>

namespace tcorg::web {
namespace {

// RequestClientCert and RequireAnyClientCert take any certificate, as Go does.
int accept_any_certificate(int, X509_STORE_CTX*) {
  return 1;
}

int on_client_hello(SSL* ssl, int* alert, void* arg) {
  const auto& source = *static_cast<const TlsSource*>(arg);
  std::shared_ptr<const TlsMaterial> material;
  try {
    material = source();
  } catch (...) {
    material = nullptr;  // an exception must not cross OpenSSL's C frames
  }
  if (material == nullptr || !apply_tls_material(*material, *ssl)) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

void configure_tls_context(SSL_CTX& ctx, const TlsSource* source) {
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                                SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(&ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(&ctx, 0);
  SSL_CTX_set_client_hello_cb(&ctx, on_client_hello, const_cast<TlsSource*>(source));
}

bool apply_tls_material(const TlsMaterial& m, SSL& ssl) {
  SSL* s = &ssl;
  bool ok = SSL_set_min_proto_version(s, m.min_version) == 1 &&
            SSL_set_max_proto_version(s, m.max_version) == 1 &&
            SSL_use_certificate(s, m.cert) == 1 && SSL_use_PrivateKey(s, m.key) == 1 &&
            SSL_set1_chain(s, m.chain) == 1;
  if (ok && m.client_cas != nullptr) ok = SSL_set1_verify_cert_store(s, m.client_cas) == 1;
  if (ok && m.client_ca_names != nullptr) {
    SSL_set_client_CA_list(s, SSL_dup_CA_list(m.client_ca_names));  // takes ownership
  }
  if (ok && !m.cipher_list.empty()) ok = SSL_set_cipher_list(s, m.cipher_list.c_str()) == 1;
  if (ok && !m.groups.empty()) ok = SSL_set1_groups_list(s, m.groups.c_str()) == 1;
  if (ok) {
    SSL_set_verify(s, m.verify_mode, m.verify_client_chain ? nullptr : accept_any_certificate);
    if (m.prefer_server_ciphers) {
      SSL_set_options(s, SSL_OP_CIPHER_SERVER_PREFERENCE);
    } else {
      SSL_clear_options(s, SSL_OP_CIPHER_SERVER_PREFERENCE);
    }
  }
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace tcorg::web
