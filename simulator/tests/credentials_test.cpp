// Temporary credentials end to end over loopback: the metadata service, the two STS actions, and
// Organization actions accepting issued keys until they expire.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;
using testing::Reply;

constexpr const char* kRoles = "/latest/meta-data/cam/security-credentials/";

struct Keys {
  std::string id, key, token;
  std::int64_t expired_time = 0;
};

class CredentialsTest : public ::testing::Test {
 protected:
  void start(Options o) {
    simulator_ = std::make_unique<Simulator>(std::move(o));
    simulator_->start();
    client_ = std::make_unique<httplib::Client>(testing::client_for(*simulator_));
  }
  static Options options() {
    Options o = testing::small_options();
    o.cvm_role = "org-reader-role";
    return o;
  }
  Reply call(const Call& c) { return testing::send(*client_, *simulator_, c); }

  Reply web_identity(const nlohmann::json& body) {
    httplib::Headers headers{{"X-TC-Action", "AssumeRoleWithWebIdentity"},
                             {"X-TC-Version", "2018-08-13"},
                             {"X-TC-Region", "ap-guangzhou"},
                             {"X-TC-Timestamp", std::to_string(testing::unix_now())},
                             {"Authorization", "SKIP"}};
    Reply reply;
    const auto res = client_->Post("/", headers, body.dump(), "application/json");
    if (!res) return reply;
    reply.status = res->status;
    reply.body = res->body;
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    return reply;
  }
  static nlohmann::json web_body(const Options& o) {
    return {{"ProviderId", o.oidc_provider_id},
            {"WebIdentityToken", o.web_identity_token},
            {"RoleArn", o.role_arn},
            {"RoleSessionName", "test"}};
  }
  Reply assume_role(const std::string& id, const std::string& key, const std::string& token,
                    const std::string& arn = Options{}.role_arn) {
    Call c;
    c.action = "AssumeRole";
    c.version = "2018-08-13";
    c.service = "sts";
    c.secret_id = id;
    c.secret_key = key;
    c.token = token;
    c.body =
        nlohmann::json{{"RoleArn", arn}, {"RoleSessionName", "s"}, {"DurationSeconds", 900}}.dump();
    return call(c);
  }
  static Keys sts_keys(const Reply& r) {
    const auto& c = r.response().at("Credentials");
    return {c.at("TmpSecretId"), c.at("TmpSecretKey"), c.at("Token"),
            r.response().at("ExpiredTime").get<std::int64_t>()};
  }
  Keys metadata_keys() {
    const auto res = client_->Get(std::string(kRoles) + "org-reader-role");
    EXPECT_TRUE(res && res->status == 200);
    const auto j = nlohmann::json::parse(res->body);
    EXPECT_EQ(j.at("Code"), "Success");
    return {j.at("TmpSecretId"), j.at("TmpSecretKey"), j.at("Token"), j.at("ExpiredTime")};
  }
  Reply org_call(const Keys& k) {
    Call c;
    c.secret_id = k.id;
    c.secret_key = k.key;
    c.token = k.token;
    return call(c);
  }

  std::unique_ptr<Simulator> simulator_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(CredentialsTest, MetadataWithoutRoleIs404) {
  start(testing::small_options());
  const auto res = client_->Get(kRoles);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(simulator_->stats().metadata_requests, 1u);
}

TEST_F(CredentialsTest, MetadataNamesTheRoleAndIssuesDistinctKeys) {
  start(options());
  const auto res = client_->Get(kRoles);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "org-reader-role");
  const auto other = client_->Get(std::string(kRoles) + "another-role");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);

  const auto j = nlohmann::json::parse(client_->Get(std::string(kRoles) + "org-reader-role")->body);
  for (const char* field : {"TmpSecretId", "TmpSecretKey", "Token", "Expiration"}) {
    EXPECT_TRUE(j.at(field).is_string()) << field;
  }
  const auto expired = j.at("ExpiredTime").get<std::int64_t>();
  EXPECT_NEAR(static_cast<double>(expired - testing::unix_now()), 7200, 5);
  EXPECT_EQ(j.at("Expiration").get<std::string>().back(), 'Z');
  const Keys second = metadata_keys();
  EXPECT_NE(second.id, j.at("TmpSecretId"));
  EXPECT_NE(second.key, j.at("TmpSecretKey"));
  EXPECT_NE(second.token, j.at("Token"));
  const Stats stats = simulator_->stats();
  EXPECT_EQ(stats.issued.at("metadata"), 2u);
  EXPECT_EQ(stats.metadata_requests, 4u);
}

