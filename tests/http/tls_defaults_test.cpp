// TLS defaults of the real Server, probed with the real `openssl s_client`: key exchange groups
// and TLS 1.2 cipher suites are Go's crypto/tls defaults (so exporter-toolkit's) unless the web
// config's curve_preferences / cipher_suites say otherwise.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "exporter/http/server.h"
#include "exporter/web/web_config_file.h"
#include "test_pki.h"

namespace tcorg::http {
namespace {

struct Probe {
  bool connected = false;  // s_client finished a handshake
  std::string output;
};

// `openssl s_client` with `args`, stdin closed at once; connected when it reports a session.
Probe s_client(int port, const std::string& args) {
  const std::string cmd =
      "timeout 30 openssl s_client -brief -connect 127.0.0.1:" + std::to_string(port) + " " + args +
      " </dev/null 2>&1";
  Probe p;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << cmd;
    return p;
  }
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe.get())) > 0;) p.output.append(buf, n);
  p.connected = p.output.find("CONNECTION ESTABLISHED") != std::string::npos;
  return p;
}

struct TlsDefaultsTest : ::testing::Test {
  web::testing::TestPki pki;
  std::string rsa_cert = pki.dir + "/rsa.pem", rsa_key = pki.dir + "/rsa-key.pem";
  std::shared_ptr<web::WebConfigFile> web_config;
  std::unique_ptr<Server> server;
  int port = 0;
  std::thread thread;

  // `extra`: more lines under tls_server_config. `rsa`: an RSA certificate, so suites with
  // plain-RSA key exchange could be chosen at all (the test PKI's keys are EC).
  void start(const std::string& extra = "", bool rsa = false) {
    if (rsa) {
      const std::string make =
          "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "
          "/CN=127.0.0.1 -keyout " +
          rsa_key + " -out " + rsa_cert + " >/dev/null 2>&1";
      ASSERT_EQ(std::system(make.c_str()), 0) << make;
    }
    web::testing::write_file(
        pki.dir + "/web.yml",
        "tls_server_config:\n  cert_file: " + (rsa ? rsa_cert : pki.server_cert) +
            "\n  key_file: " + (rsa ? rsa_key : pki.server_key) + "\n" + extra);
    web::WebConfigFileOptions o;
    o.path = pki.dir + "/web.yml";
    auto opened = web::WebConfigFile::open(o);
    ASSERT_TRUE(opened.ok()) << opened.error();
    web_config = opened.value();
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.web_config = [wc = web_config] { return wc->current(); };
    Handlers handlers;
    handlers.metrics_body = [](bool gzip, bool) {
      return std::optional(metrics::Body::of_text("up 1\n", gzip));
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
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
};

TEST_F(TlsDefaultsTest, DefaultGroupsAreGosNotFiniteField) {
  start();
  for (const char* group : {"ffdhe8192", "ffdhe2048", "P-521"}) {
    for (const char* version : {"-tls1_3", "-tls1_2"}) {
      const auto p = s_client(port, std::string("-groups ") + group + " " + version);
      EXPECT_FALSE(p.connected) << group << " " << version << ":\n" << p.output;
    }
  }
  for (const char* group : {"X25519", "P-256", "P-384"}) {
    const auto p = s_client(port, std::string("-groups ") + group);
    EXPECT_TRUE(p.connected) << group << ":\n" << p.output;
  }
  // A client offering ffdhe8192 first still gets a group the server takes.
  const auto p = s_client(port, "-groups ffdhe8192:X25519");
  EXPECT_TRUE(p.connected) << p.output;
}

TEST_F(TlsDefaultsTest, CurvePreferencesOverrideTheDefaultGroups) {
  start("  curve_preferences: [CurveP521]\n");
  EXPECT_TRUE(s_client(port, "-groups P-521").connected);
  EXPECT_FALSE(s_client(port, "-groups X25519").connected);
  EXPECT_FALSE(s_client(port, "-groups ffdhe8192").connected);
}

TEST_F(TlsDefaultsTest, DefaultTls12SuitesAreEcdheWithAead) {
  start("", /*rsa=*/true);
  for (const char* suite : {"AES128-SHA", "AES128-GCM-SHA256", "AES256-SHA256",
                            "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-GCM-SHA256"}) {
    const auto p = s_client(port, std::string("-tls1_2 -cipher ") + suite);
    EXPECT_FALSE(p.connected) << suite << ":\n" << p.output;
  }
  for (const char* suite : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                            "ECDHE-RSA-CHACHA20-POLY1305"}) {
    const auto p = s_client(port, std::string("-tls1_2 -cipher ") + suite);
    EXPECT_TRUE(p.connected) << suite << ":\n" << p.output;
  }
  EXPECT_TRUE(s_client(port, "-tls1_3").connected);  // TLS 1.3 suites are not affected
}

TEST_F(TlsDefaultsTest, CipherSuitesOverrideTheDefaults) {
  start("  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]\n", /*rsa=*/true);
  EXPECT_TRUE(s_client(port, "-tls1_2 -cipher AES128-SHA").connected);
  EXPECT_FALSE(s_client(port, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256").connected);
}

}  // namespace
}  // namespace tcorg::http
