#include "exporter/web/open_web_config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "test_pki.h"

namespace tcorg::web {
namespace {

using namespace std::chrono_literals;
using testing::write_file;

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct OpenWebConfigTest : ::testing::Test {
  testing::TestPki pki;  // the scratch directory
  std::string path = pki.dir + "/web.yml";
  std::ostringstream out;
  log::Logger logger{log::Level::kInfo, log::Format::kLogfmt, out};

  // Asks the file for its current version until the log holds `what`: the file is looked at
  // again at most once a second, so this takes about that long.
  bool await_log(const WebConfigFile& file, const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (out.str().find(what) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      file.current();
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }
};

TEST_F(OpenWebConfigTest, NoPathNoFileAndNoLines) {
  auto file = open_web_config("", logger);
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file.value(), nullptr);
  EXPECT_EQ(out.str(), "");
}

TEST_F(OpenWebConfigTest, AnUnusableFileAtStartIsAnErrorValue) {
  auto file = open_web_config(path, logger);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().find(path), std::string::npos) << file.error();
  EXPECT_EQ(out.str(), "");  // the caller reports it
}

TEST_F(OpenWebConfigTest, IgnoredSettingsAreWarnedAtOpenAndAfterAReload) {
  write_file(path, "http_server_config:\n  http2: true\n");
  auto file = open_web_config(path, logger);
  ASSERT_TRUE(file.ok()) << file.error();
  ASSERT_NE(file.value(), nullptr);
  EXPECT_EQ(count(out.str(), "level=warn"), 1) << out.str();
  EXPECT_NE(out.str().find("HTTP/2 is not supported; ignored"), std::string::npos) << out.str();

  write_file(path, "basic_auth_users:\n  alice: " + testing::bcrypt_hash("pw") +
                       "\nhttp_server_config:\n  http2: true\n");
  ASSERT_TRUE(await_log(*file.value(), "msg=\"web config reloaded\"")) << out.str();
  EXPECT_NE(out.str().find("level=info msg=\"web config reloaded\" file=" + path),
            std::string::npos)
      << out.str();
  EXPECT_EQ(count(out.str(), "HTTP/2 is not supported; ignored"), 2) << out.str();
}

TEST_F(OpenWebConfigTest, ABrokenChangeIsLoggedAsAnErrorAndTheLastGoodStays) {
  write_file(path, "basic_auth_users:\n  alice: " + testing::bcrypt_hash("pw") + "\n");
  auto file = open_web_config(path, logger);
  ASSERT_TRUE(file.ok()) << file.error();
  const auto before = file.value()->current();

  write_file(path, "basic_auth_users: [\n");
  ASSERT_TRUE(await_log(*file.value(), "msg=\"web config file unusable\"")) << out.str();
  EXPECT_NE(out.str().find("level=error msg=\"web config file unusable\""), std::string::npos)
      << out.str();
  EXPECT_EQ(file.value()->current(), before);
  EXPECT_EQ(out.str().find("alice"), std::string::npos) << out.str();  // nor any hash
}

}  // namespace
}  // namespace tcorg::web
