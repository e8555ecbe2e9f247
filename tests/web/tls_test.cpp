// TLS: loading the material (tls_material.h) and serving it (tls.h: the server's SSL_CTX and each
// handshake's material), end to end over loopback with a PKI made at test time. The server here
// is httplib's SSLServer on that SSL_CTX; the event server's TLS is tested in tests/http.

#include "exporter/web/tls.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "test_pki.h"
#include "tls_client.h"

namespace tcorg::web {
namespace {

using testing::TestPki;
using testing::tls_get;
using testing::TlsClientOptions;

WebSecurity config_for(const TestPki& pki, const std::string& extra = "") {
  const std::string text = "tls_server_config:\n  cert_file: " + pki.server_cert +
                           "\n  key_file: " + pki.server_key + "\n" + extra;
  auto parsed = parse_web_config(text, pki.dir + "/web.yml");
  if (!parsed) ADD_FAILURE() << parsed.error();
  return parsed.value();
}

std::shared_ptr<const TlsMaterial> load(const WebSecurity& config) {
  auto m = load_tls_material(config);
  if (!m) ADD_FAILURE() << m.error();
  return m ? m.value() : nullptr;
}

TEST(TlsMaterial, LoadsChainKeyAndClientCas) {
  TestPki pki;
  auto m = load(config_for(
      pki, "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.ca_cert +
               "\n  cipher_suites: "
               "[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
               "  curve_preferences: [X25519, CurveP256]\n"));
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->cert, nullptr);
  EXPECT_NE(m->client_cas, nullptr);
  EXPECT_EQ(sk_X509_NAME_num(m->client_ca_names), 1);
  EXPECT_EQ(m->verify_mode, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  EXPECT_EQ(m->cipher_list, "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(m->groups, "X25519:P-256");
}

// Without cipher_suites and curve_preferences: Go's defaults (tls_defaults_test probes them).
TEST(TlsMaterial, DefaultsAreGos) {
  TestPki pki;
  auto m = load(config_for(pki));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->groups, "X25519:P-256:P-384");
  EXPECT_EQ(m->cipher_list.rfind("ECDHE-ECDSA-AES128-GCM-SHA256:", 0), 0u) << m->cipher_list;
  EXPECT_EQ(m->cipher_list.find("CBC"), std::string::npos) << m->cipher_list;
}

TEST(TlsMaterial, ErrorsNameFileKeyAndLine) {
  TestPki pki;
  struct Case {
    std::string extra_or_swap;
    std::string want;
  };
  auto expect_error = [&](const WebSecurity& config, const std::string& want) {
    auto m = load_tls_material(config);
    ASSERT_FALSE(m.ok()) << want;
    EXPECT_EQ(m.error().rfind(pki.dir + "/web.yml:", 0), 0u) << m.error();
    EXPECT_NE(m.error().find(want), std::string::npos) << m.error();
  };
  WebSecurity c = config_for(pki);
  c.tls->cert_file = pki.dir + "/missing.pem";
  expect_error(c, "web.yml:2: tls_server_config.cert_file: cannot read " + pki.dir +
                      "/missing.pem: No such file or directory");

  c = config_for(pki);
  c.tls->key_file = pki.client_key;
  expect_error(c, "web.yml:3: tls_server_config.key_file: " + pki.client_key +
                      ": does not match the certificate");

  c = config_for(pki);
  c.tls->cert_file = pki.server_key;  // a key where a certificate belongs
  expect_error(c, "web.yml:2: tls_server_config.cert_file: " + pki.server_key +
                      ": no PEM certificate found");

  testing::write_file(pki.dir + "/empty-ca.pem", "not a certificate\n");
  c = config_for(pki, "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " +
                          pki.dir + "/empty-ca.pem\n");
  expect_error(c, "web.yml:5: tls_server_config.client_ca_file: " + pki.dir +
                      "/empty-ca.pem: no PEM certificate found");
}

// An httplib SSLServer on an SSL_CTX set up as Server sets up its own (configure_tls_context),
// with material the test can swap.
struct TlsServerTest : ::testing::Test {
  TestPki pki;
  std::mutex mu;
  std::shared_ptr<const TlsMaterial> material;
  TlsSource source = [this] {
    std::lock_guard lock(mu);
    return material;
  };
  std::unique_ptr<httplib::SSLServer> server;
  int port = 0;
  std::thread thread;

