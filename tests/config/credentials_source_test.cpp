#include "exporter/config/credentials_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/config/test_support.h"

namespace tcorg::config {
namespace {

using test::fake_env;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Env = std::map<std::string, std::string>;
using namespace std::chrono_literals;

constexpr const char* kMarker = "S3CRET";  // in every secret below; never in a message

std::string ini(const std::string& id, const std::string& key, const std::string& token = "") {
  std::string text = "[default]\nsecret_id = " + id + "\nsecret_key = " + key + "\n";
  if (!token.empty()) text += "token = " + token + "\n";
  return text;
}

// Rewrites a file and moves its mtime forward, as a rotation a while later would.
void rewrite(const std::string& path, const std::string& text) {
  const auto before = std::filesystem::last_write_time(path);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  std::filesystem::last_write_time(path, before + 5s);
}

// A manual clock plus the callbacks' records, wired into CredentialsOptions.
struct Harness {
  Env env;
  std::chrono::steady_clock::time_point now{};
  std::vector<std::string> errors;
  std::vector<std::string> reloads;

  CredentialsOptions options(const std::string& file, bool file_explicit = false) {
    CredentialsOptions o;
    o.file = file;
    o.file_explicit = file_explicit;
    o.env = fake_env(env);
    o.clock = [this] { return now; };
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    o.on_reload = [this](const std::string& p) { reloads.push_back(p); };
    return o;
  }
  std::string open_error(const std::string& file, bool file_explicit = false) {
    auto r = CredentialsSource::open(options(file, file_explicit));
    EXPECT_FALSE(r.ok());
    if (r.ok()) return "";
    EXPECT_THAT(r.error(), Not(HasSubstr(kMarker)));
    return r.error();
  }
  ~Harness() {
    for (const auto& e : errors) EXPECT_THAT(e, Not(HasSubstr(kMarker)));
  }
};

TEST(CredentialsSource, EnvironmentComesFirst) {
  TempDir dir;
  Harness h;
  h.env = {{"TENCENTCLOUD_SECRET_ID", "envS3CRETid"}, {"TENCENTCLOUD_SECRET_KEY", "envS3CRETkey"}};
  auto src = CredentialsSource::open(h.options(dir.write("c", ini("fileid", "filekey")), true));
  ASSERT_TRUE(src.ok()) << src.error();
  EXPECT_EQ(src.value()->current(), (api::Credentials{"envS3CRETid", "envS3CRETkey", ""}));
  EXPECT_EQ(src.value()->origin(), "environment");
}

TEST(CredentialsSource, TokenFromSecurityTokenElseSessionToken) {
  Harness h;
  h.env = {{"TENCENTCLOUD_SECRET_ID", "i"},
           {"TENCENTCLOUD_SECRET_KEY", "k"},
           {"TENCENTCLOUD_SESSION_TOKEN", "session"}};
  EXPECT_EQ(CredentialsSource::open(h.options("")).value()->current().token, "session");
  h.env["TENCENTCLOUD_SECURITY_TOKEN"] = "security";
  EXPECT_EQ(CredentialsSource::open(h.options("")).value()->current().token, "security");
}

TEST(CredentialsSource, HalfSetEnvironmentNamesTheMissingVariable) {
  Harness h;
  h.env = {{"TENCENTCLOUD_SECRET_ID", "S3CRETid"}};
  EXPECT_EQ(h.open_error(""),
            "TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not: set both, or "
            "neither to use the credentials file");
  h.env = {{"TENCENTCLOUD_SECRET_KEY", "S3CRETkey"}, {"TENCENTCLOUD_SECRET_ID", ""}};
  EXPECT_THAT(h.open_error(""),
              HasSubstr("TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"));
}

TEST(CredentialsSource, ReadsTheFileWhenTheEnvironmentIsEmpty) {
  TempDir dir;
  Harness h;
  h.env = {{"TENCENTCLOUD_SECRET_ID", ""}, {"TENCENTCLOUD_SECRET_KEY", ""}};
  const auto path = dir.write("c", ini("id", "key", "tok"));
  auto src = CredentialsSource::open(h.options(path));
  ASSERT_TRUE(src.ok()) << src.error();
  EXPECT_EQ(src.value()->current(), (api::Credentials{"id", "key", "tok"}));
  EXPECT_EQ(src.value()->origin(), path);
}

TEST(CredentialsSource, MissingExplicitFileIsAnError) {
  TempDir dir;
  Harness h;
  EXPECT_EQ(h.open_error(dir.file("absent"), true),
            "credentials file " + dir.file("absent") + ": No such file or directory");
}

TEST(CredentialsSource, NothingAnywhereSaysWhatToSet) {
  TempDir dir;
  Harness h;
  const std::string expected_start =
      "no Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and "
      "TENCENTCLOUD_SECURITY_TOKEN for temporary credentials), or write secret_id/secret_key under "
      "[default] in ";
  const std::string expected_end = ", or pass --tencentcloud.credentials-file";
  EXPECT_EQ(h.open_error(dir.file("absent")), expected_start + dir.file("absent") + expected_end);
  EXPECT_EQ(h.open_error(""), expected_start + "~/.tencentcloud/credentials" + expected_end);
}

TEST(CredentialsSource, BrokenFileAtStartupIsAnError) {
  TempDir dir;
  Harness h;
  const auto path = dir.write("c", "[default]\nsecret_id = S3CRETid\n");
  EXPECT_EQ(h.open_error(path), path + ": [default] has no secret_key");
}

TEST(CredentialsSource, RotatedFileAppliesAfterTheCheckInterval) {
  TempDir dir;
  Harness h;
  const auto path = dir.write("c", ini("id1", "S3CRET1"));
  auto src = CredentialsSource::open(h.options(path));
  ASSERT_TRUE(src.ok()) << src.error();
  const auto& s = *src.value();
  EXPECT_EQ(s.current().secret_key, "S3CRET1");

  rewrite(path, ini("id2", "S3CRET2", "tok2"));
  h.now += 500ms;
  EXPECT_EQ(s.current().secret_key, "S3CRET1");  // not looked at again yet
  h.now += 500ms;
  EXPECT_EQ(s.current(), (api::Credentials{"id2", "S3CRET2", "tok2"}));
  EXPECT_THAT(h.reloads, ElementsAre(path));
  EXPECT_TRUE(h.errors.empty());

  h.now += 1s;  // unchanged file: no reload reported
  EXPECT_EQ(s.current().secret_key, "S3CRET2");
  EXPECT_EQ(h.reloads.size(), 1u);
}

TEST(CredentialsSource, ReplacedByRenameIsPickedUp) {
  TempDir dir;
  Harness h;
  const auto path = dir.write("c", ini("id1", "S3CRET1"));
  auto src = CredentialsSource::open(h.options(path));
  ASSERT_TRUE(src.ok());
  std::filesystem::rename(dir.write("c.new", ini("id2", "S3CRET2")), path);  // new inode
  h.now += 1s;
  EXPECT_EQ(src.value()->current().secret_key, "S3CRET2");
}

TEST(CredentialsSource, BrokenRewriteKeepsTheLastGoodAndReportsOnce) {
  TempDir dir;
  Harness h;
  const auto path = dir.write("c", ini("id1", "S3CRET1"));
  auto src = CredentialsSource::open(h.options(path));
  ASSERT_TRUE(src.ok());
  const auto& s = *src.value();

  rewrite(path, "[default]\nsecret_id = S3CRETnew\nsecret_key =\n");
  for (int i = 0; i < 5; ++i) {
    h.now += 1s;
    EXPECT_EQ(s.current().secret_key, "S3CRET1");
  }
  ASSERT_EQ(h.errors.size(), 1u);
  EXPECT_EQ(h.errors[0], path + ":3: secret_key is empty; keeping the last good credentials");

  rewrite(path, ini("id3", "S3CRET3"));  // fixed
  h.now += 1s;
  EXPECT_EQ(s.current().secret_key, "S3CRET3");
  EXPECT_EQ(h.reloads.size(), 1u);

  rewrite(path, "[default]\nsecret_id = S3CRETnew\nsecret_key =\n");  // broken again: new report
  h.now += 1s;
  EXPECT_EQ(s.current().secret_key, "S3CRET3");
  EXPECT_EQ(h.errors.size(), 2u);
}

TEST(CredentialsSource, DeletedFileKeepsTheLastGoodUntilItReturns) {
  TempDir dir;
  Harness h;
  const auto path = dir.write("c", ini("id1", "S3CRET1"));
  auto src = CredentialsSource::open(h.options(path));
  ASSERT_TRUE(src.ok());
  std::filesystem::remove(path);
  for (int i = 0; i < 3; ++i) {
    h.now += 1s;
    EXPECT_EQ(src.value()->current().secret_key, "S3CRET1");
  }
  EXPECT_THAT(h.errors, ElementsAre("credentials file " + path +
                                    ": No such file or directory; keeping the last good "
                                    "credentials"));
  dir.write("c", ini("id2", "S3CRET2"));
  h.now += 1s;
  EXPECT_EQ(src.value()->current().secret_key, "S3CRET2");
}

TEST(CredentialsSource, EnvironmentSourceNeverLooksAtFiles) {
  Harness h;
  h.env = {{"TENCENTCLOUD_SECRET_ID", "i"}, {"TENCENTCLOUD_SECRET_KEY", "k"}};
  auto src = CredentialsSource::open(h.options("/nonexistent/file", true));
  ASSERT_TRUE(src.ok()) << src.error();
  h.now += 10s;
  EXPECT_EQ(src.value()->current().secret_id, "i");
  EXPECT_TRUE(h.errors.empty());
}

// Readers on several threads while the file rotates: each sees a whole pair, never a mix.
TEST(CredentialsSource, ConcurrentReadersDuringRotation) {
  TempDir dir;
  const auto path = dir.write("c", ini("idA", "keyA"));
  CredentialsOptions o;
  o.file = path;
  o.env = [](const char*) -> const char* { return nullptr; };
  o.check_interval = 0ms;
  auto src = CredentialsSource::open(o);
  ASSERT_TRUE(src.ok()) << src.error();

  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        const auto c = src.value()->current();
        const bool a = c.secret_id == "idA" && c.secret_key == "keyA";
        const bool b = c.secret_id == "idB" && c.secret_key == "keyB";
        if (!a && !b) ++bad;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    // Atomic replacement, as rotation tools do; readers must never see a mixed pair.
    const bool even = i % 2 == 0;
    std::filesystem::rename(dir.write("tmp", even ? ini("idB", "keyB") : ini("idA", "keyA")), path);
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace tcorg::config
