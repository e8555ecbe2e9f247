#include "exporter/http/basic_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_pki.h"

namespace tcorg::http {
namespace {

std::string basic(const std::string& user_colon_password) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  const std::string& in = user_colon_password;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return "Basic " + out;
}

TEST(ParseBasicAuthorization, Forms) {
  auto c = parse_basic_authorization(basic("alice:pa:ss"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->user, "alice");
  EXPECT_EQ(c->password, "pa:ss");  // split at the first colon, as Go does
  c = parse_basic_authorization("bAsIc " + basic("a:b").substr(6));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->user, "a");
  c = parse_basic_authorization(basic(":"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->user, "");
  EXPECT_EQ(c->password, "");

  EXPECT_FALSE(parse_basic_authorization(""));
  EXPECT_FALSE(parse_basic_authorization("Basic"));
  EXPECT_FALSE(parse_basic_authorization("Bearer abc"));
  EXPECT_FALSE(parse_basic_authorization(basic("nocolon")));
  EXPECT_FALSE(parse_basic_authorization("Basic YWxpY2U6cHc"));    // padding missing
  EXPECT_FALSE(parse_basic_authorization("Basic YW=xpY2U6cHc="));  // '=' inside
  EXPECT_FALSE(parse_basic_authorization("Basic  YWxpY2U6cHc="));  // extra space
  EXPECT_FALSE(parse_basic_authorization("Basic YWxp\nY2U6cHc="));
}

struct BasicAuthTest : ::testing::Test {
  std::map<std::string, std::string> users{{"alice", testing::bcrypt_hash("s3cret")},
                                           {"bob", testing::bcrypt_hash("other")}};
};

TEST_F(BasicAuthTest, RightPasswordOnly) {
  BasicAuth auth;
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kGood);
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kGood);  // from the cache
  EXPECT_EQ(auth.check(users, basic("bob:other")), AuthVerdict::kGood);
  EXPECT_EQ(auth.check(users, basic("alice:other")), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("alice:S3cret")), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("carol:s3cret")), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, ""), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, "Basic !!!"), AuthVerdict::kBad);
}

TEST_F(BasicAuthTest, ChangedHashInvalidatesTheCache) {
  BasicAuth auth;
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kGood);
  users["alice"] = testing::bcrypt_hash("new");
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("alice:new")), AuthVerdict::kGood);
  users.erase("alice");
  EXPECT_EQ(auth.check(users, basic("alice:new")), AuthVerdict::kBad);
}

// An event loop asks with may_wait false: the answer comes from the header or the cache, and
// whatever needs bcrypt is kLater (bcrypt itself would have said good or bad).
TEST_F(BasicAuthTest, WithoutWaitingOnlyTheHeaderOrTheCacheAnswers) {
  auto now = std::chrono::steady_clock::now();
  BasicAuthOptions options;
  options.clock = [&now] { return now; };
  BasicAuth auth(options);
  EXPECT_EQ(auth.check(users, basic("alice:s3cret"), false), AuthVerdict::kLater);  // not cached
  EXPECT_EQ(auth.check(users, basic("carol:s3cret"), false), AuthVerdict::kLater);  // unknown too
  EXPECT_EQ(auth.check(users, "", false), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, "Bearer abc", false), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kGood);
  EXPECT_EQ(auth.check(users, basic("alice:s3cret"), false), AuthVerdict::kGood);
  EXPECT_EQ(auth.check(users, basic("alice:other"), false), AuthVerdict::kLater);
  now += options.cache_ttl + std::chrono::seconds(1);  // the cached success has expired
  EXPECT_EQ(auth.check(users, basic("alice:s3cret"), false), AuthVerdict::kLater);
}

TEST_F(BasicAuthTest, GuessingFloodFailsFastBeyondMaxWaiting) {
  // Cost 12 makes each check take long enough for the requests to overlap.
  std::map<std::string, std::string> slow{
      {"alice", "$2y$12$" + testing::bcrypt_hash("x").substr(7)}};
  BasicAuthOptions options;
  options.max_waiting = 1;
  BasicAuth auth(options);
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  std::atomic<int> fast{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      const auto t0 = std::chrono::steady_clock::now();
      EXPECT_EQ(auth.check(slow, basic("alice:guess")), AuthVerdict::kBad);
      if (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(100)) ++fast;
      ++done;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(done, 4);
  EXPECT_GE(fast, 1) << "no request was turned away without waiting for bcrypt";
}

}  // namespace
}  // namespace tcorg::http
