// Signature checks, end to end through the server, and the Authorization parser.

#include "simulator/auth.h"

#include <gtest/gtest.h>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;
using testing::send;

class AuthTest : public ::testing::Test {
 protected:
  testing::Reply call(const Call& c) { return send(client_, simulator_, c); }

  Simulator simulator_{testing::small_options()};
  int port_ = simulator_.start();
  httplib::Client client_ = testing::client_for(simulator_);
};

TEST_F(AuthTest, CorrectlySignedRequestSucceeds) {
  const auto reply = call({});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.code(), "");
  EXPECT_TRUE(reply.response().contains("Nodes"));
  EXPECT_FALSE(reply.response().value("RequestId", "").empty());
}

TEST_F(AuthTest, AcceptsSignedActionHeaderAndHostWithoutPort) {
  Call c;
  c.sign_action = true;
  EXPECT_EQ(call(c).code(), "");
  c.sign_host_without_port = true;
  EXPECT_EQ(call(c).code(), "");
}

TEST_F(AuthTest, WrongKeyIsSignatureFailure) {
  Call c;
  c.secret_key = "not-the-key";
  EXPECT_EQ(call(c).code(), "AuthFailure.SignatureFailure");
}

TEST_F(AuthTest, UnknownSecretIdIsSecretIdNotFound) {
  Call c;
  c.secret_id = "AKIDunknown";
  EXPECT_EQ(call(c).code(), "AuthFailure.SecretIdNotFound");
}

TEST_F(AuthTest, ClockSkewOverFiveMinutesIsSignatureExpire) {
  Call c;
  c.timestamp = testing::unix_now() - 301;
  EXPECT_EQ(call(c).code(), "AuthFailure.SignatureExpire");
  c.timestamp = testing::unix_now() + 301;
  EXPECT_EQ(call(c).code(), "AuthFailure.SignatureExpire");
  c.timestamp = testing::unix_now() - 290;
  EXPECT_EQ(call(c).code(), "");
}

TEST_F(AuthTest, WrongServiceInScopeIsSignatureFailure) {
  Call c;
  c.service = "127";  // what signing the bare IP host would give
  EXPECT_EQ(call(c).code(), "AuthFailure.SignatureFailure");
}

TEST_F(AuthTest, TokenRequiredWhenConfigured) {
  simulator_.set_credentials("AKIDtemp", "temp-key", "session-token");
  Call c;
  c.secret_id = "AKIDtemp";
  c.secret_key = "temp-key";
  EXPECT_EQ(call(c).code(), "AuthFailure.TokenFailure");
  c.token = "wrong-token";
  EXPECT_EQ(call(c).code(), "AuthFailure.TokenFailure");
  c.token = "session-token";
  EXPECT_EQ(call(c).code(), "");
}

TEST_F(AuthTest, TokenSentWithPermanentKeysIsTokenFailure) {
  Call c;
  c.token = "stale-token";
  EXPECT_EQ(call(c).code(), "AuthFailure.TokenFailure");
}

TEST_F(AuthTest, MalformedAuthorizationIsInvalidAuthorization) {
  httplib::Headers headers{{"X-TC-Action", "ListOrganizationNodes"},
                           {"X-TC-Version", "2018-12-25"},
                           {"X-TC-Timestamp", std::to_string(testing::unix_now())},
                           {"Authorization", "Bearer abc"}};
  const auto res = client_.Post("/", headers, "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("AuthFailure.InvalidAuthorization"), std::string::npos);
}

TEST_F(AuthTest, AuthFailuresAreCounted) {
  Call c;
  c.secret_id = "AKIDunknown";
  call(c);
  call(c);
  const Stats stats = simulator_.stats();
  EXPECT_EQ(stats.auth_failures, 2u);
  EXPECT_EQ(stats.errors.at("AuthFailure.SecretIdNotFound"), 2u);
  EXPECT_EQ(stats.requests, 2u);
  EXPECT_TRUE(stats.actions.empty());  // rejected before the limiter
}

TEST_F(AuthTest, WrongVersionAndUnknownAction) {
  Call c;
  c.version = "2021-03-31";
  EXPECT_EQ(call(c).code(), "NoSuchVersion");
  c = Call{};
  c.action = "DescribeNothing";
  EXPECT_EQ(call(c).code(), "InvalidAction");
}

TEST(ParseAuthorization, ReadsEveryPart) {
  const auto a = parse_authorization(
      "TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/cvm/tc3_request, "
      "SignedHeaders=content-type;host, "
      "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->secret_id, "AKIDx");
  EXPECT_EQ(a->date, "2019-02-25");
  EXPECT_EQ(a->service, "cvm");
  EXPECT_EQ(a->signed_headers, "content-type;host");
}

TEST(ParseAuthorization, RejectsMalformedHeaders) {
  const std::string sig = "Signature=" + std::string(64, 'a');
  EXPECT_FALSE(parse_authorization(""));
  EXPECT_FALSE(
      parse_authorization("TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/cvm/tc3_request, "
                          "SignedHeaders=content-type;host"));
  EXPECT_FALSE(
      parse_authorization("TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/cvm, "
                          "SignedHeaders=content-type;host, " +
                          sig));
  EXPECT_FALSE(
      parse_authorization("TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/cvm/tc3_request, "
                          "SignedHeaders=content-type;host, Signature=ABC"));
  EXPECT_FALSE(
      parse_authorization("HMAC-SHA1 Credential=AKIDx/2019-02-25/cvm/tc3_request, "
                          "SignedHeaders=content-type;host, " +
                          sig));
}

TEST(VerifyRequest, CredentialDateMustBeUtcDateOfTimestamp) {
  const api::Credentials creds{"AKIDx", "key", ""};
  const std::int64_t midnight = 1700006400;  // 2023-11-15 00:00:00 UTC
  SignedRequest r;
  r.host = "127.0.0.1:1";
  r.content_type = "application/json";
  r.action = "ListOrganizationNodes";
  r.timestamp = std::to_string(midnight - 10);
  r.body = "{}";
  // Scoped to the next (server) day while the timestamp is still the previous day.
  r.authorization =
      "TC3-HMAC-SHA256 Credential=AKIDx/2023-11-15/organization/tc3_request, "
      "SignedHeaders=content-type;host, Signature=" +
      std::string(64, '0');
  const auto failure = verify_request(r, creds, midnight + 10, 300);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->code, "AuthFailure.SignatureFailure");
}

TEST(VerifyRequest, MissingOrBadTimestamp) {
  SignedRequest r;
  r.authorization =
      "TC3-HMAC-SHA256 Credential=AKIDx/2023-11-15/organization/tc3_request, "
      "SignedHeaders=content-type;host, Signature=" +
      std::string(64, '0');
  EXPECT_EQ(verify_request(r, {"AKIDx", "k", ""}, 0, 300)->code, "MissingParameter");
  r.timestamp = "12x";
  EXPECT_EQ(verify_request(r, {"AKIDx", "k", ""}, 0, 300)->code, "InvalidParameter");
}

}  // namespace
}  // namespace tcorg::sim
