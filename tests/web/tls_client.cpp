#include "tls_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace tcorg::web::testing {

TlsExchange tls_get(int port, const TlsClientOptions& o) {
  TlsExchange out;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  SSL_CTX_load_verify_locations(ctx.get(), o.ca_file.c_str(), nullptr);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (o.max_version != 0) SSL_CTX_set_max_proto_version(ctx.get(), o.max_version);
  if (!o.cert_file.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx.get(), o.cert_file.c_str());
    SSL_CTX_use_PrivateKey_file(ctx.get(), o.key_file.c_str(), SSL_FILETYPE_PEM);
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), "127.0.0.1");
  SSL_set_fd(ssl.get(), fd);
  out.handshake = SSL_connect(ssl.get()) == 1;
  if (out.handshake) {
    if (X509* peer = SSL_get1_peer_certificate(ssl.get())) {
      char cn[256] = {};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
      out.peer_cn = cn;
      X509_free(peer);
    }
    const std::string req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    std::string resp;
    if (SSL_write(ssl.get(), req.data(), static_cast<int>(req.size())) > 0) {
      char buf[4096];
      int n = 0;
      while ((n = SSL_read(ssl.get(), buf, sizeof buf)) > 0) resp.append(buf, n);
    }
    out.response = resp.rfind("HTTP/1.1 ", 0) == 0;
    out.status_line = resp.substr(0, resp.find("\r\n"));
  }
  ERR_clear_error();
  close(fd);
  return out;
}

}  // namespace tcorg::web::testing
