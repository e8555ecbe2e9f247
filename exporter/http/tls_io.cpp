// A connection's TLS side: its session, the handshake, SSL_read and SSL_write on the
// non-blocking socket, and close_notify. The state machine it serves is in connection.cpp.

#include <openssl/err.h>
#include <sys/epoll.h>

#include <algorithm>

#include "exporter/http/event_loop.h"

namespace tcorg::http::detail {

// A session from the server's SSL_CTX, in the handshake; false (nothing to free) if none.
bool Loop::start_tls(Connection& c) {
  c.ssl = SSL_new(server_.tls);
  if (c.ssl == nullptr || SSL_set_fd(c.ssl, c.fd) != 1) {
    ERR_clear_error();
    if (c.ssl != nullptr) SSL_free(c.ssl);
    c.ssl = nullptr;
    return false;
  }
  SSL_set_accept_state(c.ssl);
  SSL_set_mode(c.ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  c.state = State::kHandshake;
  return true;
}

void Loop::handshake(Connection& c) {
  const int r = SSL_do_handshake(c.ssl);
  if (r != 1) return ssl_wait(c, r);
  c.state = State::kReading;
  want(c, EPOLLIN);
  read_some(c);  // the request may have come with the handshake's last flight
  handle_input(c);
}

// After an SSL call that returned `r` <= 0: waits for what OpenSSL needs, or closes.
void Loop::ssl_wait(Connection& c, int r) {
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_READ:
      return want(c, EPOLLIN);
    case SSL_ERROR_WANT_WRITE:
      return want(c, EPOLLOUT);
    default:
      ERR_clear_error();
      return close(c);
  }
}

// Reads until OpenSSL needs the socket, as its buffer is invisible to epoll.
void Loop::read_tls(Connection& c) {
  char buf[kReadChunk];
  for (;;) {
    if (c.in.size() > kMaxHead + kReadChunk) return;  // enough to tell the head is too large
    const int r = SSL_read(c.ssl, buf, sizeof buf);
    if (r <= 0) {
      switch (SSL_get_error(c.ssl, r)) {
        case SSL_ERROR_WANT_READ:
          c.read_wants_write = false;
          return want(c, EPOLLIN);
        case SSL_ERROR_WANT_WRITE:  // e.g. answering a KeyUpdate into a full socket
          c.read_wants_write = true;
          return want(c, EPOLLIN | EPOLLOUT);
        default:
          ERR_clear_error();
          return close(c);
      }
    }
    c.read_wants_write = false;
    c.in.append(buf, static_cast<std::size_t>(r));
  }
}

// Writes what it can of `part` (at most 1 MiB at a time); false when it has to wait for the
// socket or has closed the connection.
bool Loop::send_tls(Connection& c, const iovec& part) {
  const int len = static_cast<int>(std::min<std::size_t>(part.iov_len, 1 << 20));
  const int r = SSL_write(c.ssl, part.iov_base, len);
  if (r <= 0) {
    ssl_wait(c, r);
    return false;
  }
  c.sent += static_cast<std::size_t>(r);
  return true;
}

// Sends close_notify (best effort) unless still in the handshake, and frees the SSL.
void Loop::end_tls(Connection& c) {
  if (c.ssl == nullptr) return;
  if (c.state != State::kHandshake) SSL_shutdown(c.ssl);
  SSL_free(c.ssl);
  ERR_clear_error();
  c.ssl = nullptr;
}

}  // namespace tcorg::http::detail
