// The web config through the real Server: TLS, basic auth and headers on every endpoint,
// reloads, --web.max-requests, and connection floods.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <sstream>
#include <thread>

#include "exporter/http/server.h"
#include "exporter/log/logger.h"
#include "exporter/web/web_config_file.h"
#include "test_pki.h"
#include "tls_client.h"

namespace tcorg::http {
namespace {

using namespace std::chrono_literals;
using web::testing::write_file;

constexpr const char* kPaths[] = {"/", "/metrics", "/-/healthy", "/-/ready", "/nope"};

struct WebServerTest : ::testing::Test {
  web::testing::TestPki pki;
  std::string path = pki.dir + "/web.yml";
  std::ostringstream log_text;
  log::Logger logger{log::Level::kDebug, log::Format::kLogfmt, log_text};
  std::shared_ptr<web::WebConfigFile> web_config;
  std::atomic<bool> slow{false};
  std::atomic<int> in_metrics{0};
  std::unique_ptr<Server> server;
  int port = 0;
  std::thread thread;

  // Wired as main wires it; checks the files on every request so reload tests need no sleep.
  void start(int max_requests = 40) {
    web::WebConfigFileOptions o;
    o.path = path;
    o.check_interval = 0ms;
    o.on_error = [this](const std::string& m) {
      logger.error("web config file unusable", {{"err", m}});
    };
    o.on_reload = [this](const web::ActiveWebConfig& a) {
      logger.info("web config reloaded", {{"file", a.config.path}});
    };
    auto opened = web::WebConfigFile::open(o);
    ASSERT_TRUE(opened.ok()) << opened.error();
    web_config = opened.value();
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.max_requests = max_requests;
    options.web_config = [wc = web_config] { return wc->current(); };
    Handlers handlers;
    handlers.metrics_body = [this](bool gzip, bool may_wait) -> std::optional<metrics::Body> {
      if (!may_wait) return std::nullopt;  // on the pool, where it may be slow
      ++in_metrics;
      while (slow) std::this_thread::sleep_for(5ms);
      --in_metrics;
      return metrics::Body::of_text("up 1\n", gzip);
    };
    handlers.ready = [] { return true; };
    handlers.landing_page = [] { return std::string("<html></html>"); };
    server = std::make_unique<Server>(options, handlers);
    std::string error;
    port = server->bind(error);
    ASSERT_GT(port, 0) << error;
    thread = std::thread([this] { server->serve(); });
  }
  void TearDown() override {
    slow = false;
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
  std::string users(const std::string& password) {
    return "basic_auth_users:\n  alice: " + web::testing::bcrypt_hash(password) + "\n";
  }
  std::string tls(const std::string& extra = "") {
    return "tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n" + extra;
  }
  httplib::Result get(const std::string& p, const std::string& password = "") {
    httplib::Client c("127.0.0.1", port);
    if (!password.empty()) c.set_basic_auth("alice", password);
    return c.Get(p);
  }
  std::unique_ptr<httplib::SSLClient> https(bool client_cert = false) {
    auto c = client_cert ? std::make_unique<httplib::SSLClient>("127.0.0.1", port, pki.client_cert,
                                                                pki.client_key)
                         : std::make_unique<httplib::SSLClient>("127.0.0.1", port);
    c->set_ca_cert_path(pki.ca_cert.c_str());
    c->enable_server_certificate_verification(true);
    return c;
  }
};

TEST_F(WebServerTest, BasicAuthOnEveryEndpoint) {
  write_file(path, users("s3cret") +
                       "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n");
  start();
  for (const char* p : kPaths) {
    for (const std::string password : {"", "wrong"}) {
      auto res = get(p, password);
      ASSERT_TRUE(res) << p;
      EXPECT_EQ(res->status, 401) << p;
      EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic");
      EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    }
    auto ok = get(p, "s3cret");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, std::string(p) == "/nope" ? 404 : 200) << p;
    EXPECT_EQ(ok->get_header_value("X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(WebServerTest, HttpsWithBasicAuth) {
  write_file(path, tls() + users("s3cret"));
  start();
  auto c = https();
  auto denied = c->Get("/metrics");
  ASSERT_TRUE(denied) << httplib::to_string(denied.error());
  EXPECT_EQ(denied->status, 401);
  c->set_basic_auth("alice", "s3cret");
  auto ok = c->Get("/metrics");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "up 1\n");
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(2, 0);
  EXPECT_FALSE(plain.Get("/metrics"));
}

TEST_F(WebServerTest, MutualTls) {
  write_file(path,
             tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"));
  start();
  EXPECT_FALSE(https(false)->Get("/metrics"));
  auto ok = https(true)->Get("/metrics");
  ASSERT_TRUE(ok) << httplib::to_string(ok.error());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(WebServerTest, ReloadNewPasswordAndBrokenFile) {
  write_file(path, users("old-password"));
  start();
  EXPECT_EQ(get("/metrics", "old-password")->status, 200);

  write_file(path, users("new-password"));
  EXPECT_EQ(get("/metrics", "old-password")->status, 401);
  EXPECT_EQ(get("/metrics", "new-password")->status, 200);

  const std::string hash = web_config->current()->config.users.at("alice");
  write_file(path, users("third-password") + "oops: [\n");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get("/metrics", "new-password")->status, 200);
  EXPECT_EQ(get("/metrics", "third-password")->status, 401);

  // The server's threads wrote the log; joining them orders those writes before this read (a
  // reply on a TCP socket does too, but ThreadSanitizer cannot see through loopback).
  server->stop();
  thread.join();
  const std::string logged = log_text.str();
  std::size_t errors = 0;
  for (auto pos = logged.find("level=error"); pos != std::string::npos;
       pos = logged.find("level=error", pos + 1)) {
    ++errors;
  }
  EXPECT_EQ(errors, 1u) << logged;
  EXPECT_NE(logged.find("web.yml:4"), std::string::npos) << logged;
  const std::vector<std::string> secrets{"old-password", "new-password", "third-password",
                                         hash,           hash.substr(7), "$2b$04$"};
  for (const auto& secret : secrets) {
    EXPECT_EQ(logged.find(secret), std::string::npos) << secret << " in " << logged;
  }
}

TEST_F(WebServerTest, CertificateRotationWithoutRestart) {
  write_file(path, tls());
  start();
  const web::testing::TlsClientOptions trust{pki.ca_cert, "", "", 0};
  EXPECT_EQ(web::testing::tls_get(port, trust).peer_cn, "tcorg test server");
  pki.issue_server(pki.server_cert, pki.server_key, "rotated server");
  EXPECT_EQ(web::testing::tls_get(port, trust).peer_cn, "rotated server");
}

TEST_F(WebServerTest, MaxRequestsAnswers503) {
  write_file(path, "");
  start(2);
  slow = true;
  std::vector<std::future<int>> scrapes;
  for (int i = 0; i < 2; ++i) {
    scrapes.push_back(std::async(std::launch::async, [this] {
      auto r = get("/metrics");
      return r ? r->status : -1;
    }));
  }
  for (int i = 0; i < 400 && in_metrics < 2; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(in_metrics, 2);
  auto third = get("/metrics");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 503);
  EXPECT_EQ(get("/-/healthy")->status, 200);  // the limit is for scrapes only
  slow = false;
  for (auto& s : scrapes) EXPECT_EQ(s.get(), 200);
}

int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Connections that send nothing, or half a request, must not make a scrape wait.
TEST_F(WebServerTest, IdleAndSlowConnectionsDoNotStarveAScrape) {
  write_file(path, "");
  start(4);  // 20 pool threads; a connection without a whole request holds none
  std::vector<int> fds;
  // Silent connections: the kernel holds them until their first bytes (TCP_DEFER_ACCEPT).
  for (int i = 0; i < 40; ++i) fds.push_back(connect_loopback(port));
  // Half requests: each waits on an event loop for the rest of its head, up to request_timeout.
  for (int i = 0; i < 12; ++i) {
    fds.push_back(connect_loopback(port));
    EXPECT_GT(send(fds.back(), "GET /metrics HTTP/1.1\r\nHost:", 29, 0), 0);
  }
  std::this_thread::sleep_for(100ms);
  const auto t0 = std::chrono::steady_clock::now();
  auto res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  for (int fd : fds) close(fd);
}

}  // namespace
}  // namespace tcorg::http
