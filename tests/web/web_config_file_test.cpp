#include "exporter/web/web_config_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_pki.h"

namespace tcorg::web {
namespace {

using testing::write_file;

struct WebConfigFileTest : ::testing::Test {
  testing::TestPki pki;  // also the scratch directory
  std::string path = pki.dir + "/web.yml";
  std::chrono::steady_clock::time_point now{};
  std::vector<std::string> errors;
  int reloads = 0;

  WebConfigFileOptions options() {
    WebConfigFileOptions o;
    o.path = path;
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    o.on_reload = [this](const ActiveWebConfig&) { ++reloads; };
    o.clock = [this] { return now; };
    return o;
  }
  std::shared_ptr<WebConfigFile> open() {
    auto f = WebConfigFile::open(options());
    if (!f) ADD_FAILURE() << f.error();
    return f ? f.value() : nullptr;
  }
  // The next current() may look at the files again.
  void tick() { now += std::chrono::seconds(1); }
  std::string users(const std::string& password) {
    return "basic_auth_users:\n  alice: " + testing::bcrypt_hash(password) + "\n";
  }
  std::string tls(const std::string& extra = "") {
    return "tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n" + extra;
  }
};

TEST_F(WebConfigFileTest, OpenErrorsNameTheFile) {
  auto missing = WebConfigFile::open(options());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "cannot read " + path + ": No such file or directory");

  write_file(path,
             tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: nope.pem\n"));
  auto bad_ca = WebConfigFile::open(options());
  ASSERT_FALSE(bad_ca.ok());
  EXPECT_EQ(
      bad_ca.error().rfind(
          path + ":5: tls_server_config.client_ca_file: cannot read " + pki.dir + "/nope.pem", 0),
      0u)
      << bad_ca.error();
}

TEST_F(WebConfigFileTest, NewPasswordAppliesAfterReload) {
  write_file(path, users("old"));
  auto file = open();
  const std::string old_hash = file->current()->config.users.at("alice");
  write_file(path, users("new"));
  EXPECT_EQ(file->current()->config.users.at("alice"), old_hash);  // not yet: once a second
  tick();
  EXPECT_NE(file->current()->config.users.at("alice"), old_hash);
  EXPECT_EQ(reloads, 1);
  tick();
  file->current();
  EXPECT_EQ(reloads, 1);  // nothing changed, nothing read
  EXPECT_TRUE(errors.empty());
}

TEST_F(WebConfigFileTest, BrokenFileKeepsLastGoodAndReportsOnce) {
  const std::string password = "hunter2";
  const std::string hash_users = users(password);
  write_file(path, hash_users);
  auto file = open();
  const auto good = file->current();

  // A broken file that still holds the hash: neither it nor the password may reach the log.
  write_file(path, hash_users + "tls_server_config: [oops]\n");
  for (int i = 0; i < 3; ++i) {
    tick();
    EXPECT_EQ(file->current(), good);
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find(path + ":3: tls_server_config: must be a map"), std::string::npos)
      << errors[0];
  EXPECT_NE(errors[0].find("keeping the last good web config"), std::string::npos);
  const std::string hash = good->config.users.at("alice");
  for (const auto& e : errors) {
    EXPECT_EQ(e.find(hash), std::string::npos);
    EXPECT_EQ(e.find(hash.substr(7)), std::string::npos);
    EXPECT_EQ(e.find(password), std::string::npos);
  }

  std::filesystem::remove(path);  // a different problem: reported too, once
  tick();
  EXPECT_EQ(file->current(), good);
  tick();
  file->current();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[1].find("No such file or directory"), std::string::npos);

  write_file(path, users("fixed"));
  tick();
  EXPECT_NE(file->current(), good);
  EXPECT_EQ(reloads, 1);
}

TEST_F(WebConfigFileTest, CertificateRotationReloadsWithoutConfigChange) {
  write_file(path, tls());
  auto file = open();
  const auto before = file->current();
  ASSERT_NE(before->tls, nullptr);
  pki.issue_server(pki.server_cert, pki.server_key, "rotated");
  tick();
  const auto after = file->current();
  ASSERT_NE(after->tls, nullptr);
  EXPECT_NE(after->tls, before->tls);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(after->tls->cert), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "rotated");
}

TEST_F(WebConfigFileTest, MismatchedNewKeyKeepsOldCertificate) {
  write_file(path, tls());
  auto file = open();
  const auto before = file->current();
  std::filesystem::copy_file(pki.client_key, pki.server_key,
                             std::filesystem::copy_options::overwrite_existing);
  tick();
  EXPECT_EQ(file->current(), before);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find(path + ":3: tls_server_config.key_file: "), std::string::npos);
}

TEST_F(WebConfigFileTest, SwitchingTlsOnOrOffNeedsARestart) {
  write_file(path, tls());
  auto file = open();
  const auto before = file->current();
  write_file(path, users("x"));
  tick();
  EXPECT_EQ(file->current(), before);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("switching TLS off needs a restart"), std::string::npos);
}

}  // namespace
}  // namespace tcorg::web
