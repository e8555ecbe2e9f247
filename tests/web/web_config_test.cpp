#include "exporter/web/web_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace tcorg::web {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* kHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

// Every testdata/invalid-*.yml starts with "# want <line>: <part of the message>".
TEST(WebConfig, EveryRejectionFixtureNamesFileLineAndProblem) {
  int fixtures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TCORG_WEB_TESTDATA)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) != 0) continue;
    ++fixtures;
    const std::string text = slurp(entry.path());
    ASSERT_EQ(text.rfind("# want ", 0), 0u) << name;
    const auto colon = text.find(':');
    const std::string line = text.substr(7, colon - 7);
    const std::string want = text.substr(colon + 2, text.find('\n') - colon - 2);

    auto parsed = parse_web_config(text, entry.path().string());
    ASSERT_FALSE(parsed.ok()) << name << " was accepted";
    const std::string& err = parsed.error();
    EXPECT_EQ(err.rfind(entry.path().string() + ":" + line + ":", 0), 0u) << name << ": " << err;
    EXPECT_NE(err.find(want), std::string::npos) << name << ": " << err;
    // Secrets in the file never reach the message.
    EXPECT_EQ(err.find("$2y$"), std::string::npos) << name << ": " << err;
    EXPECT_EQ(err.find("hunter2"), std::string::npos) << name << ": " << err;
  }
  EXPECT_GE(fixtures, 25);
}

TEST(WebConfig, EmptyMeansPlainHttpWithoutAuth) {
  for (const char* text :
       {"", "# nothing\n", "{}", "tls_server_config:\n", "tls_server_config: {}"}) {
    auto parsed = parse_web_config(text, "web.yml");
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
    EXPECT_FALSE(parsed.value().tls.has_value());
    EXPECT_TRUE(parsed.value().users.empty());
    EXPECT_TRUE(parsed.value().headers.empty());
  }
}

TEST(WebConfig, FullConfig) {
  const std::string text = std::string(R"(tls_server_config:
  cert_file: server.pem
  key_file: /etc/tls/server-key.pem
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.pem
  min_version: TLS13
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: false
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ')") + kHash + "'\n";
  auto parsed = parse_web_config(text, "/etc/exporter/web.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const WebSecurity& w = parsed.value();
  ASSERT_TRUE(w.tls.has_value());
  TlsServerConfig want;
  want.cert_file = "/etc/exporter/server.pem";  // relative to the config file, as in Go
  want.key_file = "/etc/tls/server-key.pem";
  want.client_ca_file = "/etc/exporter/ca.pem";
  want.client_auth = ClientAuth::kRequireAndVerifyClientCert;
  want.min_version = TlsVersion::kTls13;
  want.max_version = TlsVersion::kTls13;
  want.cipher_suites = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
  want.curve_preferences = {"X25519", "CurveP256"};
  want.prefer_server_cipher_suites = false;
  EXPECT_EQ(*w.tls, want);
  EXPECT_FALSE(w.http2);
  EXPECT_EQ(w.headers,
            (std::map<std::string, std::string>{{"Strict-Transport-Security", "max-age=31536000"},
                                                {"X-Frame-Options", "deny"}}));
  EXPECT_EQ(w.users, (std::map<std::string, std::string>{{"alice", kHash}}));
  EXPECT_TRUE(w.notes.empty());
  EXPECT_EQ(w.where("tls_server_config.cert_file"),
            "/etc/exporter/web.yml:2: tls_server_config.cert_file");
  EXPECT_EQ(w.where("nope"), "/etc/exporter/web.yml: nope");
}

TEST(WebConfig, DefaultsMatchExporterToolkit) {
  auto parsed =
      parse_web_config("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n", "w.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const TlsServerConfig& t = *parsed.value().tls;
  EXPECT_EQ(t.min_version, TlsVersion::kTls12);
  EXPECT_EQ(t.max_version, TlsVersion::kTls13);
  EXPECT_EQ(t.client_auth, ClientAuth::kNoClientCert);
  EXPECT_TRUE(t.prefer_server_cipher_suites);
  EXPECT_EQ(t.cert_file, "c.pem");  // no directory in the config path: relative to the cwd
}

TEST(WebConfig, OldClientAuthSpellingAccepted) {
  auto parsed = parse_web_config(
      "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: RequireClientCert\n",
      "w.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value().tls->client_auth, ClientAuth::kRequireAnyClientCert);
}

TEST(WebConfig, IgnoredSettingsAreNoted) {
  auto parsed = parse_web_config(
      "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS10\n"
      "  cipher_suites: [TLS_AES_128_GCM_SHA256]\nhttp_server_config:\n  http2: true\n",
      "w.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  std::string notes;
  for (const auto& n : parsed.value().notes) notes += n + "\n";
  EXPECT_EQ(parsed.value().notes.size(), 3u) << notes;
  EXPECT_NE(notes.find("w.yml:4: tls_server_config.min_version: "), std::string::npos) << notes;
  EXPECT_NE(notes.find("w.yml:5: tls_server_config.cipher_suites: TLS 1.3"), std::string::npos);
  EXPECT_NE(notes.find("w.yml:7: http_server_config.http2: HTTP/2 is not supported"),
            std::string::npos);
}

TEST(WebConfig, TooLargeRejected) {
  auto parsed = parse_web_config(std::string(kMaxWebConfigBytes + 1, '#'), "w.yml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().find("larger than"), std::string::npos);
}

// The parser must turn any input into a value or an error, never a crash or an exception.
TEST(WebConfig, HostileInputsNeverThrow) {
  const std::vector<std::string> inputs = {
      std::string(100000, '['),
      std::string(100000, '{'),
      "a: &x [*x, *x]\ntls_server_config: *x\n",
      "tls_server_config: &t {cert_file: *t}\n",
      "basic_auth_users: {? [a]: b}\n",
      "basic_auth_users: {alice: !!binary aGVsbG8=}\n",
      std::string("basic_auth_users:\n  \0alice: x\n", 29),
      "\xff\xfe\x00\x01",
      "%YAML 9.9\n---\na: 1\n",
      "!!map {? !!str tls_server_config : !!null ''}",
      "tls_server_config: {min_version: [TLS12]}",
      "http_server_config: {headers: {X-Frame-Options: {a: b}}}",
      "<<: {tls_server_config: {}}",
      ",",  // yaml-cpp's LoadAll loops forever on this one
      "a: 1\n,\n",
      "- ,\n---\n,",
  };
  for (const auto& in : inputs) {
    EXPECT_NO_THROW((void)parse_web_config(in, "w.yml")) << in.substr(0, 40);
  }
}

TEST(WebConfig, RandomMutationsNeverThrow) {
  const std::string seed = std::string(R"(tls_server_config:
  cert_file: server.pem
  key_file: server-key.pem
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.pem
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
http_server_config: {headers: {X-Frame-Options: deny}, http2: false}
basic_auth_users:
  alice: ")") + kHash + "\"\n";
  std::mt19937 rng(7);
  const std::string alphabet = ":-[]{}&*!|>'\"#%@`,? \n\t\\$0aZ";
  for (int i = 0; i < 3000; ++i) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          s.erase(pos, 1 + rng() % 8);
          break;
      }
      if (s.empty()) s = "x";
    }
    EXPECT_NO_THROW((void)parse_web_config(s, "w.yml"));
  }
}

}  // namespace
}  // namespace tcorg::web
