#pragma once

// TLS for the web server, with certificates that can change while the server runs.
//
// The server keeps one SSL_CTX for its whole life and each event loop creates its connections'
// SSLs from it, so changing that SSL_CTX's certificate later would race with SSL_new. Instead
// the SSL_CTX stays as configured here, and a ClientHello callback copies the material current
// at that moment (certificate, chain, key, client CAs, verify mode, versions, ciphers, groups)
// onto the connection's own SSL. OpenSSL reads all of these after that callback, and the SSL
// holds its own references, so a reload applies to the next handshake and never disturbs one in
// progress. Sessions and tickets are off: a resumed session would skip the client certificate
// check under settings that may since have changed.

#include <openssl/ssl.h>

#include <functional>
#include <memory>

#include "exporter/web/tls_material.h"

namespace tcorg::web {

// The material for a new connection; nullptr fails the handshake. Called from any thread.
using TlsSource = std::function<std::shared_ptr<const TlsMaterial>()>;

// Sets up the server's `ctx`. `source` must outlive ctx.
void configure_tls_context(SSL_CTX& ctx, const TlsSource* source);

// Copies `material` onto one connection; false (with OpenSSL's error queue cleared) on failure.
bool apply_tls_material(const TlsMaterial& material, SSL& ssl);

}  // namespace tcorg::web
