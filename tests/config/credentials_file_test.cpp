#include "exporter/config/credentials_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/test_support.h"

namespace tcorg::config {
namespace {

using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(CredentialsFile, ReadsAndParses) {
  TempDir dir;
  const auto path = dir.write("c.ini", "[default]\nsecret_id=a\nsecret_key=b\n");
  const auto r = read_credentials_file(path);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value(), (api::Credentials{"a", "b", ""}));
}

TEST(CredentialsFile, MissingFileNamesThePath) {
  TempDir dir;
  const auto r = stat_credentials_file(dir.file("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "credentials file " + dir.file("nope") + ": No such file or directory");
}

TEST(CredentialsFile, DirectoryIsNotARegularFile) {
  TempDir dir;
  const auto r = stat_credentials_file(dir.file(""));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("not a regular file"));
}

TEST(CredentialsFile, HugeFileIsRefusedWithoutQuotingIt) {
  TempDir dir;
  const auto path = dir.write("big", "[default]\nsecret_key=S3CRET" + std::string(70'000, 'x'));
  const auto r = read_credentials_file(path);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("larger than 64 KiB"));
  EXPECT_THAT(r.error(), Not(HasSubstr("S3CRET")));
}

TEST(CredentialsFile, StampChangesWithContent) {
  TempDir dir;
  const auto path = dir.write("c.ini", "a");
  const auto before = stat_credentials_file(path);
  dir.write("c.ini", "bb");
  const auto after = stat_credentials_file(path);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_NE(before.value(), after.value());
  EXPECT_EQ(after.value(), stat_credentials_file(path).value());
}

}  // namespace
}  // namespace tcorg::config
