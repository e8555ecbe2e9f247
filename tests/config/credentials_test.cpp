#include "exporter/config/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tcorg::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPath = "/etc/tc/credentials";
// Every secret in these tests contains this marker; no error message may.
constexpr const char* kMarker = "S3CRET";

Result<api::Credentials> parse(const std::string& text) {
  return parse_credentials_ini(text, kPath);
}

std::string error_of(const std::string& text) {
  const auto r = parse(text);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_THAT(r.error(), Not(HasSubstr(kMarker))) << "secret leaked: " << r.error();
  EXPECT_THAT(r.error(), HasSubstr(kPath));
  return r.error();
}

TEST(ParseCredentialsIni, GoodFile) {
  const auto r = parse("[default]\nsecret_id = AKIDS3CRETid\nsecret_key = S3CRETkey\n");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().secret_id, "AKIDS3CRETid");
  EXPECT_EQ(r.value().secret_key, "S3CRETkey");
  EXPECT_EQ(r.value().token, "");
}

TEST(ParseCredentialsIni, TokenCommentsWhitespaceAndOtherSections) {
  const auto r = parse(
      "\xEF\xBB\xBF# written by rotate.sh\r\n"
      "; another comment\n"
      "[other]\n"
      "secret_id = not-this-one\n"
      "region: ap-guangzhou\n"  // other sections may use syntax we do not
      "\n"
      "  [ default ]  \n"
      "\tsecret_id=id1\t\n"
      "SECRET_KEY =   \"key1\"\n"
      "token = tok1\n"
      "[later]\n"
      "secret_key = also-not-this-one\n");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value(), (api::Credentials{"id1", "key1", "tok1"}));
}

TEST(ParseCredentialsIni, KeysBeforeAnySectionAreIgnored) {
  const auto r = parse("secret_id = stray\n[default]\nsecret_id = a\nsecret_key = b\n");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().secret_id, "a");
}

TEST(ParseCredentialsIni, NoDefaultSection) {
  EXPECT_EQ(error_of("[prod]\nsecret_id = S3CRET\nsecret_key = S3CRET\n"),
            std::string(kPath) + ": no [default] section");
  EXPECT_THAT(error_of(""), HasSubstr("no [default] section"));
}

TEST(ParseCredentialsIni, MissingKey) {
  EXPECT_EQ(error_of("[default]\nsecret_id = S3CRETid\n"),
            std::string(kPath) + ": [default] has no secret_key");
  EXPECT_EQ(error_of("[default]\nsecret_key = S3CRETkey\n"),
            std::string(kPath) + ": [default] has no secret_id");
}

TEST(ParseCredentialsIni, EmptySecretNamesTheKeyAndLine) {
  EXPECT_EQ(error_of("[default]\nsecret_id = S3CRETid\nsecret_key =\n"),
            std::string(kPath) + ":3: secret_key is empty");
  EXPECT_EQ(error_of("[default]\nsecret_id = \"\"\nsecret_key = S3CRETkey\n"),
            std::string(kPath) + ":2: secret_id is empty");
}

TEST(ParseCredentialsIni, UnknownKeyNamesFileAndLine) {
  // The key itself is not echoed: a pasted secret can end up on the left of '='.
  EXPECT_EQ(
      error_of("[default]\nsecret_id = S3CRETid\nS3CRETpasted = x\n"),
      std::string(kPath) + ":3: unknown key in [default] (accepted: secret_id, secret_key, token)");
}

TEST(ParseCredentialsIni, LineWithoutEquals) {
  EXPECT_EQ(error_of("[default]\nsecret_id = a\nS3CRETkey\n"),
            std::string(kPath) + ":3: expected key = value");
  EXPECT_EQ(error_of("S3CRET\n"), std::string(kPath) + ":1: expected key = value");
}

TEST(ParseCredentialsIni, DuplicateKey) {
  EXPECT_EQ(
      error_of("[default]\nsecret_id = S3CRET1\nsecret_key = S3CRET\n\nsecret_id = S3CRET2\n"),
      std::string(kPath) + ":5: secret_id given twice in [default] (first at line 2)");
  // Reopening [default] does not reset it.
  EXPECT_THAT(error_of("[default]\ntoken=S3CRET\n[x]\n[default]\ntoken=S3CRET\n"),
              HasSubstr(":5: token given twice"));
}

TEST(ParseCredentialsIni, MalformedSectionHeader) {
  EXPECT_EQ(error_of("[default\nsecret_id = S3CRET\n"),
            std::string(kPath) + ":1: malformed section header (expected [name])");
}

TEST(ParseCredentialsIni, TrailingCommentOnAValueIsCaught) {
  EXPECT_EQ(error_of("[default]\nsecret_id = S3CRETid # prod key\nsecret_key = S3CRET\n"),
            std::string(kPath) +
                ":2: value of secret_id contains whitespace (comments must be on their own line)");
}

}  // namespace
}  // namespace tcorg::config
