#include "exporter/ratelimit/retry_policy.h"

#include <gtest/gtest.h>

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;

api::ApiError api_error(std::string code) {
  api::ApiError e;
  e.kind = api::ErrorKind::kApi;
  e.code = std::move(code);
  return e;
}

api::ApiError kind_error(api::ErrorKind kind) {
  api::ApiError e;
  e.kind = kind;
  return e;
}

TEST(RetryPolicy, ThrottledRetriesUpToItsOwnBound) {
  const RetryPolicy policy;
  const auto throttled = api_error("RequestLimitExceeded.UinLimitExceeded");
  EXPECT_EQ(decide_retry(policy, throttled, 3, 0), RetryDecision::kRetryThrottled);
  EXPECT_EQ(decide_retry(policy, throttled, 0, 9), RetryDecision::kRetryThrottled);
  EXPECT_EQ(decide_retry(policy, throttled, 0, 10), RetryDecision::kGiveUp);
}

TEST(RetryPolicy, RetryableRetriesUpToMaxRetries) {
  const RetryPolicy policy;
  for (const auto& error : {api_error("InternalError"), kind_error(api::ErrorKind::kTimeout),
                            kind_error(api::ErrorKind::kTransport)}) {
    EXPECT_EQ(decide_retry(policy, error, 2, 5), RetryDecision::kRetry) << error.label();
    EXPECT_EQ(decide_retry(policy, error, 3, 0), RetryDecision::kGiveUp) << error.label();
  }
}

TEST(RetryPolicy, FinalErrorsAreNotRetried) {
  const RetryPolicy policy;
  for (const auto& error :
       {api_error("AuthFailure.SignatureFailure"), api_error("UnauthorizedOperation"),
        api_error("ResourceNotFound.MemberNotExist"), api_error("InvalidParameter"),
        kind_error(api::ErrorKind::kDecode)}) {
    EXPECT_EQ(decide_retry(policy, error, 0, 0), RetryDecision::kGiveUp) << error.label();
  }
}

TEST(RetryPolicy, DelayIsFullJitterOfCappedExponential) {
  const RetryPolicy policy;  // 200 ms base, 10 s cap
  EXPECT_EQ(retry_delay(policy, 0, 0.0), 0ms);
  EXPECT_EQ(retry_delay(policy, 0, 1.0), 200ms);
  EXPECT_EQ(retry_delay(policy, 2, 1.0), 800ms);
  EXPECT_EQ(retry_delay(policy, 2, 0.5), 400ms);
  EXPECT_EQ(retry_delay(policy, 6, 1.0), 10s);
  EXPECT_EQ(retry_delay(policy, 1000, 1.0), 10s);  // no overflow
}

}  // namespace
}  // namespace tcorg::ratelimit
