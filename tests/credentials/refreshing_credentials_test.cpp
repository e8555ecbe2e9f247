// The refresh policy: when keys are renewed, that a failing issuer keeps the last good keys until
// they expire, and that every triple handed out is one the issuer issued. Real time, short
// lifetimes (seconds), waits by condition with generous bounds.

#include "exporter/credentials/refreshing_credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace tcorg::credentials {
namespace {

using namespace std::chrono_literals;

std::int64_t now_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// Issues keys "AKID<n>"/"key<n>"/"token<n>" living `lifetime` seconds; fails while `failing`.
struct Issuer {
  std::atomic<int> issued{0};
  std::atomic<bool> failing{false};
  std::int64_t lifetime = 2;

  Result<api::IssuedCredentials> operator()() {
    if (failing) return Error{"STS answered InternalError"};
    const int n = ++issued;
    const std::string s = std::to_string(n);
    return api::IssuedCredentials{
        {"AKID" + s, "key" + s, "token" + s}, now_seconds() + lifetime, ""};
  }
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds bound = 20s) {
  const auto end = std::chrono::steady_clock::now() + bound;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

RefreshOptions options_for(Issuer& issuer) {
  RefreshOptions o;
  o.issue = [&issuer] { return issuer(); };
  o.min_backoff = 50ms;
  o.max_backoff = 200ms;
  return o;
}

TEST(RefreshTime, FiveMinutesEarlyOrAtHalfTheLifetime) {
  EXPECT_EQ(refresh_time(1000, 1000 + 7200), 1000 + 7200 - 300);
  EXPECT_EQ(refresh_time(1000, 1000 + 600), 1000 + 300);
  EXPECT_EQ(refresh_time(1000, 1000 + 599), 1000 + 299);
  EXPECT_EQ(refresh_time(1000, 1000 + 4), 1002);
  EXPECT_EQ(refresh_time(1000, 900), 1000);  // already expired: at once
}

TEST(RefreshingCredentials, FirstIssueFailureIsTheStartError) {
  Issuer issuer;
  issuer.failing = true;
  const auto r = RefreshingCredentials::start(options_for(issuer));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "STS answered InternalError");
}

TEST(RefreshingCredentials, KeysAlreadyExpiredAtStartAreAnError) {
  Issuer issuer;
  issuer.lifetime = -5;
  const auto r = RefreshingCredentials::start(options_for(issuer));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("already expired"), std::string::npos);
}

TEST(RefreshingCredentials, RenewedBeforeExpiryOverSeveralLifetimesNeverEmpty) {
  Issuer issuer;
  std::atomic<int> refreshes{0};
  auto o = options_for(issuer);
  o.on_refresh = [&](std::int64_t) { ++refreshes; };
  auto started = RefreshingCredentials::start(o);
  ASSERT_TRUE(started.ok()) << started.error();
  auto& creds = *started.value();
  std::set<std::string> seen;
  // Four 2 s lifetimes; every look must give a triple the issuer made, never an empty one.
  const auto end = std::chrono::steady_clock::now() + 8s;
  int empty = 0, mixed = 0;
  while (std::chrono::steady_clock::now() < end) {
    const api::Credentials c = creds.current();
    if (c.empty()) {
      ++empty;
    } else if (c.secret_key != "key" + c.secret_id.substr(4) ||
               c.token != "token" + c.secret_id.substr(4)) {
      ++mixed;
    }
    seen.insert(c.secret_id);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(empty, 0) << "keys expired before they were renewed";
  EXPECT_EQ(mixed, 0);
  EXPECT_GE(seen.size(), 3u) << "keys living 2 s were not renewed over 8 s";
  EXPECT_GE(refreshes.load(), 3);  // the first issue counts too
}

TEST(RefreshingCredentials, FailingRefreshKeepsTheLastGoodKeysThenExpiresThenRecovers) {
  Issuer issuer;
  issuer.lifetime = 3;
  std::atomic<int> errors{0};
  auto o = options_for(issuer);
  o.on_error = [&](const std::string& m) {
    EXPECT_EQ(m, "STS answered InternalError");
    ++errors;
  };
  auto started = RefreshingCredentials::start(o);
  ASSERT_TRUE(started.ok()) << started.error();
  auto& creds = *started.value();
  issuer.failing = true;
  const api::Credentials first = creds.current();
  ASSERT_EQ(first.secret_id, "AKID1");

  // Refreshes fail from half the lifetime on; until expiry the first keys stay in use.
  ASSERT_TRUE(eventually([&] { return errors.load() > 0; }));
  const api::Credentials during = creds.current();
  if (now_seconds() < creds.expires_at()) {
    EXPECT_EQ(during, first);
  }
  ASSERT_TRUE(eventually([&] { return creds.current().empty(); }))
      << "expired keys were still handed out";
  EXPECT_GE(errors.load(), 2) << "the refresh was not retried";
  // The client's error for a request it does not send says why, without a secret.
  const std::string why = creds.current().unavailable;
  EXPECT_NE(why.find("the temporary keys expired"), std::string::npos) << why;
  EXPECT_NE(why.find("last refresh error: STS answered InternalError"), std::string::npos) << why;
  EXPECT_EQ(why.find("key1"), std::string::npos) << why;
  EXPECT_EQ(why.find("token1"), std::string::npos) << why;

  issuer.failing = false;
  ASSERT_TRUE(eventually([&] { return !creds.current().empty(); }))
      << "no recovery after the issuer came back";
  EXPECT_NE(creds.current().secret_id, "AKID1");
  EXPECT_EQ(creds.current().unavailable, "");
}

TEST(RefreshingCredentials, DestructionStopsAWaitingThreadAtOnce) {
  Issuer issuer;
  issuer.lifetime = 7200;  // next refresh in ~2 h
  const auto before = std::chrono::steady_clock::now();
  {
    auto started = RefreshingCredentials::start(options_for(issuer));
    ASSERT_TRUE(started.ok());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
  EXPECT_EQ(issuer.issued.load(), 1);
}

}  // namespace
}  // namespace tcorg::credentials
