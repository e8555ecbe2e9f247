#include "exporter/api/error.h"

#include <gtest/gtest.h>

namespace tcorg::api {
namespace {

ApiError api(std::string code) {
  ApiError e;
  e.kind = ErrorKind::kApi;
  e.code = std::move(code);
  return e;
}

ApiError of(ErrorKind kind, int status = 0) {
  ApiError e;
  e.kind = kind;
  e.http_status = status;
  return e;
}

TEST(ApiError, Labels) {
  EXPECT_EQ(api("RequestLimitExceeded").label(), "RequestLimitExceeded");
  EXPECT_EQ(api("").label(), "unknown");
  EXPECT_EQ(of(ErrorKind::kTransport).label(), "transport");
  EXPECT_EQ(of(ErrorKind::kTimeout).label(), "timeout");
  EXPECT_EQ(of(ErrorKind::kHttpStatus, 502).label(), "http_502");
  EXPECT_EQ(of(ErrorKind::kDecode).label(), "decode");
}

TEST(ApiError, Classes) {
  EXPECT_TRUE(api("RequestLimitExceeded").is_throttled());
  EXPECT_TRUE(api("RequestLimitExceeded.UinLimitExceeded").is_throttled());
  EXPECT_FALSE(api("LimitExceeded").is_throttled());
  EXPECT_TRUE(api("AuthFailure.SignatureExpire").is_auth());
  EXPECT_TRUE(api("UnauthorizedOperation").is_auth());
  EXPECT_FALSE(api("InternalError").is_auth());
  EXPECT_TRUE(api("ResourceNotFound.MemberNotExist").is_not_found());
  EXPECT_FALSE(of(ErrorKind::kTransport).is_throttled());
}

TEST(ApiError, Retryable) {
  EXPECT_TRUE(api("RequestLimitExceeded.IPLimitExceeded").is_retryable());
  EXPECT_TRUE(api("InternalError").is_retryable());
  EXPECT_TRUE(api("ServiceUnavailable").is_retryable());
  EXPECT_FALSE(api("AuthFailure.SignatureFailure").is_retryable());
  EXPECT_FALSE(api("InvalidParameter").is_retryable());
  EXPECT_TRUE(of(ErrorKind::kTransport).is_retryable());
  EXPECT_TRUE(of(ErrorKind::kTimeout).is_retryable());
  EXPECT_TRUE(of(ErrorKind::kHttpStatus, 503).is_retryable());
  EXPECT_TRUE(of(ErrorKind::kHttpStatus, 429).is_retryable());
  EXPECT_FALSE(of(ErrorKind::kHttpStatus, 404).is_retryable());
  EXPECT_FALSE(of(ErrorKind::kDecode).is_retryable());
}

TEST(ApiError, StoppedIsATransportErrorOnlyItsOwn) {
  const ApiError stopped = stopped_error();
  EXPECT_TRUE(stopped.is_stopped());
  EXPECT_EQ(stopped.kind, ErrorKind::kTransport);
  EXPECT_EQ(stopped.label(), "transport");
  EXPECT_FALSE(of(ErrorKind::kTransport).is_stopped());  // a real transport failure
  ApiError timeout = of(ErrorKind::kTimeout);
  timeout.message = "stopped";
  EXPECT_FALSE(timeout.is_stopped());
}

TEST(ApiError, ToString) {
  ApiError e = api("InternalError");
  e.request_id = "r-1";
  e.message = "boom";
  EXPECT_EQ(e.to_string(), "api error code=InternalError request_id=r-1: boom");
  EXPECT_EQ(of(ErrorKind::kHttpStatus, 500).to_string(), "http status 500");
}

TEST(Result, ValueAndError) {
  Result<int> ok = 5;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  Result<int> bad = api("X");
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "X");
}

}  // namespace
}  // namespace tcorg::api
