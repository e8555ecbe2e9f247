#include "exporter/web/basic_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_pki.h"

namespace tcorg::web {
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

// A wrong password is remembered like a right one: the second time it needs no bcrypt.
TEST_F(BasicAuthTest, FailuresAreRememberedToo) {
  BasicAuth auth;
  EXPECT_EQ(auth.check(users, basic("alice:guess"), false), AuthVerdict::kLater);
  EXPECT_EQ(auth.check(users, basic("alice:guess")), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("alice:guess"), false), AuthVerdict::kBad);
  EXPECT_EQ(auth.check(users, basic("carol:guess")), AuthVerdict::kBad);  // unknown user too
  EXPECT_EQ(auth.check(users, basic("carol:guess"), false), AuthVerdict::kBad);
  // Keyed by the stored hash as well: once "guess" is alice's password, it is good.
  users["alice"] = testing::bcrypt_hash("guess");
  EXPECT_EQ(auth.check(users, basic("alice:guess"), false), AuthVerdict::kLater);
  EXPECT_EQ(auth.check(users, basic("alice:guess")), AuthVerdict::kGood);
}

// However many guesses, a remembered success stays: failures have a cache of their own.
TEST_F(BasicAuthTest, GuessesNeverPushOutASuccess) {
  BasicAuthOptions options;
  options.cache_size = 1;
  options.failure_cache_size = 4;
  BasicAuth auth(options);
  EXPECT_EQ(auth.check(users, basic("alice:s3cret")), AuthVerdict::kGood);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(auth.check(users, basic("alice:guess" + std::to_string(i))), AuthVerdict::kBad);
  }
  EXPECT_EQ(auth.check(users, basic("alice:s3cret"), false), AuthVerdict::kGood);
}

// With every place in the queue taken by guesses, the right password is told "busy, try again"
// (503), never "bad" (401): it once got kBad as soon as 16 checks were waiting.
TEST_F(BasicAuthTest, SaturatedQueueIsBusyNeverBad) {
  // Cost 12 makes each guess take long enough for the checks to overlap.
  std::map<std::string, std::string> slow{{"alice", testing::bcrypt_hash("right", 12)}};
  BasicAuthOptions options;
  options.max_waiting = 1;
  BasicAuth auth(options);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  // From an event loop, a full queue is busy at once (not "later"): how the test knows the
  // guess holds the only place.
  const auto wait_until_full = [&] {
    while (auth.check(slow, basic("alice:probe"), false) != AuthVerdict::kBusy) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the queue never filled";
      std::this_thread::yield();
    }
  };
  std::thread guesser(
      [&] { EXPECT_EQ(auth.check(slow, basic("alice:guess")), AuthVerdict::kBad); });
  wait_until_full();
  EXPECT_EQ(auth.check(slow, basic("alice:right")), AuthVerdict::kBusy);
  guesser.join();
  EXPECT_EQ(auth.check(slow, basic("alice:right")), AuthVerdict::kGood);
}

// Many checks of one password queue once: the first one's verdict answers the others, so a
// repeated guess cannot fill the queue.
TEST_F(BasicAuthTest, ChecksOfOnePasswordShareOneBcrypt) {
  std::map<std::string, std::string> slow{{"alice", testing::bcrypt_hash("right", 10)}};
  BasicAuthOptions options;
  options.max_waiting = 2;
  BasicAuth auth(options);
  std::vector<std::thread> threads;
  std::atomic<int> bad{0}, busy{0};
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      const auto v = auth.check(slow, basic("alice:guess"));
      if (v == AuthVerdict::kBad) ++bad;
      if (v == AuthVerdict::kBusy) ++busy;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad, 12);
  EXPECT_EQ(busy, 0);
}

}  // namespace
}  // namespace tcorg::web
