// RateLimitedApi over a scripted inner Api, on a fake clock: which errors are retried and how
// often, that every attempt is paced by the limiter, and that a stop ends a call promptly.

#include "exporter/ratelimit/rate_limited_api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/ratelimit/fake_clock.h"
#include "tests/ratelimit/scripted_api.h"

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;
using testing::api_error;
using testing::kind_error;

class RateLimitedApiTest : public ::testing::Test {
 protected:
  Limiter& member_limiter() { return limiters_.get(api::action::kGetOrganizationMember); }

  FakeClock clock_;
  LimiterSet limiters_{{.requests_per_second = 20}, clock_};
  testing::ScriptedApi inner_{clock_};
  testing::RecordingObserver observer_;
  std::stop_source stop_;
  RateLimitedApi api_{inner_, limiters_, RetryPolicy{}, stop_.get_token(), &observer_};
};

TEST_F(RateLimitedApiTest, SuccessPassesThrough) {
  auto result = api_.get_member(42);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->uin, 42);
  EXPECT_EQ(inner_.calls(), 1);
  EXPECT_EQ(observer_.waits.size(), 1u);
  EXPECT_TRUE(observer_.retry_labels.empty());
}

TEST_F(RateLimitedApiTest, RetriesRetryableErrorsThenSucceeds) {
  inner_.script({kind_error(api::ErrorKind::kTimeout), api_error("InternalError"), std::nullopt});
  EXPECT_TRUE(api_.get_member(1).ok());
  EXPECT_EQ(inner_.calls(), 3);
  EXPECT_EQ(observer_.retry_labels, (std::vector<std::string>{"timeout", "InternalError"}));
}

TEST_F(RateLimitedApiTest, RetryableErrorsGiveUpAfterMaxRetries) {
  inner_.script({}, api_error("InternalError"));
  auto result = api_.get_member(1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "InternalError");
  EXPECT_EQ(inner_.calls(), 1 + 3);
  EXPECT_EQ(observer_.retry_labels.size(), 3u);
  EXPECT_EQ(observer_.waits.size(), 4u);  // every attempt asked the limiter
}

TEST_F(RateLimitedApiTest, FinalErrorsReturnAtOnce) {
  for (const auto& error :
       {api_error("AuthFailure.SignatureFailure"), api_error("ResourceNotFound.MemberNotExist"),
        api_error("InvalidParameter"), kind_error(api::ErrorKind::kDecode)}) {
    const int before = inner_.calls();
    inner_.script({error});
    auto result = api_.get_member(1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().label(), error.label());
    EXPECT_EQ(inner_.calls(), before + 1) << error.label();
  }
  EXPECT_TRUE(observer_.retry_labels.empty());
}

TEST_F(RateLimitedApiTest, ThrottledIsRetriedAndSlowsOnlyThatAction) {
  inner_.script(
      {api_error("RequestLimitExceeded"), api_error("RequestLimitExceeded"), std::nullopt});
  EXPECT_TRUE(api_.get_member(1).ok());
  EXPECT_EQ(inner_.calls(), 3);
  EXPECT_LT(member_limiter().effective_rate(), 20);
  EXPECT_EQ(limiters_.get(api::action::kListOrganizationMembers).effective_rate(), 20);
  EXPECT_EQ(observer_.retry_labels,
            (std::vector<std::string>{"RequestLimitExceeded", "RequestLimitExceeded"}));
}

TEST_F(RateLimitedApiTest, ThrottleRetriesAreBoundedSeparately) {
  inner_.script(
      {api_error("InternalError"), api_error("InternalError"), api_error("InternalError")},
      api_error("RequestLimitExceeded.UinLimitExceeded"));
  auto result = api_.get_member(1);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is_throttled());
  EXPECT_EQ(inner_.calls(), 3 + 1 + 10);
}

TEST_F(RateLimitedApiTest, EveryAttemptIsPacedByTheLimiter) {
  // At 1/s, attempts must be >= 1.025 s apart; retry delays alone (<= 0.8 s here) are shorter.
  LimiterSet slow({.requests_per_second = 1}, clock_);
  RateLimitedApi api(inner_, slow, RetryPolicy{}, stop_.get_token(), &observer_);
  inner_.script({api_error("InternalError"), api_error("RequestLimitExceeded"),
                 kind_error(api::ErrorKind::kTransport), std::nullopt});
  EXPECT_TRUE(api.get_member(1).ok());
  const auto times = inner_.times();
  ASSERT_EQ(times.size(), 4u);
  for (std::size_t i = 1; i < times.size(); ++i) {
    EXPECT_GE(times[i] - times[i - 1], 1025ms) << i;
  }
  EXPECT_EQ(observer_.waits.size(), 4u);
}

TEST_F(RateLimitedApiTest, EachMethodUsesItsOwnAction) {
  api_.list_invitations(api::Direction::kSent, 0, 50);
  api_.get_member(1);
  api_.list_members(0, 50);
  api_.list_nodes();
  const std::vector<std::string> expected(std::begin(api::action::kAll),
                                          std::end(api::action::kAll));
  EXPECT_EQ(inner_.actions(), expected);
  EXPECT_EQ(observer_.wait_actions, expected);
}

TEST_F(RateLimitedApiTest, StoppedBeforeTheCallNeverReachesInner) {
  stop_.request_stop();
  auto result = api_.get_member(1);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is_stopped());
  EXPECT_EQ(result.error().kind, api::ErrorKind::kTransport);
  EXPECT_EQ(inner_.calls(), 0);
}

TEST_F(RateLimitedApiTest, StopInterruptsARetryWait) {
  clock_.set_threads(0);  // manual: the retry wait lasts until stopped
  inner_.script({}, api_error("InternalError"));
  std::optional<api::Result<api::MemberDetail>> result;
  std::jthread caller([&] { result.emplace(api_.get_member(1)); });
  while (clock_.sleepers() != 1) std::this_thread::yield();

  const auto start = std::chrono::steady_clock::now();
  stop_.request_stop();
  caller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  ASSERT_TRUE(result.has_value());
  ASSERT_FALSE(result->ok());
  EXPECT_TRUE(result->error().is_stopped());
  EXPECT_EQ(inner_.calls(), 1);
}

TEST_F(RateLimitedApiTest, WorksWithoutObserver) {
  RateLimitedApi api(inner_, limiters_, RetryPolicy{}, stop_.get_token());
  inner_.script({api_error("InternalError")});
  EXPECT_TRUE(api.get_member(1).ok());
}

}  // namespace
}  // namespace tcorg::ratelimit
