#include "exporter/web/bcrypt.h"

#include <gtest/gtest.h>

#include "test_pki.h"

namespace tcorg::web {
namespace {

TEST(Bcrypt, RightAndWrongPassword) {
  const std::string hash = testing::bcrypt_hash("correct horse");
  ASSERT_TRUE(is_bcrypt_hash(hash)) << hash;
  EXPECT_TRUE(bcrypt_matches("correct horse", hash));
  EXPECT_FALSE(bcrypt_matches("correct horse ", hash));
  EXPECT_FALSE(bcrypt_matches("", hash));
}

TEST(Bcrypt, GoStyleHashFromExporterToolkit) {
  // exporter-toolkit's bcrypt (cost 10) of "fakepassword", made by Go's x/crypto/bcrypt.
  const std::string hash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
  EXPECT_TRUE(bcrypt_matches("fakepassword", hash));
  EXPECT_FALSE(bcrypt_matches("fakepassword2", hash));
}

TEST(Bcrypt, NulByteNeverMatches) {
  const std::string hash = testing::bcrypt_hash("abc");
  EXPECT_FALSE(bcrypt_matches(std::string("abc\0def", 7), hash));
}

TEST(Bcrypt, HashFormat) {
  const std::string good = "$2b$04$ZPdl6nhPunl52Y17aG5V0ObKKKrFBCMXNPN.lQoXT46e5WYSt4hCG";
  EXPECT_TRUE(is_bcrypt_hash(good));
  EXPECT_TRUE(is_bcrypt_hash("$2a$31" + good.substr(6)));
  EXPECT_FALSE(is_bcrypt_hash("$2x$04" + good.substr(6)));  // unknown minor version
  EXPECT_FALSE(is_bcrypt_hash("$2b$03" + good.substr(6)));  // cost too low
  EXPECT_FALSE(is_bcrypt_hash("$2b$32" + good.substr(6)));  // cost too high
  EXPECT_FALSE(is_bcrypt_hash(good.substr(0, 59)));
  EXPECT_FALSE(is_bcrypt_hash(good + "x"));
  EXPECT_FALSE(is_bcrypt_hash(good.substr(0, 59) + "!"));
  EXPECT_FALSE(is_bcrypt_hash("$1$abc$def"));  // md5-crypt
  EXPECT_FALSE(is_bcrypt_hash("plaintext"));
  EXPECT_FALSE(bcrypt_matches("x", "plaintext"));
}

}  // namespace
}  // namespace tcorg::web