TEST_F(CredentialsTest, IssuedKeysWorkUntilTheyExpire) {
  Options o = options();
  o.temporary_key_lifetime_seconds = 2;
  start(o);
  const Keys keys = metadata_keys();
  EXPECT_EQ(org_call(keys).code(), "");
  Keys wrong_token = keys;
  wrong_token.token = "not-the-token";
  EXPECT_EQ(org_call(wrong_token).code(), "AuthFailure.TokenFailure");
  wrong_token.token.clear();
  EXPECT_EQ(org_call(wrong_token).code(), "AuthFailure.TokenFailure");
  EXPECT_EQ(simulator_->stats().expired_key_rejections, 0u);

  // Wait by condition: the key is refused once the simulator's clock passes ExpiredTime.
  std::string code;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while ((code = org_call(keys).code()).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(code, "AuthFailure.TokenFailure");
  EXPECT_GE(testing::unix_now(), keys.expired_time);
  EXPECT_GE(simulator_->stats().expired_key_rejections, 1u);
}

TEST_F(CredentialsTest, AssumeRoleWithPermanentAndTemporaryKeys) {
  start(options());
  const Options d;
  const Reply first = assume_role(d.secret_id, d.secret_key, "");
  ASSERT_EQ(first.code(), "") << first.body;
  const Keys assumed = sts_keys(first);
  EXPECT_NEAR(static_cast<double>(assumed.expired_time - testing::unix_now()), 900, 5);
  EXPECT_EQ(org_call(assumed).code(), "");
  const Reply chained = assume_role(assumed.id, assumed.key, assumed.token);
  ASSERT_EQ(chained.code(), "") << chained.body;
  EXPECT_NE(sts_keys(chained).id, assumed.id);
  EXPECT_EQ(simulator_->stats().issued.at("AssumeRole"), 2u);
  EXPECT_EQ(simulator_->stats().actions.at("AssumeRole").accepted, 2u);
}

TEST_F(CredentialsTest, AssumeRoleChecksSignatureServiceAndArn) {
  start(options());
  const Options d;
  EXPECT_EQ(assume_role(d.secret_id, "wrong-key", "").code(), "AuthFailure.SignatureFailure");
  EXPECT_EQ(assume_role(d.secret_id, d.secret_key, "", "qcs::cam::uin/1:roleName/other").code(),
            "ResourceNotFound.RoleNotExist");
  Call c;
  c.action = "AssumeRole";
  c.version = "2018-08-13";
  c.body = R"({"RoleArn":"x","RoleSessionName":"s"})";  // signed for service organization
  EXPECT_EQ(call(c).code(), "AuthFailure.SignatureFailure");
  c.service = "sts";
  c.body = R"({"RoleSessionName":"s"})";
  EXPECT_EQ(call(c).code(), "MissingParameter");
  EXPECT_TRUE(simulator_->stats().issued.empty());
}

TEST_F(CredentialsTest, WebIdentityChecksProviderTokenAndArn) {
  const Options o = options();
  start(o);
  const Reply good = web_identity(web_body(o));
  ASSERT_EQ(good.code(), "") << good.body;
  EXPECT_EQ(org_call(sts_keys(good)).code(), "");

  auto body = web_body(o);
  body["WebIdentityToken"] = "forged";
  EXPECT_EQ(web_identity(body).code(), "InvalidParameter.WebIdentityTokenError");
  body = web_body(o);
  body["ProviderId"] = "other-provider";
  EXPECT_EQ(web_identity(body).code(), "InvalidParameter.ParamError");
  body = web_body(o);
  body["RoleArn"] = "qcs::cam::uin/1:roleName/other";
  EXPECT_EQ(web_identity(body).code(), "ResourceNotFound.RoleNotExist");
  body = web_body(o);
  body.erase("ProviderId");
  EXPECT_EQ(web_identity(body).code(), "MissingParameter");
  body = web_body(o);
  body["DurationSeconds"] = "60";
  EXPECT_EQ(web_identity(body).code(), "InvalidParameter");
  EXPECT_EQ(simulator_->stats().issued.at("AssumeRoleWithWebIdentity"), 1u);
}

TEST_F(CredentialsTest, RotatedWebIdentityTokenRefusesTheOldOne) {
  const Options o = options();
  start(o);
  simulator_->set_web_identity_token("rotated-token");
  EXPECT_EQ(web_identity(web_body(o)).code(), "InvalidParameter.WebIdentityTokenError");
  auto body = web_body(o);
  body["WebIdentityToken"] = "rotated-token";
  body["DurationSeconds"] = 60;
  const Reply r = web_identity(body);
  ASSERT_EQ(r.code(), "") << r.body;
  EXPECT_NEAR(static_cast<double>(sts_keys(r).expired_time - testing::unix_now()), 60, 5);
}

TEST_F(CredentialsTest, RefusePermanentKeysForOrganizationOnly) {
  Options o = options();
  o.refuse_permanent_keys = true;
  start(o);
  EXPECT_EQ(call({}).code(), "AuthFailure.UnauthorizedOperation");
  const Reply assumed = assume_role(o.secret_id, o.secret_key, "");
  ASSERT_EQ(assumed.code(), "") << assumed.body;
  EXPECT_EQ(org_call(sts_keys(assumed)).code(), "");
  simulator_->set_refuse_permanent_keys(false);
  EXPECT_EQ(call({}).code(), "");
}

TEST_F(CredentialsTest, CredentialsFailFault) {
  const Options o = options();
  start(o);
  Faults f;
  f.credentials_fail = true;
  simulator_->set_faults(f);
  const auto res = client_->Get(std::string(kRoles) + "org-reader-role");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(web_identity(web_body(o)).code(), "InternalError");
  EXPECT_EQ(assume_role(o.secret_id, o.secret_key, "").code(), "InternalError");
  EXPECT_EQ(call({}).code(), "");  // Organization actions are unaffected
  EXPECT_TRUE(simulator_->stats().issued.empty());
  simulator_->set_faults({});
  EXPECT_EQ(web_identity(web_body(o)).code(), "");
}

TEST_F(CredentialsTest, StsActionsHaveTheirOwnRateWindow) {
  start(options());
  simulator_->set_rate_limit(1);
  const Options o = options();
  EXPECT_EQ(web_identity(web_body(o)).code(), "");
  EXPECT_EQ(web_identity(web_body(o)).code(), "RequestLimitExceeded");
  EXPECT_EQ(call({}).code(), "");
}

}  // namespace
}  // namespace tcorg::sim