  void start(const std::string& extra = "") {
    material = load(config_for(pki, extra));
    ASSERT_NE(material, nullptr);
    server = std::make_unique<httplib::SSLServer>([this](SSL_CTX& ctx) {
      configure_tls_context(ctx, &source);
      return true;
    });
    ASSERT_TRUE(server->is_valid());
    server->Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hello\n", "text/plain");
    });
    port = server->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { server->listen_after_bind(); });
  }
  void TearDown() override {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
  void swap_to(const std::string& extra) {
    auto next = load(config_for(pki, extra));
    std::lock_guard lock(mu);
    material = next;
  }
  TlsClientOptions trusting() const { return TlsClientOptions{pki.ca_cert, "", "", 0}; }
  TlsClientOptions with_client_cert() const {
    return TlsClientOptions{pki.ca_cert, pki.client_cert, pki.client_key, 0};
  }
};

TEST_F(TlsServerTest, VerifiedHttpsWorksPlainHttpDoesNot) {
  start();
  const auto ok = tls_get(port, trusting());
  EXPECT_TRUE(ok.handshake);
  EXPECT_EQ(ok.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(ok.peer_cn, "tcorg test server");

  httplib::SSLClient https("127.0.0.1", port);
  https.set_ca_cert_path(pki.ca_cert.c_str());
  https.enable_server_certificate_verification(true);
  auto res = https.Get("/");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->body, "hello\n");

  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(2, 0);
  EXPECT_FALSE(plain.Get("/"));
}

TEST_F(TlsServerTest, UntrustedCaFailsVerification) {
  start();
  TlsClientOptions other = trusting();
  other.ca_file = pki.other_ca_cert;
  EXPECT_FALSE(tls_get(port, other).handshake);
}

TEST_F(TlsServerTest, RequiredClientCertificate) {
  start("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.ca_cert + "\n");
  // TLS 1.2: the server's refusal ends the handshake itself.
  TlsClientOptions tls12 = trusting();
  tls12.max_version = TLS1_2_VERSION;
  EXPECT_FALSE(tls_get(port, tls12).handshake);
  // TLS 1.3: the client may think it finished, but gets no response.
  EXPECT_FALSE(tls_get(port, trusting()).response);

  EXPECT_EQ(tls_get(port, with_client_cert()).status_line, "HTTP/1.1 200 OK");
  httplib::SSLClient mtls("127.0.0.1", port, pki.client_cert, pki.client_key);
  mtls.set_ca_cert_path(pki.ca_cert.c_str());
  mtls.enable_server_certificate_verification(true);
  auto res = mtls.Get("/");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
}

TEST_F(TlsServerTest, ClientCertificateFromAnotherCaRefused) {
  start("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.other_ca_cert +
        "\n");
  EXPECT_FALSE(tls_get(port, with_client_cert()).response);
}

TEST_F(TlsServerTest, MinVersionApplies) {
  start("  min_version: TLS13\n");
  TlsClientOptions tls12 = trusting();
  tls12.max_version = TLS1_2_VERSION;
  EXPECT_FALSE(tls_get(port, tls12).handshake);
  EXPECT_TRUE(tls_get(port, trusting()).response);
}

TEST_F(TlsServerTest, NewMaterialAppliesToTheNextConnection) {
  start();
  EXPECT_EQ(tls_get(port, trusting()).peer_cn, "tcorg test server");
  pki.issue_server(pki.server_cert, pki.server_key, "rotated server");
  swap_to("");
  EXPECT_EQ(tls_get(port, trusting()).peer_cn, "rotated server");
  // And client auth switched on without a restart.
  swap_to("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.ca_cert +
          "\n");
  EXPECT_FALSE(tls_get(port, trusting()).response);
  EXPECT_TRUE(tls_get(port, with_client_cert()).response);
}

TEST_F(TlsServerTest, NoMaterialFailsTheHandshake) {
  start();
  {
    std::lock_guard lock(mu);
    material = nullptr;
  }
  EXPECT_FALSE(tls_get(port, trusting()).handshake);
}

}  // namespace
}  // namespace tcorg::web
