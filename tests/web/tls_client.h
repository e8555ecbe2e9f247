#pragma once

// A bare OpenSSL client for TLS tests: one handshake and one GET over loopback, reporting what
// httplib's client cannot (the certificate the server presented, where a failure happened).

#include <string>

namespace tcorg::web::testing {

struct TlsClientOptions {
  std::string ca_file;              // verify the server against this CA (and its IP SAN 127.0.0.1)
  std::string cert_file, key_file;  // client certificate; empty: none
  int max_version = 0;              // e.g. TLS1_2_VERSION; 0: OpenSSL's default
};

struct TlsExchange {
  bool handshake = false;  // the client finished its handshake
  bool response = false;   // and read an HTTP response
  std::string status_line;
  std::string peer_cn;  // subject CN of the server's certificate
};

TlsExchange tls_get(int port, const TlsClientOptions& options);

}  // namespace tcorg::web::testing
