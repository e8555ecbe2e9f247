#include "exporter/web/auth_cache.h"

#include <gtest/gtest.h>

namespace tcorg::web {
namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  AuthCache::Clock fn() {
    return [this] { return now; };
  }
};

TEST(AuthCache, KeyDependsOnEveryFieldAndTheirBoundaries) {
  AuthCache cache(std::chrono::seconds(60), 10);
  const auto k = cache.key("alice", "hash", "pw");
  EXPECT_EQ(k, cache.key("alice", "hash", "pw"));
  EXPECT_NE(k, cache.key("alicf", "hash", "pw"));
  EXPECT_NE(k, cache.key("alice", "hasi", "pw"));
  EXPECT_NE(k, cache.key("alice", "hash", "px"));
  EXPECT_NE(cache.key("ab", "c", "d"), cache.key("a", "bc", "d"));
  // The key is an HMAC under a per-cache secret: another cache derives another key.
  EXPECT_NE(k, AuthCache(std::chrono::seconds(60), 10).key("alice", "hash", "pw"));
}

// An entry lives `ttl` after it was last found, so a scraper that keeps scraping keeps it.
TEST(AuthCache, EntriesExpireTtlAfterLastFound) {
  FakeClock clock;
  AuthCache cache(std::chrono::seconds(60), 10, clock.fn());
  const auto k = cache.key("alice", "hash", "pw");
  EXPECT_FALSE(cache.contains(k));
  cache.insert(k);
  EXPECT_TRUE(cache.contains(k));
  clock.now += std::chrono::seconds(59);
  EXPECT_TRUE(cache.contains(k));
  clock.now += std::chrono::seconds(59);
  EXPECT_TRUE(cache.contains(k));  // 118 s after insert, 59 after last found
  clock.now += std::chrono::seconds(60);
  EXPECT_FALSE(cache.contains(k));
}

TEST(AuthCache, OldestEntriesLeaveWhenFull) {
  FakeClock clock;
  AuthCache cache(std::chrono::seconds(60), 2, clock.fn());
  const auto a = cache.key("a", "h", "p"), b = cache.key("b", "h", "p"),
             c = cache.key("c", "h", "p");
  cache.insert(a);
  clock.now += std::chrono::seconds(1);
  cache.insert(b);
  clock.now += std::chrono::seconds(1);
  cache.insert(c);
  EXPECT_FALSE(cache.contains(a));
  EXPECT_TRUE(cache.contains(b));
  EXPECT_TRUE(cache.contains(c));
  // The least recently found goes first: b was just found, c not since its insert.
  clock.now += std::chrono::seconds(1);
  EXPECT_TRUE(cache.contains(b));
  cache.insert(a);
  EXPECT_TRUE(cache.contains(b));
  EXPECT_FALSE(cache.contains(c));
}

}  // namespace
}  // namespace tcorg::web
