// The event-loop server under TLS, as production runs it (an SSL_CTX set up by tls.h), with a
// bare OpenSSL client over loopback: the handshake deadline, a large body written in pieces to a
// slow reader, requests OpenSSL holds (SSL_pending), the lingering close after an error, and a
// certificate changed while a connection is open.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "exporter/http/event_server.h"
#include "exporter/web/tls.h"
#include "exporter/web/tls_material.h"
#include "exporter/web/web_config.h"
#include "test_pki.h"

namespace tcorg::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using web::testing::TestPki;

int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Whether the peer closes `fd` (end of stream or error) within `timeout`, dropping what comes.
bool closed_within(int fd, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) <= 0) return false;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

struct EventServerTlsTest : ::testing::Test {
  TestPki pki;
  std::mutex mu;
  std::shared_ptr<const web::TlsMaterial> material;
  web::TlsSource source = [this] {
    std::lock_guard lock(mu);
    return material;
  };
  SSL_CTX* ctx = nullptr;
  SSL_CTX* client_ctx = nullptr;
  EventServerOptions options;
  std::string big;  // the body of /big
  std::unique_ptr<EventServer> server;
  std::thread thread;
  int port = 0;

  void load(const std::string& cert, const std::string& key) {
    auto parsed = web::parse_web_config(
        "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key + "\n",
        pki.dir + "/web.yml");
    ASSERT_TRUE(parsed) << parsed.error();
    auto m = web::load_tls_material(parsed.value());
    ASSERT_TRUE(m) << m.error();
    std::lock_guard lock(mu);
    material = m.value();
  }

  void start() {
    ASSERT_NO_FATAL_FAILURE(load(pki.server_cert, pki.server_key));
    ctx = SSL_CTX_new(TLS_server_method());
    ASSERT_TRUE(ctx != nullptr);
    web::configure_tls_context(*ctx, &source);
    client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(client_ctx, pki.ca_cert.c_str(), nullptr);
    SSL_CTX_set_verify(client_ctx, SSL_VERIFY_PEER, nullptr);

    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 128), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    Responder responder{[this](const httplib::Request& req, bool) {
                          Reply reply;
                          reply.res.status = 200;
                          reply.res.body = req.path == "/big" ? big : "ok " + req.path + "\n";
                          return std::optional(std::move(reply));
                        },
                        {}};
    server = std::make_unique<EventServer>(fd, ctx, options, responder);
    thread = std::thread([this] { server->run(); });
  }

  void TearDown() override {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
    server.reset();
    SSL_CTX_free(ctx);
    SSL_CTX_free(client_ctx);
  }

  // A TLS client connection, handshake done.
  struct Client {
    int fd = -1;
    SSL* ssl = nullptr;
    ~Client() {
      if (ssl != nullptr) SSL_free(ssl);
      if (fd >= 0) ::close(fd);
    }
    bool write(const std::string& data) const {
      return SSL_write(ssl, data.data(), static_cast<int>(data.size())) ==
             static_cast<int>(data.size());
    }
    // Reads until `want` bytes or the end; what arrived.
    std::string read(std::size_t want) const {
      std::string out;
      char buf[16384];
      while (out.size() < want) {
        const int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
      }
      return out;
    }
    std::string peer_cn() const {
      X509* peer = SSL_get1_peer_certificate(ssl);
      if (peer == nullptr) return "";
      char cn[256] = {};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
      X509_free(peer);
      return cn;
    }
  };
  std::unique_ptr<Client> connect() {
    auto c = std::make_unique<Client>();
    c->fd = connect_loopback(port);
    timeval tv{10, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    c->ssl = SSL_new(client_ctx);
    SSL_set_fd(c->ssl, c->fd);
    EXPECT_EQ(SSL_connect(c->ssl), 1);
    ERR_clear_error();
    return c;
  }
};

std::string get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}
std::string reply_for(const std::string& path) {
  const std::string body = "ok " + path + "\n";
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A client that connects and never says hello is closed once request_timeout has passed.
TEST_F(EventServerTlsTest, SilentHandshakeClosedAfterRequestTimeout) {
  options.request_timeout = 300ms;
  ASSERT_NO_FATAL_FAILURE(start());
  const int fd = connect_loopback(port);
  const auto t0 = Clock::now();
  EXPECT_TRUE(closed_within(fd, 5s));
  EXPECT_GE(Clock::now() - t0, 250ms);
  ::close(fd);
}

// 16 MiB to a client that reads slowly: SSL_write goes on in pieces as the socket drains, and
// every byte arrives in order.
TEST_F(EventServerTlsTest, LargeBodyWrittenInPiecesToASlowReader) {
  big.resize(16 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = connect();
  ASSERT_TRUE(c->write(get("/big")));
  std::this_thread::sleep_for(200ms);  // the server fills the socket and waits for EPOLLOUT
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n";
  const std::string got = c->read(head.size() + big.size());
  ASSERT_EQ(got.size(), head.size() + big.size());
  EXPECT_EQ(got.substr(0, head.size()), head);
  EXPECT_TRUE(got.compare(head.size(), big.size(), big) == 0);
}

// Three requests in one TLS record: OpenSSL holds the rest after the first SSL_read, where epoll
// cannot see it; all three are answered, in order.
TEST_F(EventServerTlsTest, RequestsOpenSslHoldsAreAnswered) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = connect();
  ASSERT_TRUE(c->write(get("/a") + get("/b") + get("/c")));
  const std::string want = reply_for("/a") + reply_for("/b") + reply_for("/c");
  EXPECT_EQ(c->read(want.size()), want);
}

// A request that cannot be read gets its 400 under TLS, then the connection ends cleanly even
// though the client keeps sending (the lingering close drops it below TLS).
TEST_F(EventServerTlsTest, BadRequestAnsweredThenLingeringClose) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto c = connect();
  ASSERT_TRUE(c->write("NOT HTTP\r\n\r\n"));
  std::string got = c->read(12);
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
  c->write(std::string(4096, 'x'));  // more after the error: must not destroy the reply
  got += c->read(1 << 20);           // until the end
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  EXPECT_TRUE(closed_within(c->fd, 3s));
}

// A certificate changed while a connection is open: that connection goes on with the one it
// shook hands with; the next connection gets the new one.
TEST_F(EventServerTlsTest, CertificateReloadMidConnection) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto before = connect();
  const std::string old_cn = before->peer_cn();
  ASSERT_FALSE(old_cn.empty());
  const std::string cert = pki.dir + "/renewed.crt", key = pki.dir + "/renewed.key";
  pki.issue_server(cert, key, "renewed.example");
  ASSERT_NO_FATAL_FAILURE(load(cert, key));
  ASSERT_TRUE(before->write(get("/a")));
  EXPECT_EQ(before->read(reply_for("/a").size()), reply_for("/a"));
  EXPECT_EQ(before->peer_cn(), old_cn);
  auto after = connect();
  EXPECT_EQ(after->peer_cn(), "renewed.example");
  ASSERT_TRUE(after->write(get("/b")));
  EXPECT_EQ(after->read(reply_for("/b").size()), reply_for("/b"));
}

}  // namespace
}  // namespace tcorg::http
